import { ConfigError, TimeoutError } from "../errors/mod.ts";
import type { SshClient } from "../ssh/mod.ts";
import { runJsonScript, runScript } from "../windows/mod.ts";
import type { AlohaClient, RunTaskInput } from "./client.ts";

/** The line ShowUI-Aloha's client logs when a task ends. */
export const COMPLETION_MARKER = "process_input thread finished.";

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
 * where it stood before the start until the completion line. On timeout the
 * task is stopped (`POST /stop`) and a TimeoutError is thrown.
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
    signal,
    onStarted,
  } = options;
  if (!wait) {
    const response = await aloha.runTask(input);
    onStarted?.(response);
    return { state: "started", log: "", response };
  }
  if (!clientLogPath) {
    throw new ConfigError(
      "aloha.client_log_path",
      "must be set for --wait (the Windows path of the Aloha client's log)",
    );
  }
  const started = Date.now();
  const before = await runJsonScript<
    "file_size",
    { exists: boolean; directory: boolean; size: number | null }
  >(
    ssh,
    "file_size",
    { path: clientLogPath },
    { timeoutMs, signal },
  );
  if (before.directory) {
    throw new ConfigError(
      "aloha.client_log_path",
      `is a folder on Windows, not the client's log file: "${clientLogPath}"`,
    );
  }
  const response = await aloha.runTask(input);
  onStarted?.(response);
  const remaining = Math.max(1000, timeoutMs - (Date.now() - started));
  let followed;
  try {
    followed = await runScript(ssh, "log_follow", {
      path: clientLogPath,
      offset: before.size ?? 0,
      marker: COMPLETION_MARKER,
      timeout_ms: remaining,
    }, { timeoutMs: remaining + 5000, signal });
  } catch (error) {
    await aloha.stop().catch(() => false);
    throw error;
  }
  if (followed.code !== 0) {
    await aloha.stop().catch(() => false);
    throw new TimeoutError(
      `Cannot finish Aloha task: no "${COMPLETION_MARKER}" in ${clientLogPath} within ${timeoutMs}ms; stop was sent`,
      { fields: { state: "timeout" } },
    );
  }
  return { state: "completed", log: followed.stdout, response };
}
