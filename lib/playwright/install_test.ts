import { assert, assertExcludes, rejects } from "@test/assert";
import { DependencyError } from "../errors/mod.ts";
import { Logger } from "../log/mod.ts";
import type { ProcessRunner } from "../process/mod.ts";
import { SshClient } from "../ssh/mod.ts";
import { PLAYWRIGHT_ASSETS } from "./assets.ts";
import { CLIENT_VERSION } from "./connect.ts";
import {
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
