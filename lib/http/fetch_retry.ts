import { DependencyError, errorMessage, TimeoutError } from "../errors/mod.ts";
import type { ScopedLogger } from "../log/mod.ts";
import { type Delay, delay, retry } from "../retry/mod.ts";

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
  sleep?: Delay;
  /** Cancels the request. @default undefined */
  signal?: AbortSignal;
  /** Receives retry lines, scoped to the caller's component and op. @default undefined */
  log?: ScopedLogger;
  /** Name of the endpoint in messages, e.g. "Aloha server". */
  what: string;
  /**
   * Whether the request may be sent again once it may have reached the
   * server (a timeout, a reset or a 502/503/504 after sending). False for a
   * request that is not idempotent (`POST /run_task`): then only a failure
   * to connect, before anything was sent, is retried. @default true
   */
  retryAfterSend?: boolean;
  /** Largest response body read; more is an error. @default 1 MiB */
  maxBodyBytes?: number;
}

/** The default cap on a response body. */
export const MAX_BODY_BYTES = 1024 * 1024;

/** The text of an error and its causes, on one line. */
function describe(error: unknown): string {
  const parts: string[] = [];
  let at: unknown = error;
  for (let i = 0; at && i < 4; i++) {
    const message = errorMessage(at) ?? String(at);
    if (message && !parts.includes(message)) parts.push(message);
    at = (at as Error).cause;
  }
  return parts.join(": ").replace(/\s+/g, " ");
}

/** Whether a fetch failure happened while connecting: nothing was sent. */
function failedToConnect(text: string): boolean {
  return /client error \(Connect\)|connection refused|ECONNREFUSED|dns error|failed to lookup address/i
    .test(text);
}

class BodyTooLarge extends Error {
  override readonly name = "BodyTooLarge";
}

/** Reads a response body as text, at most `max` bytes. */
async function readBody(response: Response, max: number): Promise<string> {
  const length = Number(response.headers.get("content-length") ?? NaN);
  if (length > max) {
    await response.body?.cancel().catch(() => {});
    throw new BodyTooLarge(`answer larger than ${max} bytes (${length})`);
  }
  if (!response.body) return "";
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > max) {
      await reader.cancel().catch(() => {});
      throw new BodyTooLarge(`answer larger than ${max} bytes`);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let off = 0;
  for (const c of chunks) {
    bytes.set(c, off);
    off += c.length;
  }
  return new TextDecoder().decode(bytes);
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
  constructor(
    message: string,
    readonly timedOut: boolean,
    /** Whether the request may have reached the server. */
    readonly sent: boolean = true,
  ) {
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
    sleep = delay,
    signal,
    log,
    what,
    retryAfterSend = true,
    maxBodyBytes = MAX_BODY_BYTES,
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
        const text = describe(error);
        throw new Transient(
          timedOut ? `no answer within ${timeoutMs}ms` : text,
          timedOut,
          timedOut || !failedToConnect(text),
        );
      }
      let text: string;
      try {
        text = await readBody(response, maxBodyBytes);
      } catch (error) {
        if (error instanceof BodyTooLarge) {
          throw new DependencyError(
            `Cannot read ${what}'s answer from ${url}: ${error.message}`,
            { fields: { state: "error" } },
          );
        }
        throw new Transient(`answer cut off: ${describe(error)}`, false);
      }
      if (RETRY_STATUS.has(response.status)) {
        throw new Transient(`HTTP ${response.status}`, false);
      }
      return { status: response.status, text };
    }, {
      shouldRetry: (e) => e instanceof Transient && (retryAfterSend || !e.sent),
      delaysMs: retryDelaysMs,
      sleep,
      signal,
      onRetry: (e, n, delay) =>
        log?.warn(`retrying ${what}`, {
          attempt: n + 1,
          delay_ms: delay,
          err: errorMessage(e),
        }),
    });
  } catch (error) {
    if (error instanceof Transient) {
      const notRetried = !retryAfterSend && error.sent
        ? " (not retried: the request may have reached it)"
        : "";
      const message =
        `Cannot reach ${what} at ${url}: ${error.message}${notRetried}`;
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
