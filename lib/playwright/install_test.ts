import { assert, assertExcludes, rejects } from "@test/assert";
import { ConfigError, DependencyError } from "../errors/mod.ts";
import { Logger } from "../log/mod.ts";
import type { ProcessRunner } from "../process/mod.ts";
import { SshClient } from "../ssh/mod.ts";
import { PLAYWRIGHT_ASSETS } from "./assets.ts";
import { CLIENT_VERSION } from "./connect.ts";
import {
  checkBindOptions,
  FIXES,
  installPlaywright,
  nodeFix,
  type PlaywrightPrereq,
  resolveChannel,
} from "./install.ts";
import { decodeRequest, frameAnswer } from "../../tests/_fake_windows.ts";

const SECRET = "s3cret-ws-path-0123456789-ABCDEFGHIJ";

type Prereq = PlaywrightPrereq;

/** An ssh/scp fake: answers the two script kinds and records every call. */
async function fakeWindows(
  prereq: Prereq,
  windows: { winget: boolean; edge: boolean } = { winget: true, edge: true },
  rootChanged: string[] = [],
) {
  const stateDir = await Deno.makeTempDir();
  const calls: Array<{ program: string; args: string[]; script?: string }> = [];
  const runner: ProcessRunner = (program, args, options) => {
    let script: string | undefined;
    let stdout: Uint8Array = new Uint8Array();
    if (program === "ssh") {
      const request = decodeRequest(options?.stdin);
      script = request.script + "\n" + JSON.stringify(request.input);
      const answer = request.kind === "playwright_prereq"
        ? prereq
        : request.kind === "version"
        ? {
          ps_version: "5.1.20348.1",
          hostname: "WIN",
          os_caption: "Microsoft Windows Server 2022 Datacenter",
          os_build: "20348",
          last_boot: "2026-12-01T00:00:00.0000000Z",
          default_shell: "",
          ...windows,
        }
        : request.kind === "root_lock"
        ? { state: "locked", changed: rootChanged }
        : { state: "installed", changed: ["task"] };
      stdout = frameAnswer(request.nonce, JSON.stringify(answer));
    }
    calls.push({ program, args, script });
    return Promise.resolve({
      code: 0,
      stdout,
      stderr: new Uint8Array(),
      truncated: false,
      aborted: false,
    });
  };
  const ssh = new SshClient({
    host: "win.example",
    port: 22,
    user: "admin",
    identityFile: "",
    connectTimeoutMs: 1000,
    stateDir,
  }, { runner });
  return { ssh, calls };
}

const options = {
  wsPath: SECRET,
  port: 9323,
  channel: "msedge",
  executablePath: "",
  timeoutMs: 5000,
  logger: new Logger({ silent: true }),
};
const present: Prereq = {
  node_path: "C:\\Program Files\\nodejs\\node.exe",
  node_version: "v20.20.2",
  playwright_version: CLIENT_VERSION,
  ffmpeg: true,
  chromium: false,
  files: {},
};

Deno.test("installPlaywright() exits 3 with the exact fix when Node or playwright-core is missing", async () => {
  const cases: Array<[Partial<Prereq>, string, string]> = [
    [{ node_path: null, node_version: null }, "missing_node", nodeFix(true)],
    [{ playwright_version: null }, "missing_playwright", FIXES.playwright],
    [{ playwright_version: "1.60.0" }, "version_mismatch", FIXES.playwright],
  ];
  for (const [change, err, fix] of cases) {
    const { ssh, calls } = await fakeWindows({ ...present, ...change });
    const error = await rejects(() => installPlaywright(ssh, options));
    assert.ok(error instanceof DependencyError);
    assert.equal(error.exitCode, 3);
    assert.equal(error.fields.err, err);
    assert.equal(error.fields.fix, fix);
    assert.equal(calls.length, 2, "nothing is changed after a failed check");
  }
  assert.equal(
    FIXES.playwright,
    `npm install --prefix C:\\ProgramData\\win-automation\\playwright playwright-core@${CLIENT_VERSION}`,
  );
});

