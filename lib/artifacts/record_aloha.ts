import { errorMessage } from "../errors/mod.ts";
import type { JobArtifacts } from "./job_artifacts.ts";
import { putAlohaOutput } from "./outputs.ts";

/** What an Aloha run returns that is worth keeping. */
export interface AlohaRunRecord {
  state: string;
  response: Record<string, unknown> | null;
  log?: string;
}

/**
 * Runs an Aloha task through `run` and keeps its evidence in `art` whatever
 * happens: Aloha's answer and the client log when it ends, or, when it
 * fails, the answer it had given so far (`run` passes it to `onStarted`) with
 * the error. The error is rethrown; a failure to record it is not allowed to
 * hide it.
 */
export async function recordAlohaRun<R extends AlohaRunRecord>(
  art: JobArtifacts,
  task: string,
  run: (onStarted: (response: Record<string, unknown>) => void) => Promise<R>,
): Promise<R> {
  let response: Record<string, unknown> | null = null;
  try {
    const result = await run((r) => response = r);
    await putAlohaOutput(art, {
      task,
      state: result.state,
      response: result.response,
      log: result.log,
    });
    return result;
  } catch (error) {
    await putAlohaOutput(art, {
      task,
      state: "failed",
      response,
      error: errorMessage(error),
    }).catch(() => {});
    throw error;
  }
}
