import { mapLimited } from "./limited.ts";
import type { TargetOutcome } from "./outcome.ts";

/** Options for {@linkcode paceBatch}. */
export interface PaceOptions<H> {
  /** The batch's targets, in the order they start. */
  targets: readonly string[];
  /** At most this many started and not ended at a time (at least 1). */
  maxConcurrency: number;
  /** Past this many errors, no further target starts (the rest are `skipped`). */
  maxErrors: number;
  /**
   * Starts the target's work, or re-attaches to the work already started for
   * it (a retried parent): resolves with a handle to wait on.
   */
  start: (target: string) => Promise<H>;
  /** Resolves with the target's outcome once its work has ended. */
  wait: (target: string, handle: H) => Promise<TargetOutcome>;
  /** Whether an outcome counts as an error toward `maxErrors`. */
  isError: (outcome: TargetOutcome) => boolean;
  /** Aborting it starts nothing further; the targets not started are `cancelled`. */
  signal?: AbortSignal;
}

/**
 * The pacing of a batch, run by its parent task on a worker (never by the
 * CLI): it starts the targets in order, at most `maxConcurrency` at a time,
 * and the next one each time one ends; once more than `maxErrors` have
 * failed it starts no more (AWS SSM: "when the command fails one more time
 * beyond MaxErrors, the system stops sending it to additional targets") and
 * waits for those running. Outcomes come back in target order; a target
 * never started is `skipped` (or `cancelled` after `signal` aborted).
 */
export async function paceBatch<H>(
  options: PaceOptions<H>,
): Promise<TargetOutcome[]> {
  const { targets, maxConcurrency, maxErrors, start, wait, isError, signal } =
    options;
  if (!Number.isSafeInteger(maxConcurrency) || maxConcurrency < 1) {
    throw new RangeError(
      `paceBatch() needs maxConcurrency >= 1, got ${maxConcurrency}`,
    );
  }
  let errors = 0;
  // mapLimited's lanes take the targets in order, at most maxConcurrency at
  // a time; once the batch has stopped, the rest end at once, not started.
  return await mapLimited(
    targets,
    maxConcurrency,
    async (target): Promise<TargetOutcome> => {
      if (signal?.aborted) return { target, state: "cancelled" };
      if (errors > maxErrors) return { target, state: "skipped" };
      const outcome = await wait(target, await start(target));
      if (isError(outcome)) errors++;
      return outcome;
    },
  );
}
