import { ConfigError, DependencyError } from "../errors/mod.ts";
import type { Logger } from "../log/mod.ts";
import type { SshClient } from "../ssh/mod.ts";
import {
  lockRoot,
  PLAYWRIGHT_DIR,
  remoteVersion,
  runJsonScript,
  scpPath,
} from "../windows/mod.ts";
import { PLAYWRIGHT_ASSETS } from "./assets.ts";
import { CLIENT_VERSION, majorMinor } from "./connect.ts";
import { checkWsPath } from "./endpoint.ts";

/** Options for {@linkcode installPlaywright}. */
export interface InstallOptions {
  /** The secret path; crosses the wire only inside the script's input. */
  wsPath: string;
  /** The port the server listens on (and its firewall rule's). */
  port: number;
  /**
   * Playwright's browser channel; `auto` is `msedge` where Edge is installed
   * (Windows 10/11, Server 2022), else Playwright's own `chromium` (Server
   * 2019 ships no Edge).
   */
  channel: string;
  /** A browser executable; when set, used instead of `channel`. */
  executablePath: string;
  /** Time limit of each remote step in ms. */
  timeoutMs: number;
  /** Receives one line per step. */
  logger: Logger;
  /** The files to install, by name. @default the embedded assets */
  assets?: Readonly<Record<string, string>>;
  /**
   * The address the server binds on Windows. `127.0.0.1`: reachable only
   * through an SSH forward, and no firewall rule (an existing
   * `Playwright-<port>` is removed). `0.0.0.0`: reachable from `allowFrom`
   * through the rule `Playwright-<port>` (created or repaired with
   * `-RemoteAddress <allowFrom> -Profile Any`). @default "127.0.0.1"
   */
  bindHost?: "127.0.0.1" | "0.0.0.0";
  /**
   * Remote addresses (IPv4 or IPv6, optionally with a prefix length) the
   * firewall rule allows; used only with `bindHost` `0.0.0.0`, where it must
   * not be empty. @default []
   */
  allowFrom?: readonly string[];
}

const IPV4 =
  /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}(\/([0-9]|[12]\d|3[0-2]))?$/;
const IPV6 =
  /^[0-9A-Fa-f:]*:[0-9A-Fa-f:.]*(\/([0-9]|[1-9]\d|1[01]\d|12[0-8]))?$/;

/**
 * Checks the bind host and firewall addresses of an install (exit 2 for a
 * value the firewall could not take, naming the setting).
 */
export function checkBindOptions(
  bindHost: string,
  allowFrom: readonly string[],
): void {
  if (bindHost !== "127.0.0.1" && bindHost !== "0.0.0.0") {
    throw new ConfigError(
      "playwright.bind_host",
      `must be "127.0.0.1" or "0.0.0.0", got "${bindHost.slice(0, 60)}"`,
    );
  }
  if (bindHost === "0.0.0.0" && allowFrom.length === 0) {
    throw new ConfigError(
      "playwright.allow_from",
      "must name at least one remote address when the server binds 0.0.0.0",
    );
  }
  for (const a of allowFrom) {
    if (!IPV4.test(a) && !(IPV6.test(a) && a.length <= 49)) {
      throw new ConfigError(
        "playwright.allow_from",
        `must hold IPv4 or IPv6 addresses (optionally /prefix), got "${
          a.slice(0, 60)
        }"`,
      );
    }
  }
}

/** What the prerequisite check found on Windows (`playwright_prereq`). */
export interface PlaywrightPrereq {
  node_path: string | null;
  node_version: string | null;
  playwright_version: string | null;
  ffmpeg: boolean;
  /** Whether Playwright's own Chromium is under `browsers\\`. */
  chromium: boolean;
  files: Record<string, string>;
}

/** The Node.js LTS release the Windows fix installs where winget is absent. */
export const NODE_LTS = "22.23.3";

/**
 * The command that installs Node.js on Windows: winget where it exists
 * (Windows 10/11), else the official MSI (Windows Server 2019 and 2022 ship
 * no winget), downloaded over TLS 1.2, which Windows PowerShell 5.1 does not
 * enable by default on older .NET Framework defaults.
 */
