import type { PassResult } from "./pass.ts";

/** Options for {@linkcode superviseLoop}. */
export interface LoopOptions {
  /** Runs one pass. */
  pass: () => Promise<PassResult>;
  /** Pause between passes, in ms. */
  intervalMs: number;
  /** Ends the loop (SIGTERM/SIGINT); a running pass finishes first. */
  signal: AbortSignal;
  /** Sleeps until `ms` passed or `signal` aborted. @default a timer */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

/** Sleeps `ms`, returning early when `signal` aborts. */
export function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });
}

/**
 * Runs passes every `intervalMs` until `signal` aborts; returns how many
 * passes ran. An unhealthy pass does not end the loop: the next one retries
 * (through the circuit breakers).
 */
export async function superviseLoop(options: LoopOptions): Promise<number> {
  const { pass, intervalMs, signal, sleep = abortableSleep } = options;
  if (!(intervalMs > 0)) {
    throw new RangeError(`intervalMs must be > 0: ${intervalMs}`);
  }
  let passes = 0;
  while (!signal.aborted) {
    await pass();
    passes++;
    if (signal.aborted) break;
    await sleep(intervalMs, signal);
  }
  return passes;
}
