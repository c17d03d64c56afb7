/**
 * Retry with backoff for transient failures, and the one `delay` every wait
 * goes through.
 * @module
 */
export { DEFAULT_DELAYS_MS, retry } from "./retry.ts";
export { delay } from "./delay.ts";
export type { Delay, DelayOptions } from "./delay.ts";
export type { RetryOptions } from "./retry.ts";
