/**
 * Retry with backoff for transient failures.
 * @module
 */
export { DEFAULT_DELAYS_MS, retry, sleep } from "./retry.ts";
export type { RetryOptions } from "./retry.ts";
