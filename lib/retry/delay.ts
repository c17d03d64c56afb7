/** Options for {@linkcode delay}. */
export interface DelayOptions {
  /** Ends the wait early, rejecting with the signal's reason. @default undefined */
  signal?: AbortSignal;
}

/** A way to wait; injected where tests must not wait. */
export type Delay = (ms: number, options?: DelayOptions) => Promise<void>;

/**
 * Waits `ms`, as std's `async/delay.ts` does: rejects with the signal's
 * reason as soon as `signal` aborts (at once when it already has). The one
 * timer every wait of this tool goes through.
 */
export function delay(ms: number, options: DelayOptions = {}): Promise<void> {
  const { signal } = options;
  if (!(ms >= 0)) throw new RangeError(`ms must be >= 0: ${ms}`);
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
