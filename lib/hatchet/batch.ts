/**
 * Batches: one parent run of the task `jobs.batch` that starts one child job
 * per target (lib/worker runs it), and what a child's end means for the
 * batch. The batch id is the parent run's id.
 * @module
 */
import type { TargetOutcome } from "../fleet/mod.ts";
import { exitCodeOf } from "./exit_message.ts";
import type { JobInputs, JobType } from "./inputs.ts";
import type { JobState } from "./states.ts";

/** The parent task of a batch. Every worker declares it; any worker takes it. */
export const BATCH_TASK = "jobs.batch";

/** The job types a batch may run: those that make sense once per target. */
export const BATCH_TYPES = [
  "windows.exec",
  "windows.reboot",
  "playwright.run",
  "aloha.run",
] as const satisfies readonly JobType[];

/** One target's child job, as the CLI built it. */
export interface BatchChild {
  target: string;
  /** The child's input (its `idempotency_key` is replaced by the parent). */
  input: JobInputs[JobType];
}

/** The input of the parent task `jobs.batch`. */
export interface BatchInput {
  trace_id: string;
  /** The parent's own idempotency key (random unless `--idempotency-key`). */
  idempotency_key: string;
  type: JobType;
  /** One per target, in the order they start. */
  children: BatchChild[];
  /** At most this many children started and not ended at a time. */
  max_concurrency: number;
  /** Past this many errors, the targets not started are skipped. */
  max_errors: number;
  /** Unreachable and undeliverable targets do not count as errors. */
  ignore_unreachable: boolean;
}

/** What the parent task returns: each target's outcome. */
export interface BatchOutput {
  outcomes: TargetOutcome[];
}

/**
 * A child's key, as its child key and its idempotency key: one child per
 * target and batch, ever (lib/hatchet/jobs.ts `startChild`). The engine
 * holds the idempotency key 24 h (`IDEMPOTENCY_TTL_MS`).
 */
export function childKey(target: string, batchId: string): string {
  return `${target}/batch-${batchId}`;
}

/**
 * The text of a job that failed because its host could not be reached:
 * `lib/ssh`'s DependencyError with `state=unreachable` ("Cannot connect to
 * <endpoint>: ...", "Cannot start an ssh control master for <endpoint>:
 * ..."), the only part of it the engine keeps.
 */
const UNREACHABLE =
  /(?:^|: )Cannot (?:connect to|start an ssh control master for) \S+/;

/** The text of a job stopped at its time limit (lib/windows `state=timeout`, or the engine's). */
const TIMED_OUT = /no result within \d+ms|still running after \d+ms|timed out/i;

/** What {@linkcode childOutcome} reads of a child job. */
export interface ChildView {
  target: string;
  state: JobState | "not_found";
  error: string | null;
  started_at: string | null;
  ended_at: string | null;
  /** The task output of a completed child. */
  output?: unknown;
}

/**
 * A child job's outcome for the batch:
 * - completed: its output's `exit_code` (0 when it has none: the work was
 *   skipped by `--idempotent-check`, or the type has no exit code) and
 *   `duration_ms` (else from the run's start to its end);
 * - failed with `exitMessage(code)`: failed, with that exit code;
 *   with an unreachable host's error: unreachable; past its time limit:
 *   timeout; anything else: failed;
 * - undeliverable (no worker took it): unreachable;
 * - cancelled: cancelled; queued or running: pending.
 */
export function childOutcome(child: ChildView): TargetOutcome {
  const duration_ms = child.started_at && child.ended_at
    ? Math.max(0, Date.parse(child.ended_at) - Date.parse(child.started_at))
    : undefined;
  const base = { target: child.target, duration_ms };
  switch (child.state) {
    case "completed": {
      const out = child.output as
        | { exit_code?: unknown; duration_ms?: unknown }
        | undefined;
      return {
        ...base,
        state: "completed",
        exit_code: typeof out?.exit_code === "number" ? out.exit_code : 0,
        // The worker's own measure of the attempt, when the output has it.
        duration_ms: typeof out?.duration_ms === "number"
          ? out.duration_ms
          : base.duration_ms,
      };
    }
    case "failed": {
      const code = exitCodeOf(child.error);
      if (code !== undefined) {
        return { ...base, state: "failed", exit_code: code };
      }
      if (UNREACHABLE.test(child.error ?? "")) {
        return { ...base, state: "unreachable" };
      }
      if (TIMED_OUT.test(child.error ?? "")) {
        return { ...base, state: "timeout" };
      }
      return { ...base, state: "failed" };
    }
    case "undeliverable":
      return { target: child.target, state: "unreachable" };
    case "cancelled":
      return { ...base, state: "cancelled" };
    default:
      return { target: child.target, state: "pending" };
  }
}

/** Whether an outcome counts toward `--max-errors`. */
export function isBatchError(
  outcome: TargetOutcome,
  ignoreUnreachable: boolean,
): boolean {
  switch (outcome.state) {
    case "failed":
    case "timeout":
    case "cancelled":
      return true;
    case "unreachable":
      return !ignoreUnreachable;
    default:
      return false;
  }
}
