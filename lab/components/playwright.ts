/**
 * The lab's Playwright server: Node and the pinned playwright-core under the
 * lab's `C:/ProgramData/win-automation/playwright`, Debian's ffmpeg where
 * Playwright looks for its own, and the server installed the way an operator
 * does it, with `win-automation playwright install` (whose emulated
 * `schtasks /Run` starts the embedded launch-server.js for real).
 * @module
 */
import cliConfig from "../../deno.json" with { type: "json" };
import { LAB_CHROMIUM, labEnv, type LabPaths, type LabPorts } from "./paths.ts";
import {
  descendants,
  listeningPorts,
  runText,
  spawnDetached,
  terminate,
  waitUntil,
} from "../linux/mod.ts";
import { endTask, getTask, taskPid } from "../windows/mod.ts";
import { LOCAL_SERVICE, PLAYWRIGHT_TASK } from "../powershell/mod.ts";

/**
 * The playwright-core version the CLI pins: from the root deno.json's import
 * map, read as lib/version's `pinnedVersion()` reads it (lab code never
 * imports lib/; `playwright_test.ts` checks the two agree).
 */
export const PLAYWRIGHT_VERSION: string =
  (cliConfig.imports as Record<string, string>)["playwright-core"]?.match(
    /@(\d+\.\d+\.\d+[^/]*)$/,
  )?.[1] ?? "unknown";

const FFMPEG = "/usr/bin/ffmpeg";

/** The version of playwright-core installed under `dir`, if any. */
async function installedVersion(dir: string): Promise<string | null> {
  const text = await Deno.readTextFile(
    `${dir}/node_modules/playwright-core/package.json`,
  ).catch(() => null);
  return text === null ? null : JSON.parse(text).version ?? null;
}

/**
 * Installs playwright-core@`version` under `dir` with npm (once: npm's cache
 * serves later installs), and links Debian's ffmpeg where that version's
 * Playwright looks for its ffmpeg: `<dir>/browsers/ffmpeg-<revision>/`.
 */
export async function ensurePlaywrightPackage(
  dir: string,
  version: string,
): Promise<void> {
  await Deno.mkdir(dir, { recursive: true });
  if (await installedVersion(dir) !== version) {
    const npm = await runText("npm", [
      "install",
      "--prefix",
      dir,
      "--no-audit",
      "--no-fund",
      "--no-save",
      "--loglevel=error",
      `playwright-core@${version}`,
    ]);
    if (!npm.ok || await installedVersion(dir) !== version) {
      throw new Error(
        `Cannot install playwright-core@${version} into ${dir}: ${
          npm.stderr.trim().split("\n").slice(-3).join(" | ")
        }`,
      );
    }
  }
  const browsers = JSON.parse(
    await Deno.readTextFile(
      `${dir}/node_modules/playwright-core/browsers.json`,
    ),
  ) as { browsers: { name: string; revision: string }[] };
  const revision = browsers.browsers.find((b) => b.name === "ffmpeg")?.revision;
  if (!revision) throw new Error(`Cannot find ffmpeg's revision in ${dir}`);
  const target = `${dir}/browsers/ffmpeg-${revision}/ffmpeg-linux`;
  await Deno.mkdir(`${dir}/browsers/ffmpeg-${revision}`, { recursive: true });
  if (await Deno.readLink(target).catch(() => null) !== FFMPEG) {
    await Deno.remove(target).catch(() => {});
    await Deno.symlink(FFMPEG, target);
  }
}

/**
 * Whether a ws path passes the tool's rule: 32-256 of `[A-Za-z0-9_-]`, at
 * least 16 distinct (written here again: the lab does not take its rules from
 * lib/).
 */
export function strongEnough(wsPath: string): boolean {
  return /^[A-Za-z0-9_-]{32,256}$/.test(wsPath) && new Set(wsPath).size >= 16;
}

/**
 * The lab's ws path secret: made once (43 base64url characters of 32 random
 * bytes), kept in a 0600 file; one made before the rule (weaker) is replaced.
 */
