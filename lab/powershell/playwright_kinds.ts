/**
 * The emulator's Playwright script kinds: `playwright_prereq` and
 * `playwright_install`, doing what lib/powershell/scripts.ts and
 * assets/install-playwright.ps1 do on Windows, against the lab: real node and
 * the playwright-core installed under the lab's
 * `C:/ProgramData/win-automation/playwright`, the task and firewall state
 * files, and the task started for real.
 * @module
 */
import { createHash } from "node:crypto";
import {
  listeningPorts,
  readJson,
  runText,
  waitUntil,
  withLock,
  writeJson,
} from "../linux/mod.ts";
import type { ShellContext } from "./_shell_io.ts";
import {
  aclEntry,
  effectiveAcl,
  endTask,
  mapWindowsPath,
  putTask,
  RIGHTS,
  ROOT,
  runTask,
  setAcl,
  taskPid,
} from "../windows/mod.ts";

/** LOCAL SERVICE's SID: the Playwright task's principal. */
export const LOCAL_SERVICE = "S-1-5-19";

/** Where the server lives on "Windows". */
export const PLAYWRIGHT_DIR = "C:\\ProgramData\\win-automation\\playwright";
/** The scheduled task's name. */
export const PLAYWRIGHT_TASK = "WinAutomation-Playwright";
/** Where `Get-Command node` finds node on the lab's "Windows". */
export const NODE_PATH = "C:\\Program Files\\nodejs\\node.exe";
const ASSETS = ["launch-server.js", "install-playwright.ps1"];

type Input = Record<string, string | number | boolean | string[]>;

async function print(ctx: ShellContext, value: unknown): Promise<number> {
  await ctx.io.out(JSON.stringify(value) + "\n");
  return 0;
}

async function sha256(path: string): Promise<string | null> {
  const bytes = await Deno.readFile(path).catch(() => null);
  return bytes && createHash("sha256").update(bytes).digest("hex");
}

async function exists(path: string): Promise<boolean> {
  return await Deno.stat(path).then(() => true, () => false);
}

/** `playwright_prereq`: node, playwright-core, ffmpeg and the assets' hashes. */
export async function playwrightPrereq(
  _input: Input,
  ctx: ShellContext,
): Promise<number> {
  const node = `${ctx.labDir}/winbin/node`;
  const dir = mapWindowsPath(ctx.labDir, PLAYWRIGHT_DIR);
  const out = {
    node_path: null as string | null,
    node_version: null as string | null,
    playwright_version: null as string | null,
    ffmpeg: false,
    chromium: false,
    files: {} as Record<string, string>,
  };
  const hasNode = await exists(node);
  if (hasNode) {
    out.node_path = NODE_PATH;
    out.node_version = (await runText(node, ["--version"])).stdout.trim();
  }
  if (await exists(dir)) {
    if (hasNode) {
      const v = await runText(node, [
        "-e",
        "try { console.log(require('playwright-core/package.json').version) } catch { }",
      ], { cwd: dir });
      out.playwright_version = v.stdout.trim() || null;
    }
    const browsers = await Array.fromAsync(Deno.readDir(`${dir}/browsers`))
      .catch(() => []);
    for (const entry of browsers.filter((e) => /^ffmpeg-/.test(e.name))) {
      out.ffmpeg ||= await exists(`${dir}/browsers/${entry.name}/ffmpeg-linux`);
    }
    // The body looks for `browsers\chromium-*\chrome-win64\chrome.exe`,
    // Playwright's own Chromium on Windows x64 (playwright-core's registry).
    for (const entry of browsers.filter((e) => /^chromium-/.test(e.name))) {
      out.chromium ||= await exists(
        `${dir}/browsers/${entry.name}/chrome-win64/chrome.exe`,
      );
    }
    for (const name of ASSETS) {
      const hash = await sha256(`${dir}/${name}`);
      if (hash) out.files[name] = hash;
    }
  }
  return print(ctx, out);
}

async function writeIfChanged(path: string, text: string): Promise<boolean> {
  if (await Deno.readTextFile(path).catch(() => null) === text) return false;
  await Deno.writeTextFile(path, text);
  return true;
}

interface FirewallFile {
  rules: {
    name: string;
    port: number;
    enabled: boolean;
    /** Remote addresses (`Any` when the rule was made without them). */
    remote?: string[];
    profile?: string;
  }[];
}

