import { UsageError } from "../lib/errors/mod.ts";

/** Checks the `--idempotent` / `--idempotent-check` pair; returns the check or undefined. */
export function idempotentCheckOf(
  opts: { idempotent?: boolean; idempotentCheck?: string },
): string | undefined {
  if (opts.idempotent && !opts.idempotentCheck) {
    throw new UsageError(
      "usage error: --idempotent requires --idempotent-check <ps>",
    );
  }
  if (!opts.idempotent && opts.idempotentCheck !== undefined) {
    throw new UsageError(
      "usage error: --idempotent-check requires --idempotent",
    );
  }
  return opts.idempotent ? opts.idempotentCheck : undefined;
}
