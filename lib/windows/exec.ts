import { TimeoutError } from "../errors/mod.ts";
import type { Logger } from "../log/mod.ts";
import type { SshClient } from "../ssh/mod.ts";
import { runJsonScript, runScript } from "./remote.ts";

/** Options for {@linkcode windowsExec}. */
export interface ExecOptions {
  /** Time limit in ms; past it the remote command is stopped too. */
  timeoutMs: number;
  /** Cancels the run; the remote command is stopped too. @default undefined */
  signal?: AbortSignal;
  /** Identifies the run on Windows (its pid file). @default a new UUID */
  runId?: string;
  /** Bytes of stdout kept before it is marked truncated. @default 16 MiB */
  maxOutputBytes?: number;
  /** Receives a line when the remote command has to be stopped. @default undefined */
  logger?: Logger;
}

/** The outcome of a remote command. */
export interface ExecResult {
  /** The command's exit code. */
  exitCode: number;
  /** Its stdout. */
  stdout: string;
  /** Its stderr. */
  stderr: string;
  /** Whether stdout was capped. */
  truncated: boolean;
  /** The run id used on Windows. */
  runId: string;
}

/**
 * Runs a user command in PowerShell on Windows. On timeout or cancellation
 * the local ssh is killed and the remote process tree is stopped as well.
 */
export async function windowsExec(
  ssh: SshClient,
  command: string,
  options: ExecOptions,
): Promise<ExecResult> {
  const {
    timeoutMs,
    signal,
    runId = crypto.randomUUID(),
    maxOutputBytes,
    logger,
  } = options;
  try {
    const result = await runScript(ssh, "exec", { command, run_id: runId }, {
      timeoutMs,
      signal,
      maxOutputBytes,
    });
    return {
      exitCode: result.code,
      stdout: result.stdout,
      stderr: result.stderr,
      truncated: result.truncated,
      runId,
    };
  } catch (error) {
    if (error instanceof TimeoutError || signal?.aborted) {
      await stopRemote(ssh, runId, logger);
    }
    throw error;
  }
}

/** Stops the remote process tree of a run; returns the state Windows reported. */
export async function stopRemote(
  ssh: SshClient,
  runId: string,
  logger?: Logger,
): Promise<string> {
  const log = logger?.scope("ssh", "windows.exec");
  try {
    const answer = await runJsonScript<"kill", { state: string }>(ssh, "kill", {
      run_id: runId,
    }, { timeoutMs: 15_000 });
    log?.info("stopped remote command", {
      run_id: runId,
      state: answer.state,
    });
    return answer.state;
  } catch (error) {
    log?.error("cannot stop remote command", { err: error, run_id: runId });
    return "unknown";
  }
}