/** Adds an inbound allow rule unless one of that name exists. */
export async function addFirewallRule(
  labDir: string,
  name: string,
  port: number,
): Promise<boolean> {
  const file = `${labDir}/state/firewall.json`;
  return await withLock(`${file}.lock`, async () => {
    const data = await readJson<FirewallFile>(file, { rules: [] });
    if (data.rules.some((r) => r.name === name)) return false;
    data.rules.push({ name, port, enabled: true });
    await writeJson(file, data);
    return true;
  });
}

/** Removes a rule by name; returns whether one was there. */
export async function removeFirewallRule(
  labDir: string,
  name: string,
): Promise<boolean> {
  const file = `${labDir}/state/firewall.json`;
  return await withLock(`${file}.lock`, async () => {
    const data = await readJson<FirewallFile>(file, { rules: [] });
    const kept = data.rules.filter((r) => r.name !== name);
    if (kept.length === data.rules.length) return false;
    await writeJson(file, { ...data, rules: kept });
    return true;
  });
}

/**
 * Creates the rule (inbound TCP `port` from `remote`, any profile) or repairs
 * it when disabled, on another port, from other addresses or not for every
 * profile; returns whether it changed. Addresses compare as given (the real
 * script normalizes IPv4 prefixes to masks first, as Windows stores them).
 */
export async function convergeFirewallRule(
  labDir: string,
  name: string,
  port: number,
  remote: string[],
): Promise<boolean> {
  const file = `${labDir}/state/firewall.json`;
  return await withLock(`${file}.lock`, async () => {
    const data = await readJson<FirewallFile>(file, { rules: [] });
    const want = {
      name,
      port,
      enabled: true,
      remote: [...new Set(remote)].sort(),
      profile: "Any",
    };
    const rule = data.rules.find((r) => r.name === name);
    if (
      rule && rule.enabled && rule.port === port && rule.profile === "Any" &&
      JSON.stringify([...new Set(rule.remote ?? ["Any"])].sort()) ===
        JSON.stringify(want.remote)
    ) return false;
    data.rules = [...data.rules.filter((r) => r.name !== name), want];
    await writeJson(file, data);
    return true;
  });
}

