import type { RunResult } from "../process/mod.ts";

/**
 * Why an ssh run failed before the remote command could answer:
 * - `connection`: no session was opened (refused, unresolvable, no route,
 *   key exchange cut): the remote command never started, a retry is safe;
 * - `dropped`: the connection broke after the session may have started
 *   ("closed by remote host", "Broken pipe", a multiplexing master gone): the
 *   remote command may be running or done, so it must never be sent again
 *   blindly (a run is re-attached instead, lib/windows/run.ts);
 * - `host_key`, `auth`: refused by the host, not retried;
 * - `none`: not an ssh failure (the remote command's own exit status).
 */
export type SshFailure =
  | "connection"
  | "dropped"
  | "host_key"
  | "auth"
  | "none";

/**
 * ssh's own messages when no session was opened. Each is anchored to the
 * start of a line and to ssh's wording, so a remote command whose stderr says
 * "timed out" or "connection refused" is never taken for one.
 */
const NOT_CONNECTED = [
  /^ssh: connect to host \S+ port \d+: /,
  /^ssh: Could not resolve hostname /,
  /^kex_exchange_identification: /,
  /^ssh_exchange_identification: /,
  /^Connection timed out during banner exchange/,
  /^Connection (closed|reset) by \S+ port \d+\s*$/,
  /^banner exchange: /,
];

/** ssh's own messages when an open connection broke. */
const DROPPED = [
  /^Connection to \S+ closed by remote host\.?\s*$/,
  /^Shared connection to \S+ closed\.?\s*$/,
  /^client_loop: send disconnect: /,
  /^packet_write_wait: Connection to /,
  /^Read from remote host \S+: /,
  /^Timeout, server \S+ not responding\.?\s*$/,
  /^mux_client_[a-z_]+: /,
];

/**
 * Classifies an ssh result. ssh exits 255 for its own errors; a remote command
 * that exits non-zero (even 255) without one of ssh's own messages is `none`.
 * Only ssh's own wording counts, at the start of a line.
 */
export function classifySshResult(result: RunResult): SshFailure {
  if (result.code !== 255) return "none";
  const lines = new TextDecoder().decode(result.stderr).split(/\r?\n/);
  const any = (patterns: RegExp[]) =>
    lines.some((line) => patterns.some((p) => p.test(line)));
  if (
    lines.some((l) =>
      /^Host key verification failed\.|^@ +WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED/
        .test(l)
    )
  ) {
    return "host_key";
  }
  if (
    lines.some((l) =>
      /^(\S+: )?Permission denied \(|^Received disconnect from .*Too many authentication failures/
        .test(l)
    )
  ) {
    return "auth";
  }
  if (any(DROPPED)) return "dropped";
  if (any(NOT_CONNECTED)) return "connection";
  return "none";
}
