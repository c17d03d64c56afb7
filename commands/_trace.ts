import { UsageError } from "../lib/errors/mod.ts";

const TRACE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** A new trace id: 32 hex digits. */
export function newTraceId(): string {
  return crypto.randomUUID().replaceAll("-", "");
}

/** Checks a user-supplied trace id. */
export function checkTraceId(value: string): string {
  if (!TRACE_ID.test(value)) {
    throw new UsageError(
      `usage error: --trace-id must be 1-128 letters, digits, ".", "_" or "-", got ${
        JSON.stringify(value)
      }`,
    );
  }
  return value;
}
