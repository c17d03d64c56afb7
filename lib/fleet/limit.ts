/**
 * The limits of a batch (`--max-concurrency`, `--max-errors`): a count
 * (`10`) or a percentage of the batch's targets (`10%`), as AWS SSM Run
 * Command's `MaxConcurrency` and `MaxErrors` take them.
 * @module
 */

/** A limit as the user gave it: a count, or a percentage of the targets. */
export type Limit =
  | { kind: "count"; value: number }
  | { kind: "percent"; value: number };

/** The biggest count a limit may name (a batch has at most this many targets). */
export const LIMIT_MAX = 10_000;

/**
 * Parses `N` (0 to 10000) or `P%` (0 to 100, an integer); undefined when
 * the text is neither. A concurrency of 0 is refused by its flag, not here.
 */
export function parseLimit(text: string): Limit | undefined {
  const m = /^(\d{1,5})(%?)$/.exec(text);
  if (!m) return undefined;
  const value = Number(m[1]);
  if (m[2] === "%") {
    return value <= 100 ? { kind: "percent", value } : undefined;
  }
  return value <= LIMIT_MAX ? { kind: "count", value } : undefined;
}

/**
 * A limit as a count of targets, for a batch of `targets` targets.
 * - `concurrency`: a percentage is rounded up, and is at least 1 (a batch
 *   always starts); a count above the targets is the targets.
 * - `errors`: a percentage is rounded down (never more errors than asked
 *   for: 10% of 15 targets is 1).
 * SSM's documentation does not say how it rounds; these are our choice
 * (README "Batches").
 */
export function limitCount(
  limit: Limit,
  targets: number,
  use: "concurrency" | "errors",
): number {
  if (!Number.isSafeInteger(targets) || targets < 0) {
    throw new RangeError(`limitCount() needs a target count, got ${targets}`);
  }
  if (limit.kind === "count") {
    return use === "concurrency"
      ? Math.max(1, Math.min(limit.value, targets))
      : limit.value;
  }
  const exact = limit.value * targets / 100;
  return use === "concurrency"
    ? Math.max(1, Math.ceil(exact))
    : Math.floor(exact);
}

/** A limit as the user wrote it: `10` or `10%`. */
export function limitText(limit: Limit): string {
  return limit.kind === "percent" ? `${limit.value}%` : `${limit.value}`;
}
