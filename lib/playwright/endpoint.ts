import { ConfigError } from "../errors/mod.ts";

/** Where the Playwright server listens, and its secret path. */
export interface PlaywrightTarget {
  /** Host the Linux side connects to. */
  host: string;
  /** Its port. */
  port: number;
  /** The secret path (env only); never logged. */
  wsPath: string;
}

const WS_PATH = /^[A-Za-z0-9._~-]{16,256}$/;
const WS_PATH_ENV = "WIN_AUTOMATION_PLAYWRIGHT_WS_PATH";

/**
 * Checks the ws path: set, 16-256 URL-safe characters. The message names the
 * variable, never the value.
 */
export function checkWsPath(wsPath: string): string {
  if (wsPath === "") {
    throw new ConfigError(
      WS_PATH_ENV,
      "is not set: the Playwright server's secret path (16-256 letters, digits, '.', '_', '~' or '-')",
    );
  }
  if (!WS_PATH.test(wsPath)) {
    throw new ConfigError(
      WS_PATH_ENV,
      `must be 16-256 letters, digits, '.', '_', '~' or '-' (got ${wsPath.length} characters)`,
    );
  }
  return wsPath;
}

/**
 * The server's WebSocket endpoint, `ws://<host>:<port>/<ws_path>`. The one
 * place it is built; it holds the secret, so it is never logged.
 */
export function wsEndpoint(target: PlaywrightTarget): string {
  const host = target.host.includes(":") && !target.host.startsWith("[")
    ? `[${target.host}]`
    : target.host;
  return `ws://${host}:${target.port}/${checkWsPath(target.wsPath)}`;
}

/** `host:port` of the server, for messages. */
export function serverAddress(target: PlaywrightTarget): string {
  return `${target.host}:${target.port}`;
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

/** The Playwright target of a resolved config. */
export function targetOf(
  config: { playwright: { host: string; port: number; wsPath: string } },
): PlaywrightTarget {
  const { host, port, wsPath } = config.playwright;
  return { host, port, wsPath };
}
