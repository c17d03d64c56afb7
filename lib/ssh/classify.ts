import type { RunResult } from "../process/mod.ts";

/** Why an ssh run failed before the remote command could answer. */
export type SshFailure =
  | "connection"
  | "host_key"
  | "auth"
  | "none";

const CONNECTION =
  /connection (refused|timed out|reset|closed)|timed out|timeout|could not resolve|name or service not known|no route to host|network is unreachable|broken pipe|kex_exchange_identification|closed by remote host|connection to .* closed|mux_client|control socket/i;

/**
 * Classifies an ssh result. ssh exits 255 for its own errors; a remote command
 * that exits non-zero (even 255) without such a message is `none`, and is
 * never retried.
 */
export function classifySshResult(result: RunResult): SshFailure {
  if (result.code !== 255) return "none";
  const text = new TextDecoder().decode(result.stderr);
  if (
    /host key verification failed|remote host identification has changed/i.test(
      text,
    )
  ) {
    return "host_key";
  }
  if (/permission denied|too many authentication failures/i.test(text)) {
    return "auth";
  }
  if (CONNECTION.test(text)) return "connection";
  return "none";
}
