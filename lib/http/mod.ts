/**
 * HTTP with the retry policy (transient errors and 502/503/504 only).
 * @module
 */
export { httpRequest } from "./fetch_retry.ts";
export type { HttpAnswer, HttpRequestOptions } from "./fetch_retry.ts";
