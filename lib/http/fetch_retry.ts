import { DependencyError, TimeoutError } from "../errors/mod.ts";
import type { Component, Logger } from "../log/mod.ts";
import { retry, sleep as realSleep } from "../retry/mod.ts";

/** Options for {@linkcode httpRequest}. */
export interface HttpRequestOptions {
  /** HTTP method. @default "GET" */
  method?: string;
  /** JSON body. @default undefined */
  json?: unknown;
  /** Per-attempt time limit in ms. */
  timeoutMs: number;
  /** The fetch to use. @default globalThis.fetch */
  fetch?: typeof fetch;
  /** Delays before retries. @default [500, 1000, 2000] */
  retryDelaysMs?: readonly number[];
  /** Sleeps between retries. @default a real timer */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Cancels the request. @default undefined */
  signal?: AbortSignal;
  /** Receives retry lines. @default undefined */
  logger?: Logger;
  /** Component and op for log lines. @default ["cli", "http"] */
  logAs?: [Component, string];
  /** Name of the endpoint in messages, e.g. "Aloha server". */
  what: string;
}

/** A finished HTTP exchange. */
export interface HttpAnswer {
  /** Status code. */
  status: number;
  /** Body text. */
  text: string;
}

class Transient extends Error {
  override readonly name = "Transient";
  constructor(message: string, readonly timedOut: boolean) {
    super(message);
  }
}

const RETRY_STATUS = new Set([502, 503, 504]);

/**
 * One HTTP request with the retry policy: transient network errors, timeouts
 * and 502/503/504 are retried; any other answer (4xx included) is returned at
 * once. Unreachable in the end is a DependencyError (exit 3); a timeout on
 * the last attempt is a TimeoutError (exit 4).
 */
export async function httpRequest(
  url: string,
  options: HttpRequestOptions,
): Promise<HttpAnswer> {
  const {
    method = "GET",
    json,
    timeoutMs,
    fetch: doFetch = globalThis.fetch,
    retryDelaysMs,
    sleep = realSleep,
    signal,
    logger,
    logAs = ["cli", "http"],
    what,
  } = options;
  try {
    return await retry(async () => {
      const attemptSignal = AbortSignal.any(
        [AbortSignal.timeout(timeoutMs), signal].filter((s): s is AbortSignal =>
          !!s
        ),
      );
      let response: Response;
      try {
        response = await doFetch(url, {
          method,
          signal: attemptSignal,
          headers: json === undefined
            ? undefined
            : { "content-type": "application/json" },
          body: json === undefined ? undefined : JSON.stringify(json),
        });
      } catch (error) {
        if (signal?.aborted) throw signal.reason;
        const timedOut = (error as Error).name === "TimeoutError";
        throw new Transient(
          timedOut
            ? `no answer within ${timeoutMs}ms`
            : (error as Error).message,
          timedOut,
        );
      }
      let text: string;
      try {
        text = await response.text();
      } catch (error) {
        throw new Transient(
          `answer cut off: ${(error as Error).message}`,
          false,
        );
      }
      if (RETRY_STATUS.has(response.status)) {
        throw new Transient(`HTTP ${response.status}`, false);
      }
      return { status: response.status, text };
    }, {
      shouldRetry: (e) => e instanceof Transient,
      delaysMs: retryDelaysMs,
      sleep,
      signal,
      onRetry: (e, n, delay) =>
        logger?.warn(logAs[0], logAs[1], `retrying ${what}`, {
          attempt: n + 1,
          delay_ms: delay,
          err: (e as Error).message,
        }),
    });
  } catch (error) {
    if (error instanceof Transient) {
      const message = `Cannot reach ${what} at ${url}: ${error.message}`;
      throw error.timedOut
        ? new TimeoutError(message, {
          cause: error,
          fields: { state: "timeout" },
        })
        : new DependencyError(message, {
          cause: error,
          fields: { state: "unreachable" },
        });
    }
    throw error;
  }
}