Deno.test("installPlaywright() uploads only assets that differ; the secret goes only into the script's stdin", async () => {
  const hash = async (text: string) =>
    Array.from(
      new Uint8Array(
        await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)),
      ),
      (b) => b.toString(16).padStart(2, "0"),
    ).join("");
  const current = {
    "install-playwright.ps1": await hash(
      PLAYWRIGHT_ASSETS["install-playwright.ps1"]!,
    ),
  };
  const { ssh, calls } = await fakeWindows({ ...present, files: current });
  const result = await installPlaywright(ssh, options);
  assert.deepEqual(result.changed, ["assets", "task"]);
  const scp = calls.filter((c) => c.program === "scp");
  assert.equal(scp.length, 1);
  assert.ok(scp[0]!.args.some((a) => a.endsWith("/launch-server.js")));
  assert.ok(!scp[0]!.args.some((a) => a.endsWith("install-playwright.ps1")));
  assert.ok(
    scp[0]!.args.at(-1)!.endsWith(":C:/ProgramData/win-automation/playwright/"),
  );
  const install = calls.find((c) =>
    c.script?.startsWith("# win-automation script: playwright_install")
  );
  assert.ok(install?.script?.includes(`"ws_path":"${SECRET}"`));
  assert.ok(install?.script?.includes(`"restart":true`));
  for (const call of calls) assertExcludes(call.args.join(" "), SECRET);
});

Deno.test("installPlaywright() gives a Node fix that works on Windows Server, where winget is absent", async () => {
  const { ssh } = await fakeWindows({
    ...present,
    node_path: null,
    node_version: null,
  }, { winget: false, edge: false });
  const error = await rejects(() => installPlaywright(ssh, options));
  assert.ok(error instanceof DependencyError);
  const fix = String(error.fields.fix);
  assert.ok(!fix.includes("winget"), fix);
  assert.match(
    fix,
    /Tls12.*Invoke-WebRequest.*node-v[0-9.]+-x64\.msi.*msiexec/,
  );
  assert.match(nodeFix(true), /^winget install --id OpenJS\.NodeJS\.LTS/);
});

Deno.test("resolveChannel(): auto is msedge where Edge exists, else Playwright's chromium; others are kept", () => {
  assert.equal(resolveChannel("auto", true), "msedge");
  assert.equal(resolveChannel("auto", false), "chromium");
  assert.equal(resolveChannel("chrome", false), "chrome");
});

Deno.test("installPlaywright() with channel auto on Server 2019 (no Edge) asks for Playwright's Chromium, then uses it", async () => {
  const auto = { ...options, channel: "auto" };
  const noEdge = { winget: false, edge: false };
  const missingBrowser = await fakeWindows(present, noEdge);
  const error = await rejects(() =>
    installPlaywright(missingBrowser.ssh, auto)
  );
  assert.ok(error instanceof DependencyError);
  assert.equal(error.fields.err, "missing_browser");
  assert.equal(error.fields.fix, FIXES.chromium);
  const ready = await fakeWindows({ ...present, chromium: true }, noEdge);
  await installPlaywright(ready.ssh, auto);
  const install = ready.calls.find((c) =>
    c.script?.startsWith("# win-automation script: playwright_install")
  );
  assert.ok(install?.script?.includes(`"channel":"chromium"`));
  const edge = await fakeWindows(present, { winget: true, edge: true });
  await installPlaywright(edge.ssh, auto);
  assert.ok(
    edge.calls.find((c) =>
      c.script?.startsWith("# win-automation script: playwright_install")
    )?.script?.includes(`"channel":"msedge"`),
  );
});

const kindOf = (c: { script?: string }) =>
  /^# win-automation script: (\w+)/.exec(c.script ?? "")?.[1];

Deno.test("installPlaywright() locks the root before it uploads anything, and reports acl only when it had to repair it", async () => {
  const weak = await fakeWindows(present, undefined, ["acl"]);
  const result = await installPlaywright(weak.ssh, options);
  const order = weak.calls.map((c) =>
    c.program === "scp" ? "scp" : kindOf(c) ?? c.program
  );
  const lock = order.indexOf("root_lock");
  assert.ok(lock >= 0, order.join(","));
  assert.ok(lock < order.indexOf("scp"), `lock before upload: ${order}`);
  assert.ok(lock < order.indexOf("playwright_install"), order.join(","));
  assert.deepEqual(result.changed, ["acl", "assets", "task"]);
  // Negative control: a root already locked adds nothing.
  const right = await fakeWindows(present);
  assert.deepEqual((await installPlaywright(right.ssh, options)).changed, [
    "assets",
    "task",
  ]);
});

