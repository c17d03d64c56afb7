import {
  CLIENT_VERSION,
  type ConnectOptions,
  connectPlaywright,
  majorMinor,
} from "./connect.ts";
import type { PlaywrightTarget } from "./endpoint.ts";

/** What a healthy server reports. */
export interface PlaywrightHealth {
  /**
   * The server's Playwright major.minor: a server accepts only a client of
   * its own major.minor, so a connection proves it equals the client's.
   */
  version: string;
  /** The browser the server launched, e.g. `156.0.8078.79`. */
  browserVersion: string;
}

/** Connects, reads the versions, disconnects. */
export async function playwrightHealth(
  target: PlaywrightTarget,
  options: ConnectOptions,
): Promise<PlaywrightHealth> {
  const browser = await connectPlaywright(target, options);
  try {
    return {
      version: majorMinor(CLIENT_VERSION),
      browserVersion: browser.version(),
    };
  } finally {
    await browser.close().catch(() => {});
  }
}
