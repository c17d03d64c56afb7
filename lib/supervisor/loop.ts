import { type Delay, delay } from "../retry/mod.ts";

/** Options for {@linkcode superviseLoop}. */
export interface LoopOptions {
  /** Runs one pass (what it returns is not looked at). */
  pass: () => Promise<unknown>;
  /** Pause between passes, in ms. */
  intervalMs: number;
  /** Ends the loop (SIGTERM/SIGINT); a running pass finishes first. */
  signal: AbortSignal;
  /** Waits between passes; an abort ends the wait. @default {@linkcode delay} */
  sleep?: Delay;
}

/**
 * Runs passes every `intervalMs` until `signal` aborts; returns how many
 * passes ran. An unhealthy pass does not end the loop: the next one retries
 * (through the circuit breakers).
 */
export async function superviseLoop(options: LoopOptions): Promise<number> {
  const { pass, intervalMs, signal, sleep = delay } = options;
  if (!(intervalMs > 0)) {
    throw new RangeError(`intervalMs must be > 0: ${intervalMs}`);
  }
  let passes = 0;
  while (!signal.aborted) {
    await pass();
    passes++;
    if (signal.aborted) break;
    // An abort ends the wait, and with it the loop.
    await sleep(intervalMs, { signal }).catch((error) => {
      if (!signal.aborted) throw error;
    });
  }
  return passes;
}
