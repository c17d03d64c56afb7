import { DependencyError } from "../errors/mod.ts";
import type { Logger } from "../log/mod.ts";
import { PLAYWRIGHT_DIR } from "../powershell/mod.ts";
import type { SshClient } from "../ssh/mod.ts";
import { runJsonScript } from "../windows/mod.ts";
import { PLAYWRIGHT_ASSETS } from "./assets.ts";
import { CLIENT_VERSION, majorMinor } from "./connect.ts";
import { checkWsPath } from "./endpoint.ts";

/** Options for {@linkcode installPlaywright}. */
export interface InstallOptions {
  /** The secret path; crosses the wire only inside the script's input. */
  wsPath: string;
  /** The port the server listens on (and its firewall rule's). */
  port: number;
  /** Playwright's browser channel. */
  channel: string;
  /** A browser executable; when set, used instead of `channel`. */
  executablePath: string;
  /** Time limit of each remote step in ms. */
  timeoutMs: number;
  /** Receives one line per step. */
  logger: Logger;
  /** The files to install, by name. @default the embedded assets */
  assets?: Readonly<Record<string, string>>;
}

/** What the prerequisite check found on Windows (`playwright_prereq`). */
export interface PlaywrightPrereq {
  node_path: string | null;
  node_version: string | null;
  playwright_version: string | null;
  ffmpeg: boolean;
  files: Record<string, string>;
}

/** The exact commands that fix a missing prerequisite on Windows. */
export const FIXES = {
  node: "winget install OpenJS.NodeJS.LTS",
  playwright:
    `npm install --prefix ${PLAYWRIGHT_DIR} playwright-core@${CLIENT_VERSION}`,
  ffmpeg:
    `cd ${PLAYWRIGHT_DIR}; $env:PLAYWRIGHT_BROWSERS_PATH="$PWD\\browsers"; npx playwright-core install ffmpeg`,
} as const;

async function sha256(text: string): Promise<string> {
  const digest = await crypto.subtle.digest(
    "SHA-256",
    new TextEncoder().encode(text),
  );
  return Array.from(
    new Uint8Array(digest),
    (b) => b.toString(16).padStart(2, "0"),
  ).join("");
}

function missing(err: string, what: string, fix: string): DependencyError {
  return new DependencyError(
    `Cannot install the Playwright server: ${what} (fix on Windows: ${fix})`,
    { fields: { state: "error", err, fix } },
  );
}

/**
 * Installs or converges the Playwright server on Windows: checks Node and the
 * pinned playwright-core (exit 3 with the exact fix when missing), uploads the
 * embedded assets that differ with scp, then runs install-playwright.ps1
 * through the `playwright_install` script kind (ws_path.txt, the scheduled
 * task, the firewall rule, start, wait for the port). Returns what changed;
 * an empty list means everything was already right.
 */
export async function installPlaywright(
  ssh: SshClient,
  options: InstallOptions,
): Promise<
  { changed: string[]; nodeVersion: string; playwrightVersion: string }
> {
  const { port, timeoutMs, logger, assets = PLAYWRIGHT_ASSETS } = options;
  const wsPath = checkWsPath(options.wsPath);
  const log = (msg: string, fields = {}) =>
    logger.info("playwright", "playwright.install", msg, fields);
  const prereq = await runJsonScript<"playwright_prereq", PlaywrightPrereq>(
    ssh,
    "playwright_prereq",
    {},
    { timeoutMs },
  );
  if (!prereq.node_path) {
    throw missing("missing_node", "Node.js is not installed", FIXES.node);
  }
  if (!prereq.playwright_version) {
    throw missing(
      "missing_playwright",
      `playwright-core is not installed in ${PLAYWRIGHT_DIR}`,
      FIXES.playwright,
    );
  }
  if (majorMinor(prereq.playwright_version) !== majorMinor(CLIENT_VERSION)) {
    throw missing(
      "version_mismatch",
      `playwright-core ${prereq.playwright_version} on Windows does not match this client's ${CLIENT_VERSION} in major.minor`,
      FIXES.playwright,
    );
  }
  log("prerequisites present", {
    step: "prereq",
    node_version: prereq.node_version ?? "",
    playwright_version: prereq.playwright_version,
  });
  if (!prereq.ffmpeg) {
    logger.warn(
      "playwright",
      "playwright.install",
      "Playwright's ffmpeg is missing on Windows: --video will be partial",
      { fix: FIXES.ffmpeg },
    );
  }
  const stale: string[] = [];
  for (const [name, text] of Object.entries(assets)) {
    if (prereq.files[name] !== await sha256(text)) stale.push(name);
  }
  if (stale.length > 0) await upload(ssh, assets, stale, timeoutMs);
  log(stale.length ? "assets uploaded" : "assets already current", {
    step: "upload",
    changed: stale.length > 0,
    files: stale.join(",") || undefined,
  });
  const answer = await runJsonScript<
    "playwright_install",
    { state: string; changed: string[] | null }
  >(ssh, "playwright_install", {
    ws_path: wsPath,
    port,
    node_path: prereq.node_path,
    channel: options.channel,
    executable_path: options.executablePath,
    restart: stale.includes("launch-server.js"),
  }, { timeoutMs: Math.max(timeoutMs, 60_000) });
  const changed = [
    ...(stale.length ? ["assets"] : []),
    ...(answer.changed ?? []),
  ];
  log("server installed", {
    step: "install",
    changed: changed.length > 0,
    what: changed.join(",") || undefined,
  });
  return {
    changed,
    nodeVersion: prereq.node_version ?? "",
    playwrightVersion: prereq.playwright_version,
  };
}

async function upload(
  ssh: SshClient,
  assets: Readonly<Record<string, string>>,
  names: string[],
  timeoutMs: number,
): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "wa-playwright-" });
  try {
    const files: string[] = [];
    for (const name of names) {
      const file = `${dir}/${name}`;
      await Deno.writeTextFile(file, assets[name]!);
      files.push(file);
    }
    const remote = PLAYWRIGHT_DIR.replaceAll("\\", "/") + "/";
    const result = await ssh.upload(files, remote, { timeoutMs });
    if (result.code !== 0) {
      const why = new TextDecoder().decode(result.stderr).trim();
      throw new DependencyError(
        `Cannot upload the Playwright assets to ${ssh.endpoint}:${remote}: scp exited ${result.code}${
          why ? ` (${why})` : ""
        }`,
      );
    }
  } finally {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}
