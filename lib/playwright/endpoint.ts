import { ConfigError } from "../errors/mod.ts";
import type { Tunnel } from "../ssh/mod.ts";

/** Where the Playwright server listens, and its secret path. */
export interface PlaywrightTarget {
  /**
   * With `ssh`, `host:port` is the server's address on the Windows side,
   * reached through a forward of `tunnel`; with `direct`, the address the
   * Linux side connects to over the network. @default "direct"
   */
  via?: "ssh" | "direct";
  /** Host of the server (on Windows with `ssh`). */
  host: string;
  /** Its port. */
  port: number;
  /** The secret path (env only); never logged. */
  wsPath: string;
  /** The SSH connection the forward is added to; required with `ssh`. */
  tunnel?: Tunnel;
}

const WS_PATH = /^[A-Za-z0-9_-]{32,256}$/;
const WS_PATH_ENV = "WIN_AUTOMATION_PLAYWRIGHT_WS_PATH";
/** The fewest distinct characters a ws path may have. */
export const WS_PATH_MIN_DISTINCT = 16;
const RULE =
  `32-256 letters, digits, '_' or '-', at least ${WS_PATH_MIN_DISTINCT} of them distinct (e.g. openssl rand -base64 33 | tr '+/' '-_')`;

/**
 * Checks the ws path: set, 32-256 of `[A-Za-z0-9_-]`, at least 16 distinct
 * characters (so `aaaa...` or a short word repeated is refused). It is the
 * only secret between the network and a browser on Windows. The message
 * names the variable, never the value.
 */
export function checkWsPath(wsPath: string): string {
  if (wsPath === "") {
    throw new ConfigError(
      WS_PATH_ENV,
      `is not set: the Playwright server's secret path (${RULE})`,
    );
  }
  if (!WS_PATH.test(wsPath)) {
    throw new ConfigError(
      WS_PATH_ENV,
      `must be ${RULE} (got ${wsPath.length} characters)`,
    );
  }
  const distinct = new Set(wsPath).size;
  if (distinct < WS_PATH_MIN_DISTINCT) {
    throw new ConfigError(
      WS_PATH_ENV,
      `must be ${RULE} (got ${distinct} distinct)`,
    );
  }
  return wsPath;
}

/**
 * The server's WebSocket endpoint, `ws://<host>:<port>/<ws_path>`, or with
 * `socketPath` (an ssh forward's unix socket) `ws+unix:<socket>:/<ws_path>`,
 * which playwright-core's WebSocket (the `ws` package) dials as a unix
 * socket. The one place it is built; it holds the secret, so it is never
 * logged.
 */
export function wsEndpoint(
  target: PlaywrightTarget,
  socketPath?: string,
): string {
  if (socketPath !== undefined) {
    return `ws+unix:${socketPath}:/${checkWsPath(target.wsPath)}`;
  }
  const host = target.host.includes(":") && !target.host.startsWith("[")
    ? `[${target.host}]`
    : target.host;
  return `ws://${host}:${target.port}/${checkWsPath(target.wsPath)}`;
}

/** `host:port` of the server, for messages (`(via ssh)` when tunnelled). */
export function serverAddress(target: PlaywrightTarget): string {
  return `${target.host}:${target.port}${
    target.via === "ssh" ? " (via ssh)" : ""
  }`;
}

/**
 * One line of an error text from Playwright fit to show: the first line,
 * without terminal colours, with the ws path (and so the endpoint) removed.
 */
export function scrubMessage(text: string, wsPath: string): string {
  // deno-lint-ignore no-control-regex
  let line = (text.split("\n")[0] ?? "").replace(/\x1b\[[0-9;]*m/g, "");
  if (wsPath) line = line.replaceAll(wsPath, "<redacted>");
  return line.trim();
}

/**
 * The Playwright target of a resolved config; `tunnel` (the SSH client) is
 * what `playwright.via=ssh` forwards through.
 */
export function targetOf(
  config: {
    playwright: {
      via?: "ssh" | "direct";
      host: string;
      port: number;
      wsPath: string;
    };
  },
  tunnel?: Tunnel,
): PlaywrightTarget {
  const { via = "direct", host, port, wsPath } = config.playwright;
  return { via, host, port, wsPath, tunnel };
}
