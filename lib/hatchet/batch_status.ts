import type { HatchetClient } from "@hatchet-dev/typescript-sdk";
import { summarize, type Summary, type TargetOutcome } from "../fleet/mod.ts";
import { OperationalError } from "../errors/mod.ts";
import { BATCH_TASK, type BatchInput, type BatchOutput } from "./batch.ts";
import { hatchetError, httpStatusOf, isGrpcNotFound } from "./errors.ts";
import { checkJobId, type JobOps } from "./jobs.ts";
import { type JobRow, listJobs, outcomeOfRow } from "./list.ts";
import { type JobState, TERMINAL_STATES } from "./states.ts";

/** One target of a batch: its outcome and its child job, when started. */
export type BatchTarget = TargetOutcome & { job_id?: string };

/** What `jobs batch status` reports. */
export interface BatchStatus {
  batch_id: string;
  /** The parent run's state. */
  state: JobState | "not_found";
  type: string;
  targets: BatchTarget[];
  summary: Summary;
  /** Every target has ended and so has the parent. */
  ended: boolean;
}

/** The parent's input and output as the REST view gives them (a standalone task's may be keyed by its name). */
function unwrap<T>(value: unknown, key: string): T | undefined {
  if (value === null || typeof value !== "object") return undefined;
  const v = value as Record<string, unknown>;
  if (key in v) return v as T;
  const inner = v[BATCH_TASK] ?? v.input;
  return inner && typeof inner === "object" && key in inner
    ? inner as T
    : undefined;
}

/**
 * A batch's status, read from the engine: the parent run (its input names
 * the targets, its output the final outcomes once it has ended) and its
 * children (the runs with metadata `batch_id=<id>`). A target with no child
 * is `pending` while the parent runs, `cancelled` once it was cancelled,
 * and `skipped` otherwise (the parent stopped past `--max-errors`).
 */
export async function batchStatus(
  hatchet: HatchetClient,
  ops: JobOps,
  idText: string,
  endpoint: string,
): Promise<BatchStatus> {
  const id = checkJobId(idText);
  // The engine's record first: it has the run as soon as it is enqueued
  // (Hatchet's REST history lags, and a batch is read right after it was
  // enqueued); the REST view adds the creation time, and has the runs past
  // the engine's retention.
  let detail;
  try {
    detail = await hatchet.runs.getDetails(id);
  } catch (error) {
    if (!isGrpcNotFound(error)) {
      throw hatchetError(`get batch ${id}`, endpoint, error);
    }
  }
  let run;
  try {
    run = (await hatchet.runs.get(id)).run;
  } catch (error) {
    const status = httpStatusOf(error);
    if (status !== 404 && status !== 400) {
      throw hatchetError(`get batch ${id}`, endpoint, error);
    }
  }
  if (!detail && !run) {
    throw new OperationalError(`Cannot find batch ${id}: no such run`, {
      fields: { batch_id: id },
    });
  }
  const meta = (detail?.additionalMetadata ?? run?.additionalMetadata ??
    {}) as Record<string, unknown>;
  const input = unwrap<BatchInput>(detail?.input, "children") ??
    unwrap<BatchInput>(run?.input, "children");
  if (meta.type !== BATCH_TASK || !input) {
    throw new OperationalError(
      `Cannot find batch ${id}: run ${id} is not a batch (jobs.batch)`,
      { fields: { batch_id: id } },
    );
  }
  const parent = await ops.status(id);
  // A batch's children are created after it, within its 24 h.
  const created = Date.parse(run?.createdAt ?? "") ||
    Date.now() - 25 * 3_600_000;
  const rows = await listJobs(hatchet, {
    batch_id: id,
    since: new Date(created - 60_000),
    limit: input.children.length * 2 + 10,
  }, endpoint);
  const byTarget = new Map<string, JobRow>();
  for (const row of rows) {
    if (!byTarget.has(row.target)) byTarget.set(row.target, row);
  }
  const output = parent.state === "completed"
    ? unwrap<BatchOutput>(
      Object.values(detail?.taskRuns ?? {})[0]?.output,
      "outcomes",
    ) ?? unwrap<BatchOutput>(run?.output, "outcomes")
    : undefined;
  const final = new Map(output?.outcomes.map((o) => [o.target, o]));
  const parentEnded = parent.state === "not_found" ||
    TERMINAL_STATES.has(parent.state as JobState);
  const targets = input.children.map(({ target }): BatchTarget => {
    const row = byTarget.get(target);
    const seen = row ? outcomeOfRow(row) : undefined;
    // The parent's own record of a target wins once it has one: the list
    // lags behind the engine.
    const done = final.get(target);
    const outcome: TargetOutcome = done && done.state !== "pending"
      ? done
      : seen ?? {
        target,
        state: !parentEnded
          ? "pending"
          : parent.state === "cancelled"
          ? "cancelled"
          : "skipped",
      };
    return row ? { ...outcome, job_id: row.job_id } : outcome;
  });
  const summary = summarize(targets);
  return {
    batch_id: id,
    state: parent.state,
    type: input.type,
    targets,
    summary,
    ended: parentEnded && summary.pending === 0,
  };
}
