import {
  errorMessage,
  EXIT_DEPENDENCY,
  EXIT_OK,
  EXIT_OPERATIONAL,
  EXIT_TIMEOUT,
  exitCodeOf,
} from "../errors/mod.ts";
import { encodeLine, type Fields } from "../log/mod.ts";

/**
 * How one target of a fan-out or a batch ended, or where it is:
 * - `completed`: the work ran and succeeded (exit code 0);
 * - `failed`: it ran and failed (a non-zero exit code, or an error);
 * - `unreachable`: the target could not be reached (SSH, or no worker took
 *   its job within `hatchet.schedule_timeout`);
 * - `timeout`: it ran past its time limit;
 * - `skipped`: a batch stopped before starting it (past `--max-errors`);
 * - `cancelled`: cancelled by a user;
 * - `pending`: not ended yet (queued or running).
 */
export type TargetState =
  | "completed"
  | "failed"
  | "unreachable"
  | "timeout"
  | "skipped"
  | "cancelled"
  | "pending";

/** The outcome of one target, as its line reports it. */
export interface TargetOutcome {
  target: string;
  state: TargetState;
  /** The remote command's exit code, when one is known. */
  exit_code?: number;
  /** Milliseconds from start to end, when it started. */
  duration_ms?: number;
}

/** Counts per state, over all targets. */
export type Summary = { targets: number } & Record<TargetState, number>;

/** Counts the outcomes per state. */
export function summarize(outcomes: readonly TargetOutcome[]): Summary {
  const s: Summary = {
    targets: outcomes.length,
    completed: 0,
    failed: 0,
    unreachable: 0,
    timeout: 0,
    skipped: 0,
    cancelled: 0,
    pending: 0,
  };
  for (const o of outcomes) s[o.state]++;
  return s;
}

/**
 * One target's result line: `target=<t> state=<s> exit_code=<n>
 * duration_ms=<n>`, then `extra` (a job id, a run id, an error); a field
 * that is not known is left out.
 */
export function outcomeFields(o: TargetOutcome, extra: Fields = {}): Fields {
  return {
    target: o.target,
    state: o.state,
    exit_code: o.exit_code,
    duration_ms: o.duration_ms,
    ...extra,
  };
}

/**
 * The summary line: `summary targets=<n> completed=<n> failed=<n>
 * unreachable=<n> timeout=<n>`, always those five; a batch adds
 * `skipped=`, `cancelled=` and `pending=` (`batch: true`).
 */
export function summaryLine(
  s: Summary,
  options: { batch?: boolean } = {},
): string {
  const fields: Fields = {
    targets: s.targets,
    completed: s.completed,
    failed: s.failed,
    unreachable: s.unreachable,
    timeout: s.timeout,
  };
  if (options.batch) {
    fields.skipped = s.skipped;
    fields.cancelled = s.cancelled;
    fields.pending = s.pending;
  }
  return `summary ${encodeLine(fields)}`;
}

/**
 * The exit code of a fan-out or a batch, from its ended targets: 0 when
 * every ended target completed; 3 when the only problems are unreachable
 * targets; 4 when the only problems are timeouts; 1 otherwise (any failure,
 * cancel or skip, or unreachable targets and timeouts together). Pending
 * targets do not count: a batch still running exits on what has ended.
 */
export function fleetExitCode(s: Summary): number {
  const other = s.failed + s.skipped + s.cancelled;
  if (other > 0) return EXIT_OPERATIONAL;
  if (s.unreachable > 0 && s.timeout > 0) return EXIT_OPERATIONAL;
  if (s.unreachable > 0) return EXIT_DEPENDENCY;
  if (s.timeout > 0) return EXIT_TIMEOUT;
  return EXIT_OK;
}

/**
 * The outcome of a target whose work threw: `unreachable` for an error that
 * maps to exit 3 (the host, or the run's outcome, could not be reached),
 * `timeout` for exit 4, else `failed`; with the run id the error names and
 * its message for the line's `error=`.
 */
export function outcomeOfError(
  target: string,
  error: unknown,
  durationMs?: number,
): { outcome: TargetOutcome; runId?: string; error: string } {
  const code = exitCodeOf(error);
  const state: TargetState = code === EXIT_DEPENDENCY
    ? "unreachable"
    : code === EXIT_TIMEOUT
    ? "timeout"
    : "failed";
  const fields = (error as { fields?: Record<string, unknown> })?.fields;
  const runId = typeof fields?.run_id === "string" ? fields.run_id : undefined;
  return {
    outcome: { target, state, duration_ms: durationMs },
    runId,
    error: errorMessage(error),
  };
}
