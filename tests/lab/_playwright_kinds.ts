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
import { readJson, withLock, writeJson } from "./_json_file.ts";
import { listeningPorts, waitUntil } from "./_proc.ts";
import { runText } from "./_run.ts";
import type { ShellContext } from "./_shell_io.ts";
import { endTask, putTask, runTask, taskPid } from "./_tasks.ts";
import { mapWindowsPath } from "./_win_path.ts";

/** Where the server lives on "Windows". */
export const PLAYWRIGHT_DIR = "C:\\ProgramData\\win-automation\\playwright";
/** The scheduled task's name. */
export const PLAYWRIGHT_TASK = "WinAutomation-Playwright";
/** Where `Get-Command node` finds node on the lab's "Windows". */
export const NODE_PATH = "C:\\Program Files\\nodejs\\node.exe";
const ASSETS = ["launch-server.js", "install-playwright.ps1"];

type Input = Record<string, string | number | boolean>;

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
  rules: { name: string; port: number; enabled: boolean }[];
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
  const changed: string[] = [];
  await Deno.mkdir(`${dir}/browsers`, { recursive: true });
  if (await writeIfChanged(`${dir}/ws_path.txt`, String(input.ws_path))) {
    changed.push("ws_path");
  }
  const server = JSON.stringify({
    host: "0.0.0.0",
    port,
    channel: input.channel,
    executable_path: input.executable_path,
  });
  if (await writeIfChanged(`${dir}/server.json`, server)) {
    changed.push("server_config");
  }
  const taskChanged = await putTask(ctx.labDir, {
    name: PLAYWRIGHT_TASK,
    execute: String(input.node_path),
    arguments: `"${PLAYWRIGHT_DIR}\\launch-server.js"`,
    working_dir: PLAYWRIGHT_DIR,
    trigger: "AtStartup",
    user: "SYSTEM",
    logon_type: "ServiceAccount",
  });
  if (taskChanged) changed.push("task");
  if (await addFirewallRule(ctx.labDir, `Playwright-${port}`, port)) {
    changed.push("firewall");
  }
  const listening = () => listeningPorts().has(port);
  let running = await taskPid(ctx.labDir, PLAYWRIGHT_TASK) !== null;
  const stale = input.restart === true ||
    changed.some((c) => ["ws_path", "server_config", "task"].includes(c));
  if (running && stale) {
    await endTask(ctx.labDir, PLAYWRIGHT_TASK);
    await waitUntil(() => !listening(), 10_000);
    running = false;
    changed.push("restarted");
  }
  if (!running) {
    const error = await runTask(ctx.labDir, PLAYWRIGHT_TASK);
    if (error) {
      await ctx.io.err(error + "\n");
      return 1;
    }
    if (!changed.includes("restarted")) changed.push("started");
  }
  if (!await waitUntil(listening, 30_000)) {
    await ctx.io.err(
      `port ${port} did not listen within 30 s; see ${PLAYWRIGHT_DIR}\\launch-server.log\n`,
    );
    return 1;
  }
  return print(ctx, { state: "installed", changed });
}