export async function ensureWsPath(paths: LabPaths): Promise<string> {
  const old = await Deno.readTextFile(paths.playwrightWsPath).catch(() => "");
  if (strongEnough(old.trim())) return old.trim();
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  const secret = "lab-" + btoa(String.fromCharCode(...bytes))
    .replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
  await Deno.writeTextFile(paths.playwrightWsPath, secret, { mode: 0o600 });
  return secret;
}

/** The pid of the lab's Playwright server, if its task runs. */
export function playwrightPid(paths: LabPaths): Promise<number | null> {
  return taskPid(paths.dir, PLAYWRIGHT_TASK);
}

/**
 * Brings the Playwright server up unless it runs, listens and holds the
 * lab's secret: `win-automation playwright install` with the lab's env.
 */
export async function startPlaywright(
  paths: LabPaths,
  ports: LabPorts,
): Promise<void> {
  await ensurePlaywrightPackage(paths.playwrightDir, PLAYWRIGHT_VERSION);
  const secret = await ensureWsPath(paths);
  const current = await Deno.readTextFile(`${paths.playwrightDir}/ws_path.txt`)
    .catch(() => "");
  if (
    current === secret &&
    (await getTask(paths.dir, PLAYWRIGHT_TASK))?.user === LOCAL_SERVICE &&
    await playwrightPid(paths) !== null &&
    await waitUntil(() => listeningPorts().has(ports.playwright), 5_000)
  ) return;
  const env = await labEnv(paths);
  const run = await runText(`${paths.bin}/win-automation`, [
    "playwright",
    "install",
  ], { env });
  if (!run.ok) {
    throw new Error(
      `Cannot start playwright: win-automation playwright install exited ${run.code}: ${
        run.stderr.trim().split("\n").slice(-2).join(" | ")
      }`,
    );
  }
}

/** Stops the lab's Playwright server (`schtasks /End`). */
export async function stopPlaywright(paths: LabPaths): Promise<void> {
  await endTask(paths.dir, PLAYWRIGHT_TASK);
}

/** A Playwright server of another version, for mismatch tests. */
export interface ExtraServer {
  port: number;
  pid: number;
  stop: () => Promise<void>;
}

/**
 * Starts the embedded launch-server.js from playwright-core@`version`
 * (installed under `<lab>/playwright-mismatch/<version>`) on a free loopback
 * port with `wsPath`, and waits until it listens.
 */
export async function startExtraServer(
  paths: LabPaths,
  options: { version: string; wsPath: string; launchServerJs: string },
): Promise<ExtraServer> {
  const { version, wsPath, launchServerJs } = options;
  const dir = `${paths.playwrightMismatch}/${version}`;
  await ensurePlaywrightPackage(dir, version);
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = listener.addr.port;
  listener.close();
  await Deno.writeTextFile(`${dir}/launch-server.js`, launchServerJs);
  await Deno.writeTextFile(`${dir}/ws_path.txt`, wsPath, { mode: 0o600 });
  await Deno.writeTextFile(
    `${dir}/server.json`,
    JSON.stringify({
      host: "127.0.0.1",
      port,
      channel: "chromium",
      executable_path: LAB_CHROMIUM,
      // Chromium refuses its sandbox as root (crbug.com/638180).
      ...(Deno.uid() === 0 ? { lab_no_sandbox: true } : {}),
    }),
  );
  const log = `${dir}/launch-server.out`;
  const pid = await spawnDetached("node", [`${dir}/launch-server.js`], {
    cwd: dir,
    stdoutPath: log,
    stderrPath: log,
  });
  const stop = () => terminate([pid, ...descendants(pid)], 3_000);
  if (!await waitUntil(() => listeningPorts().has(port), 30_000)) {
    await stop();
    throw new Error(`Cannot start a playwright ${version} server: see ${log}`);
  }
  return { port, pid, stop };
}
