import { type Delay, delay } from "./delay.ts";

/** The roadmap's retry policy: three retries after the first try. */
export const DEFAULT_DELAYS_MS: readonly number[] = [500, 1000, 2000];

/** Options for {@linkcode retry}. */
export interface RetryOptions {
  /** Whether a failure is transient and worth another try. */
  shouldRetry: (error: unknown) => boolean;
  /** Waits before each retry; its length is the number of retries. @default [500, 1000, 2000] */
  delaysMs?: readonly number[];
  /** Waits; injected so tests do not wait. @default {@linkcode delay}, which honours `signal` */
  sleep?: Delay;
  /** Stops retrying when aborted. @default undefined */
  signal?: AbortSignal;
  /** Called before each retry. @default undefined */
  onRetry?: (error: unknown, retryNumber: number, delayMs: number) => void;
}

/**
 * Calls `fn` until it succeeds, a failure is not transient, or the delays run
 * out; then rethrows the last failure.
 */
export async function retry<T>(
  fn: (attempt: number) => Promise<T>,
  options: RetryOptions,
): Promise<T> {
  const {
    shouldRetry,
    delaysMs = DEFAULT_DELAYS_MS,
    sleep: wait = delay,
    signal,
    onRetry,
  } = options;
  for (let attempt = 0;; attempt++) {
    try {
      return await fn(attempt);
    } catch (error) {
      const ms = delaysMs[attempt];
      if (ms === undefined || signal?.aborted || !shouldRetry(error)) {
        throw error;
      }
      onRetry?.(error, attempt + 1, ms);
      await wait(ms, { signal });
    }
  }
}
