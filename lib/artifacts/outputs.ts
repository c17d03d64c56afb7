import type { JobArtifacts } from "./job_artifacts.ts";

/** What a `windows.exec` run left. */
export interface ExecOutput {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/** Writes `ssh/stdout.txt`, `ssh/stderr.txt` and `ssh/exit_code.txt`. */
export async function putExecOutput(
  art: JobArtifacts,
  output: ExecOutput,
): Promise<void> {
  await art.put("ssh/stdout.txt", output.stdout);
  await art.put("ssh/stderr.txt", output.stderr);
  await art.put("ssh/exit_code.txt", `${output.exitCode}\n`);
}

/** What an `aloha.run` left. */
export interface AlohaOutput {
  task: string;
  /** `started`, `completed` or `failed`. */
  state: string;
  /** Aloha's answer to `POST /run_task`; null when it never answered. */
  response: Record<string, unknown> | null;
  /** Why the run failed. @default null */
  error?: string | null;
  /** The client log written during the run; empty: no file. @default "" */
  log?: string;
}

/**
 * Writes `aloha/response.json` (`task`, `state`, Aloha's `response`,
 * `error`) and, when there is one, `aloha/client_log.txt`: the part of the
 * Aloha client log written during this run.
 */
export async function putAlohaOutput(
  art: JobArtifacts,
  output: AlohaOutput,
): Promise<void> {
  const { task, state, response, error = null, log = "" } = output;
  await art.put(
    "aloha/response.json",
    JSON.stringify({ task, state, response, error }, null, 2) + "\n",
  );
  if (log !== "") await art.put("aloha/client_log.txt", log);
}