export function nodeFix(hasWinget: boolean): string {
  if (hasWinget) {
    return "winget install --id OpenJS.NodeJS.LTS -e --accept-source-agreements --accept-package-agreements";
  }
  const msi = `node-v${NODE_LTS}-x64.msi`;
  return `[Net.ServicePointManager]::SecurityProtocol = [Net.SecurityProtocolType]::Tls12; Invoke-WebRequest -UseBasicParsing -Uri 'https://nodejs.org/dist/v${NODE_LTS}/${msi}' -OutFile "$env:TEMP\\${msi}"; Start-Process msiexec.exe -Wait -ArgumentList '/i', "$env:TEMP\\${msi}", '/qn'`;
}

/**
 * The browser channel to use: `auto` resolves to `msedge` when Edge is
 * installed, else `chromium`; any other value is kept.
 */
export function resolveChannel(channel: string, hasEdge: boolean): string {
  if (channel !== "auto") return channel;
  return hasEdge ? "msedge" : "chromium";
}

/** The exact commands that fix a missing prerequisite on Windows. */
export const FIXES = {
  node: nodeFix(false),
  playwright:
    `npm install --prefix ${PLAYWRIGHT_DIR} playwright-core@${CLIENT_VERSION}`,
  ffmpeg:
    `cd ${PLAYWRIGHT_DIR}; $env:PLAYWRIGHT_BROWSERS_PATH="$PWD\\browsers"; npx playwright-core install ffmpeg`,
  chromium:
    `cd ${PLAYWRIGHT_DIR}; $env:PLAYWRIGHT_BROWSERS_PATH="$PWD\\browsers"; npx playwright-core install chromium`,
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
 * task, the firewall rule, start, wait for the port). Before uploading it
 * locks `C:\\ProgramData\\win-automation` to SYSTEM and Administrators
 * (`root_lock`; `acl` in the changes when it had to be repaired). Returns what changed;
 * an empty list means everything was already right.
 */
export async function installPlaywright(
  ssh: SshClient,
  options: InstallOptions,
): Promise<
  { changed: string[]; nodeVersion: string; playwrightVersion: string }
> {
  const {
    port,
    timeoutMs,
    logger,
    assets = PLAYWRIGHT_ASSETS,
    bindHost = "127.0.0.1",
    allowFrom = [],
  } = options;
  const wsPath = checkWsPath(options.wsPath);
  checkBindOptions(bindHost, allowFrom);
  const log = (msg: string, fields = {}) =>
    logger.scope("playwright", "playwright.install").info(msg, fields);
  const prereq = await runJsonScript<"playwright_prereq", PlaywrightPrereq>(
    ssh,
    "playwright_prereq",
    {},
    { timeoutMs },
  );
  const windows = await remoteVersion(ssh, { timeoutMs });
  if (!prereq.node_path) {
    throw missing(
      "missing_node",
      `Node.js is not installed (${windows.os_caption || "Windows"})`,
      nodeFix(windows.winget),
    );
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
    logger.scope("playwright", "playwright.install").warn(
      "Playwright's ffmpeg is missing on Windows: --video will be partial",
      { fix: FIXES.ffmpeg },
    );
  }
  const channel = resolveChannel(options.channel, windows.edge);
  if (
    options.executablePath === "" && channel === "chromium" && !prereq.chromium
  ) {
    throw missing(
      "missing_browser",
      `no browser for channel "${channel}"${
        options.channel === "auto"
          ? ` (auto: Microsoft Edge is not installed on ${
            windows.os_caption || "this Windows"
          })`
          : ""
      }`,
      FIXES.chromium,
    );
  }
  // Before anything is written there: the root is SYSTEM's and
  // Administrators' only, so what is uploaded next inherits that.
  const locked = await lockRoot(ssh, { timeoutMs });
  log(locked.length ? "root ACL repaired" : "root ACL already locked", {
    step: "lock",
    changed: locked.length > 0,
  });
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
    channel,
    executable_path: options.executablePath,
    restart: stale.includes("launch-server.js"),
    bind_host: bindHost,
    allow_from: [...allowFrom],
  }, { timeoutMs: Math.max(timeoutMs, 60_000) });
  const changed = [
    ...new Set([
      ...locked,
      ...(stale.length ? ["assets"] : []),
      ...(answer.changed ?? []),
    ]),
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
    const remote = scpPath(PLAYWRIGHT_DIR, "");
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
