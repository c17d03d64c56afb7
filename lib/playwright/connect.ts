import type { Browser } from "playwright-core";
import { DependencyError, errorMessage } from "../errors/mod.ts";
import { pinnedVersion } from "../version/mod.ts";
import { type LoadChromium, loadChromium } from "./_load.ts";
import {
  checkWsPath,
  type PlaywrightTarget,
  scrubMessage,
  serverAddress,
  wsEndpoint,
} from "./endpoint.ts";

/** Options for {@linkcode connectPlaywright}. */
export interface ConnectOptions {
  /** Time limit of the connection in ms. */
  timeoutMs: number;
  /** Loads playwright-core. @default the real one, lazily */
  load?: LoadChromium;
}

/** The Playwright version this client speaks (deno.json's pin). */
export const CLIENT_VERSION = pinnedVersion("playwright-core");

/** `1.61` of `1.61.1`. */
export function majorMinor(version: string): string {
  return version.split(".").slice(0, 2).join(".");
}

/**
 * Turns a failed `connect` into a DependencyError (exit 3) whose message
 * names the cause without the ws path: `err=version_mismatch` with both
 * versions when the server answered 428, else `err=unreachable`.
 */
export function connectError(
  error: unknown,
  target: PlaywrightTarget,
): DependencyError {
  const text = errorMessage(error);
  const where = serverAddress(target);
  if (/\b428\b/.test(text)) {
    const server = text.match(/server version: v?(\d+\.\d+(?:\.\d+)?)/)?.[1] ??
      "unknown";
    return new DependencyError(
      `Cannot connect to Playwright at ${where}: version mismatch: server ${server}, client ${CLIENT_VERSION} (they must match in major.minor; run: win-automation playwright install)`,
      {
        cause: error,
        fields: {
          err: "version_mismatch",
          server_version: server,
          client_version: CLIENT_VERSION,
        },
      },
    );
  }
  let why = scrubMessage(text, target.wsPath)
    .replace(/^browserType\.connect: /, "")
    .replace(/^WebSocket error: /, "");
  if (/\b400 Bad Request\b/.test(why)) {
    why =
      "the server refused the ws path (400): WIN_AUTOMATION_PLAYWRIGHT_WS_PATH differs from the server's ws_path.txt";
  } else if (
    target.via === "ssh" && /socket hang up|ECONNRESET|EPIPE/i.test(why)
  ) {
    // sshd accepted the forwarded connection, then could not reach the port.
    why =
      `nothing answered on the Windows side (the ssh forward was closed: ${why})`;
  }
  return new DependencyError(
    `Cannot connect to Playwright at ${where}: ${why}`,
    { cause: error, fields: { err: "unreachable", state: "unreachable" } },
  );
}

/**
 * Connects to the Playwright server; throws {@linkcode connectError}'s
 * errors. With `via: "ssh"` it adds a forward to the SSH connection, dials
 * the server through its unix socket and cancels the forward as soon as the
 * WebSocket is open (or failed): the connection made stays, nothing keeps
 * listening. The ws path crosses only inside that connection.
 */
export async function connectPlaywright(
  target: PlaywrightTarget,
  options: ConnectOptions,
): Promise<Browser> {
  // A missing or bad ws path is a config error before anything is dialled.
  checkWsPath(target.wsPath);
  const chromium = await (options.load ?? loadChromium)();
  if (target.via !== "ssh") {
    try {
      return await chromium.connect(wsEndpoint(target), {
        timeout: options.timeoutMs,
      });
    } catch (error) {
      throw connectError(error, target);
    }
  }
  if (!target.tunnel) {
    throw new TypeError("playwright.via=ssh needs the SSH client (a bug)");
  }
  const forward = await target.tunnel.forward(target.host, target.port, {
    timeoutMs: options.timeoutMs,
  });
  try {
    return await chromium.connect(wsEndpoint(target, forward.path), {
      timeout: options.timeoutMs,
    });
  } catch (error) {
    throw connectError(error, target);
  } finally {
    await forward.close();
  }
}
