import type { SshClient } from "../ssh/mod.ts";
import { runScript } from "./remote.ts";

/** Options for {@linkcode execInSession}. */
export interface InSessionOptions {
  /** Time limit in ms. */
  timeoutMs: number;
  /** Cancels the call. @default undefined */
  signal?: AbortSignal;
}

/**
 * Runs a short, read-only PowerShell check inside the SSH session (the `exec`
 * kind, with a fresh run id) and returns its exit code. Only for checks whose
 * second run changes nothing (`--idempotent-check`): the check dies with the
 * session, and a connection failure before the session opened is retried.
 * User commands are runs ({@linkcode windowsExec} in run.ts).
 */
export async function execInSession(
  ssh: SshClient,
  command: string,
  options: InSessionOptions,
): Promise<number> {
  const { timeoutMs, signal } = options;
  const result = await runScript(ssh, {
    kind: "exec",
    input: { command, run_id: crypto.randomUUID() },
    timeoutMs,
    signal,
  });
  return result.code;
}
