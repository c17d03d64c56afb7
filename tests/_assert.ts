/**
 * Small assertion helpers for tests (JSR's @std/assert is not reachable from
 * these machines; node:assert covers the rest).
 * @module
 */
import { strict as assert } from "node:assert";

export { assert };

/** Asserts that `text` contains `part`. */
export function assertIncludes(
  text: string,
  part: string,
  message?: string,
): void {
  if (!text.includes(part)) {
    throw new assert.AssertionError({
      message: message ??
        `expected text to include ${JSON.stringify(part)}, got ${
          JSON.stringify(text.slice(0, 2000))
        }`,
    });
  }
}

/** Asserts that `text` does not contain `part`. */
export function assertExcludes(
  text: string,
  part: string,
  message?: string,
): void {
  if (text.includes(part)) {
    throw new assert.AssertionError({
      message: message ??
        `expected text not to include ${JSON.stringify(part)}`,
    });
  }
}

/** Runs `fn` and returns what it threw; fails if it did not throw. */
export async function rejects(fn: () => unknown): Promise<unknown> {
  try {
    await fn();
  } catch (error) {
    return error;
  }
  throw new assert.AssertionError({ message: "expected a rejection" });
}
