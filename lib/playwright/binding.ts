/**
 * Where the Playwright server binds on Windows, from the config: the
 * contract with `installPlaywright`'s `bindHost`/`allowFrom` options (the
 * Windows-side lockdown). With `playwright.via=ssh` the server binds the
 * Windows loopback and no firewall rule exists; with `direct` it binds
 * every interface and its rule allows only `windows.allow_from`.
 * @module
 */

/** `installPlaywright`'s binding options. */
export interface ServerBinding {
  /** `127.0.0.1` (reached through ssh) or `0.0.0.0` (direct). */
  bindHost: "127.0.0.1" | "0.0.0.0";
  /** The firewall rule's `-RemoteAddress`; empty with `127.0.0.1`. */
  allowFrom: string[];
}

/** The binding a config asks for. */
export function serverBinding(
  config: {
    windows: { allowFrom: readonly string[] };
    playwright: { via?: "ssh" | "direct" };
  },
): ServerBinding {
  return config.playwright.via === "direct"
    ? { bindHost: "0.0.0.0", allowFrom: [...config.windows.allowFrom] }
    : { bindHost: "127.0.0.1", allowFrom: [] };
}