Deno.test("installPlaywright() passes bindHost (default 127.0.0.1) and allowFrom to the script's input", async () => {
  const input = async (extra: object) => {
    const { ssh, calls } = await fakeWindows(present);
    await installPlaywright(ssh, { ...options, ...extra });
    const script = calls.find((c) => kindOf(c) === "playwright_install")!
      .script!;
    return JSON.parse(script.slice(script.lastIndexOf("\n") + 1));
  };
  const loopback = await input({});
  assert.equal(loopback.bind_host, "127.0.0.1");
  assert.deepEqual(loopback.allow_from, []);
  const open = await input({
    bindHost: "0.0.0.0",
    allowFrom: ["10.0.0.5", "192.168.1.0/24", "fd00::1/64"],
  });
  assert.equal(open.bind_host, "0.0.0.0");
  assert.deepEqual(open.allow_from, [
    "10.0.0.5",
    "192.168.1.0/24",
    "fd00::1/64",
  ]);
});

Deno.test("checkBindOptions() refuses 0.0.0.0 without addresses, other hosts and non-addresses (exit 2), before anything runs", async () => {
  const bad: Array<[string, string[]]> = [
    ["0.0.0.0", []],
    ["localhost", []],
    ["192.168.1.5", []],
    ["0.0.0.0", ["any"]],
    ["0.0.0.0", ["10.0.0.1/33"]],
    ["0.0.0.0", ["256.0.0.1"]],
    ["0.0.0.0", ["10.0.0.1; Remove-Item"]],
  ];
  for (const [host, from] of bad) {
    let error: unknown;
    try {
      checkBindOptions(host, from);
    } catch (e) {
      error = e;
    }
    assert.ok(error instanceof ConfigError, `${host} ${from}`);
    assert.equal(error.exitCode, 2);
  }
  checkBindOptions("127.0.0.1", []);
  checkBindOptions("0.0.0.0", ["10.0.0.5", "10.0.0.0/8", "::1", "fe80::/10"]);
  const { ssh, calls } = await fakeWindows(present);
  const error = await rejects(() =>
    installPlaywright(ssh, { ...options, bindHost: "0.0.0.0", allowFrom: [] })
  );
  assert.ok(error instanceof ConfigError);
  assert.equal(calls.length, 0, "nothing ran on Windows");
});

Deno.test("install-playwright.ps1 never creates the root itself and refuses to run under one that is not locked", () => {
  const ps1 = PLAYWRIGHT_ASSETS["install-playwright.ps1"]!;
  assert.ok(!/-Path \$root\b|CreateDirectory\(\$root/.test(ps1));
  assert.match(ps1, /AreAccessRulesProtected/);
  assert.match(ps1, /is not locked to SYSTEM and Administrators/);
  // The secret is written under a temporary name in the folder, then moved.
  const tmp = ps1.indexOf("[IO.File]::WriteAllText($tmp, $WsPath");
  const move = ps1.indexOf("[IO.File]::Move($tmp, $wsFile)");
  assert.ok(tmp > 0 && move > tmp, "ws_path.txt: temp then move");
  assert.ok(
    !ps1.includes("Set-Acl -LiteralPath $wsFile"),
    "no lock after write",
  );
  // The task's principal: LOCAL SERVICE by SID, limited; never SYSTEM.
  assert.match(
    ps1,
    /New-ScheduledTaskPrincipal -UserId \$localService -LogonType ServiceAccount -RunLevel Limited/,
  );
  assert.match(ps1, /\$localService = 'S-1-5-19'/);
  assert.ok(!/-UserId 'SYSTEM'|RunLevel Highest/.test(ps1));
  // The lab's own server.json field is never written on Windows.
  assert.ok(!ps1.includes("lab_no_sandbox"));
});
