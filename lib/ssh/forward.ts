/**
 * Local forwards of the SSH connection: a unix socket on Linux that reaches
 * a TCP address on the Windows side, added to the running ControlMaster
 * (`ssh -O forward -L <socket>:<host>:<port>`) for one call and cancelled
 * after it (`ssh -O cancel`), so nothing listens longer than needed.
 * @module
 */
import { ConfigError } from "../errors/mod.ts";

/** An open forward: a unix socket that reaches one address on Windows. */
export interface LocalForward {
  /** The socket's path, in a 0700 directory under the state dir. */
  readonly path: string;
  /** Where it leads on the Windows side, `host:port`, for messages. */
  readonly remote: string;
  /**
   * Cancels the forward (`ssh -O cancel`) and removes the socket file.
   * Connections already made through it stay open. Never throws.
   */
  close(): Promise<void>;
}

/** Options for {@linkcode Tunnel.forward}. */
export interface ForwardOptions {
  /** Time limit of setting the forward up, in ms. @default the connect timeout */
  timeoutMs?: number;
  /** Cancels setting it up. @default undefined */
  signal?: AbortSignal;
}

/** What reaches addresses on the Windows side through the SSH connection. */
export interface Tunnel {
  /**
   * Opens a forward to `host:port` as seen from the Windows side (its
   * loopback, usually); close it as soon as the connection through it is
   * made.
   */
  forward(
    host: string,
    port: number,
    options?: ForwardOptions,
  ): Promise<LocalForward>;
}

/** The directory of forward sockets: `<state_dir>/fw`, 0700. */
export function forwardDir(stateDir: string): string {
  return `${stateDir}/fw`;
}

/**
 * A fresh socket path in `dir` (16 random hex digits). A path holding `:`,
 * `#` or `?` could not be named in ssh's `-L` or in a `ws+unix:` URL: a
 * ConfigError naming `state_dir`.
 */
export function forwardSocketPath(dir: string): string {
  if (/[:#?]/.test(dir)) {
    throw new ConfigError(
      "state_dir",
      `must not contain ":", "#" or "?" to hold ssh forward sockets (${
        JSON.stringify(dir.slice(0, 120))
      })`,
    );
  }
  const bytes = crypto.getRandomValues(new Uint8Array(8));
  const name = Array.from(bytes, (b) => b.toString(16).padStart(2, "0"))
    .join("");
  return `${dir}/${name}.sock`;
}

/**
 * ssh's `-L` argument `<socket>:<host>:<port>`, the host in brackets when
 * it is an IPv6 address.
 */
export function forwardSpec(path: string, host: string, port: number): string {
  const h = host.includes(":") && !host.startsWith("[") ? `[${host}]` : host;
  return `${path}:${h}:${port}`;
}
