import { UsageError } from "../lib/errors/mod.ts";
import { isTraceId } from "../lib/ids/mod.ts";

export { newTraceId } from "../lib/ids/mod.ts";

/** Checks a user-supplied trace id. */
export function checkTraceId(value: string): string {
  if (!isTraceId(value)) {
    throw new UsageError(
      `usage error: --trace-id must be 1-128 letters, digits, ".", "_" or "-", got ${
        JSON.stringify(value)
      }`,
    );
  }
  return value;
}