/** `playwright_install`: what install-playwright.ps1 does, step by step. */
export async function playwrightInstall(
  input: Input,
  ctx: ShellContext,
): Promise<number> {
  const dir = mapWindowsPath(ctx.labDir, PLAYWRIGHT_DIR);
  const script = `${PLAYWRIGHT_DIR}\\install-playwright.ps1`;
  if (!await exists(`${dir}/install-playwright.ps1`)) {
    await ctx.io.err(
      `& : The term '${script}' is not recognized as the name of a cmdlet, function, script file, or operable program.\n`,
    );
    return 1;
  }
  const port = Number(input.port);
  const wsPath = String(input.ws_path);
  const bindHost = String(input.bind_host);
  const allowFrom = input.allow_from as string[];
  // 0. What the script refuses (exit 2), then the root it requires locked.
  if (!/^[A-Za-z0-9_-]{32,256}$/.test(wsPath) || new Set(wsPath).size < 16) {
    await ctx.io.err(
      "-WsPath must be 32-256 letters, digits, _ or -, at least 16 of them distinct\n",
    );
    return 2;
  }
  if (bindHost === "0.0.0.0" && allowFrom.length === 0) {
    await ctx.io.err(
      "-AllowFrom must name at least one remote address when -BindHost is 0.0.0.0\n",
    );
    return 2;
  }
  const root = await effectiveAcl(ctx.labDir, ROOT);
  if (
    !root?.protected || !["S-1-5-18", "S-1-5-32-544"].includes(root.owner)
  ) {
    await ctx.io.err(
      `${ROOT} is not locked to SYSTEM and Administrators; run win-automation playwright install, which locks it first\n`,
    );
    return 1;
  }
  const changed: string[] = [];
  const add = (what: string) => {
    if (!changed.includes(what)) changed.push(what);
  };
  // 1. The folder: inherits, plus ReadAndExecute (CI|OI) for LOCAL SERVICE;
  // the log: plus Write for LOCAL SERVICE. Owner Administrators.
  await Deno.mkdir(`${dir}/browsers`, { recursive: true });
  const logFile = `${PLAYWRIGHT_DIR}\\launch-server.log`;
  if (!await exists(`${dir}/launch-server.log`)) {
    await Deno.writeTextFile(`${dir}/launch-server.log`, "");
  }
  for (
    const [path, rights, inheritance] of [
      [PLAYWRIGHT_DIR, RIGHTS.readAndExecute, 3],
      [logFile, RIGHTS.write, 0],
    ] as const
  ) {
    const want = {
      owner: "S-1-5-32-544",
      protected: false,
      rules: [{ sid: LOCAL_SERVICE, rights, inheritance, propagation: 0 }],
    };
    const have = await aclEntry(ctx.labDir, path);
    if (JSON.stringify(have) !== JSON.stringify(want)) {
      await setAcl(ctx.labDir, path, want);
      add("acl");
    }
  }
  // 2. The secret: a temporary file in the folder (inheriting its rules),
  // moved into place; also when the file has rules of its own.
  const wsFile = `${PLAYWRIGHT_DIR}\\ws_path.txt`;
  const same =
    await Deno.readTextFile(`${dir}/ws_path.txt`).catch(() => null) === wsPath;
  const own = await aclEntry(ctx.labDir, wsFile);
  const inherits = own === null || (!own.protected && own.rules.length === 0);
  if (!same || !inherits) {
    const tmp = `${dir}/ws_path.${crypto.randomUUID().replaceAll("-", "")}.tmp`;
    await Deno.writeTextFile(tmp, wsPath);
    await Deno.remove(`${dir}/ws_path.txt`).catch(() => {});
    await setAcl(ctx.labDir, wsFile, null);
    await Deno.rename(tmp, `${dir}/ws_path.txt`);
    add(same ? "ws_path_acl" : "ws_path");
  }
  // 3. server.json. The lab's own field: Chromium refuses its sandbox as
  // root (crbug.com/638180), and the lab's "Windows" runs as root; the real
  // script never writes it.
  const server = JSON.stringify({
    host: bindHost,
    port,
    channel: input.channel,
    executable_path: input.executable_path,
    ...(Deno.uid() === 0 ? { lab_no_sandbox: true } : {}),
  });
  if (await writeIfChanged(`${dir}/server.json`, server)) {
    add("server_config");
  }
  // 4. The task, as LOCAL SERVICE (by SID), limited.
  const taskChanged = await putTask(ctx.labDir, {
    name: PLAYWRIGHT_TASK,
    execute: String(input.node_path),
    arguments: `"${PLAYWRIGHT_DIR}\\launch-server.js"`,
    working_dir: PLAYWRIGHT_DIR,
    trigger: "AtStartup",
    user: LOCAL_SERVICE,
    logon_type: "ServiceAccount",
    run_level: "Limited",
  });
  if (taskChanged) add("task");
  // 5. The firewall rule: none for loopback; else from allow_from only.
  const ruleName = `Playwright-${port}`;
  if (bindHost === "127.0.0.1") {
    if (await removeFirewallRule(ctx.labDir, ruleName)) {
      add("firewall_removed");
    }
  } else if (
    await convergeFirewallRule(ctx.labDir, ruleName, port, allowFrom)
  ) {
    add("firewall");
  }
  // 6. Start, or restart when what the server reads at start changed.
  const listening = () => listeningPorts().has(port);
  let running = await taskPid(ctx.labDir, PLAYWRIGHT_TASK) !== null;
  const stale = input.restart === true ||
    changed.some((c) => ["ws_path", "server_config", "task"].includes(c));
  if (running && stale) {
    await endTask(ctx.labDir, PLAYWRIGHT_TASK);
    await waitUntil(() => !listening(), 10_000);
    running = false;
    add("restarted");
  }
  if (!running) {
    const error = await runTask(ctx.labDir, PLAYWRIGHT_TASK);
    if (error) {
      await ctx.io.err(error + "\n");
      return 1;
    }
    if (!changed.includes("restarted")) add("started");
  }
  if (!await waitUntil(listening, 30_000)) {
    await ctx.io.err(
      `port ${port} did not listen within 30 s; see ${PLAYWRIGHT_DIR}\\launch-server.log\n`,
    );
    return 1;
  }
  return print(ctx, { state: "installed", changed });
}
