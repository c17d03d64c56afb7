import type { Tunnel } from "../ssh/mod.ts";
import { urlPort } from "../windows/mod.ts";

/** Options for {@linkcode throughTunnel}. */
export interface ThroughTunnelOptions<T> {
  /** The URL whose host:port (on the Windows side) the forward reaches. */
  url: string;
  /** Sends the request with the tunnel's fetch. */
  send: (fetch: typeof globalThis.fetch) => Promise<T>;
  /** Time limit of opening the forward, in ms. */
  timeoutMs: number;
  /**
   * The fetch under the tunnel's client (tests). @default globalThis.fetch
   */
  fetch?: typeof globalThis.fetch;
}

function addressOf(url: string): { host: string; port: number } {
  const u = new URL(url);
  return { host: u.hostname.replace(/^\[|\]$/g, ""), port: urlPort(url) };
}

/**
 * Sends one HTTP exchange (with its retries) through an ssh forward to the
 * URL's host:port on the Windows side: the forward is opened, `send` runs
 * with a fetch whose connections go to the forward's unix socket (the URL,
 * and so the Host header, stay as configured), and the forward is cancelled
 * when `send` ends, whatever happened.
 */
export async function throughTunnel<T>(
  tunnel: Tunnel,
  options: ThroughTunnelOptions<T>,
): Promise<T> {
  const { url, send } = options;
  const { host, port } = addressOf(url);
  const forward = await tunnel.forward(host, port, {
    timeoutMs: options.timeoutMs,
  });
  const client = Deno.createHttpClient({
    proxy: { transport: "unix", path: forward.path },
  });
  const base = options.fetch ?? globalThis.fetch;
  try {
    return await send((input, init) => base(input, { ...init, client }));
  } finally {
    client.close();
    await forward.close();
  }
}
