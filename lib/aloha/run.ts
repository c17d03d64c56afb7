import { ConfigError, TimeoutError } from "../errors/mod.ts";
import type { SshClient } from "../ssh/mod.ts";
import { runJsonScript, runScript } from "../windows/mod.ts";
import type { AlohaClient, RunTaskInput } from "./client.ts";

/** The line ShowUI-Aloha's client logs when a task ends. */
export const COMPLETION_MARKER = "process_input thread finished.";

/**
 * Refuses a run that could never know when its task ended: Aloha has no
 * status endpoint, so the client's log (`aloha.client_log_path`) is the only
 * completion evidence. Called before anything is sent and before an
 * artifact root is made; throws a ConfigError (exit 2) naming the setting.
 */
export function requireCompletionEvidence(clientLogPath: string): void {
  if (clientLogPath === "") {
    throw new ConfigError(
      "aloha.client_log_path",
      "must be set for --wait and for aloha.run jobs (WIN_AUTOMATION_ALOHA_CLIENT_LOG_PATH: the Windows path of the Aloha client's log, the only evidence that a task ended)",
    );
  }
}

/** Options for {@linkcode runAlohaTask}. */
export interface RunAlohaOptions {
  /** Aloha's HTTP contract: starts (and on timeout stops) the task. */
  aloha: AlohaClient;
  /** Reads the client log on Windows (with `wait`). */
  ssh: SshClient;
  /** Follow the client log until the task ends. @default false */
  wait?: boolean;
  /** Windows path of the Aloha client's log (required with `wait`). */
  clientLogPath: string;
  /** Time limit in ms for the whole run. */
  timeoutMs: number;
  /**
   * After a `/stop` (time limit or cancellation), how long in ms to keep
   * following the log for the completion line, so the run ends only once
   * the task has really ended. @default 10 000
   */
  stopWaitMs?: number;
  /** Cancels the wait (the task is stopped). @default undefined */
  signal?: AbortSignal;
  /** Receives Aloha's answer as soon as the task started. @default undefined */
  onStarted?: (response: Record<string, unknown>) => void;
}

/** The outcome of an Aloha run. */
export interface AlohaRunResult {
  /** `started` without wait, `completed` with it. */
  state: "started" | "completed";
  /** The client log written during the run (with wait). */
  log: string;
  /** The Aloha client's answer to `POST /run_task`. */
  response: Record<string, unknown>;
}

/**
 * Starts an Aloha task; with `wait`, follows the client's log over SSH from
 * where it stood before the start until the completion line. On timeout or
 * cancellation the task is stopped (`POST /stop`) and the log is followed
 * for up to `stopWaitMs` more, until the completion line shows the task
 * really ended; then a TimeoutError (or the cancellation) is thrown, saying
 * whether the end was seen.
 */
export async function runAlohaTask(
  input: RunTaskInput,
  options: RunAlohaOptions,
): Promise<AlohaRunResult> {
  const {
    aloha,
    ssh,
    wait = false,
    clientLogPath,
    timeoutMs,
    stopWaitMs = 10_000,
    signal,
    onStarted,
  } = options;
  if (!wait) {
    const response = await aloha.runTask(input);
    onStarted?.(response);
    return { state: "started", log: "", response };
  }
  requireCompletionEvidence(clientLogPath);
  const started = Date.now();
  const before = await runJsonScript<
    "file_size",
    { exists: boolean; directory: boolean; size: number | null }
  >(ssh, {
    kind: "file_size",
    input: { path: clientLogPath },
    timeoutMs,
    signal,
  });
  if (before.directory) {
    throw new ConfigError(
      "aloha.client_log_path",
      `is a folder on Windows, not the client's log file: "${clientLogPath}"`,
    );
  }
  const offset = before.size ?? 0;
  const response = await aloha.runTask(input);
  onStarted?.(response);
  const remaining = Math.max(1000, timeoutMs - (Date.now() - started));
  const follow = (ms: number, stopSignal?: AbortSignal) =>
    runScript(ssh, {
      kind: "log_follow",
      input: {
        path: clientLogPath,
        offset,
        marker: COMPLETION_MARKER,
        timeout_ms: ms,
      },
      timeoutMs: ms + 5000,
      signal: stopSignal,
    });
  /** Sends /stop, then follows the log until the task really ended. */
  const stopAndConfirm = async (): Promise<boolean> => {
    await aloha.stop().catch(() => false);
    const after = await follow(stopWaitMs).catch(() => undefined);
    return after?.code === 0;
  };
  let followed;
  try {
    followed = await follow(remaining, signal);
  } catch (error) {
    await stopAndConfirm();
    throw error;
  }
  if (followed.code !== 0) {
    const ended = await stopAndConfirm();
    throw new TimeoutError(
      `Cannot finish Aloha task: no "${COMPLETION_MARKER}" in ${clientLogPath} within ${timeoutMs}ms; stop was sent and the task ${
        ended
          ? "ended"
          : `did not confirm its end within ${stopWaitMs}ms (the desktop may still be busy)`
      }`,
      { fields: { state: "timeout", task_ended: ended } },
    );
  }
  return { state: "completed", log: followed.stdout, response };
}
