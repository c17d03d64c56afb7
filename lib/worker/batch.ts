import type { HatchetClient } from "@hatchet-dev/typescript-sdk";
import type { ResolvedConfig } from "../config/mod.ts";
import { LONG_DURATION_MAX_MS } from "../duration/mod.ts";
import { paceBatch, type TargetOutcome } from "../fleet/mod.ts";
import type { Logger } from "../log/mod.ts";
import {
  BATCH_TASK,
  type BatchInput,
  type BatchOutput,
  childOutcome,
  isBatchError,
  JobOps,
  type SpawnContext,
  startChild,
  taskOptions,
} from "../hatchet/mod.ts";
import { delay } from "../retry/mod.ts";

/**
 * How often a child's state is read while its result stream is quiet (a
 * fallback: the stream wakes the parent when the child ends; a tight poll
 * of every child would load the engine the children need).
 */
const POLL_MS = 30_000;

/** The parts of the SDK's task context the parent uses. */
export type BatchContext = SpawnContext & {
  abortController: AbortController;
  retryCount(): number;
};

/** What the parent task needs of the engine. */
export interface BatchDeps {
  hatchet: HatchetClient;
  logger: Logger;
  endpoint: string;
}

/**
 * Runs one batch as its parent task: {@linkcode paceBatch} starts one child
 * job per target (lib/hatchet `startChild`: its target's label, required;
 * re-attached when the engine already holds its key), at most
 * `max_concurrency` at a time, and reads each child's end from the engine.
 */
export async function runBatch(
  input: BatchInput,
  ctx: BatchContext,
  deps: BatchDeps,
): Promise<BatchOutput> {
  const batchId = ctx.workflowRunId();
  const ops = new JobOps(deps.hatchet, { endpoint: deps.endpoint });
  const signal = ctx.abortController.signal;
  const log = deps.logger.with({ batch_id: batchId, trace_id: input.trace_id })
    .scope("hatchet", "worker");
  const byTarget = new Map(input.children.map((c) => [c.target, c.input]));
  log.info("batch running", {
    targets: input.children.length,
    max_concurrency: input.max_concurrency,
    max_errors: input.max_errors,
    attempt: ctx.retryCount(),
  });
  const outcomes = await paceBatch<string>({
    targets: input.children.map((c) => c.target),
    maxConcurrency: input.max_concurrency,
    maxErrors: input.max_errors,
    signal,
    isError: (o) => isBatchError(o, input.ignore_unreachable),
    start: async (target) => {
      // A retried parent gets the children it started before (the
      // engine's child-spawn dedupe answers with the same job_id).
      const { id, deduplicated } = await startChild(
        ctx,
        input.type,
        byTarget.get(target)!,
      );
      log.info("batch child started", {
        target,
        job_id: id,
        deduplicated: deduplicated || undefined,
      });
      return id;
    },
    wait: async (target, id) => {
      const outcome = await childEnd(deps.hatchet, ops, target, id, signal);
      log.info("batch child ended", {
        target,
        job_id: id,
        state: outcome.state,
        exit_code: outcome.exit_code,
      });
      return outcome;
    },
  });
  log.info("batch ended", {
    targets: outcomes.length,
    skipped: outcomes.filter((o) => o.state === "skipped").length,
  });
  return { outcomes };
}

/**
 * Waits for a child to end and returns its outcome. It reads the child's
 * state from the engine ({@linkcode JobOps.status}) once at once (a
 * re-attached child may have ended already), then each time the child's
 * result stream (`runRef(id).output`) settles, or every
 * {@linkcode POLL_MS}; then a completed child's output for its exit code.
 */
async function childEnd(
  hatchet: HatchetClient,
  ops: JobOps,
  target: string,
  id: string,
  signal: AbortSignal,
): Promise<TargetOutcome> {
  const settled = hatchet.runRef(id).output.then(() => {}, () => {});
  for (;;) {
    if (signal.aborted) throw signal.reason ?? new Error("batch cancelled");
    const status = await ops.status(id);
    if (
      status.state !== "not_found" && status.state !== "queued" &&
      status.state !== "running"
    ) {
      const output = status.state === "completed"
        ? (await hatchet.runs.get(id)).run.output
        : undefined;
      return childOutcome({ ...status, target, output });
    }
    await Promise.race([
      settled.then(() => delay(250)),
      delay(POLL_MS, { signal }).catch(() => {}),
    ]);
  }
}

/**
 * Declares the parent task `jobs.batch`: the configured retries, backoff,
 * schedule timeout and idempotency key, an execution timeout that covers a
 * whole batch (24 h), and unlike the job tasks no desired worker labels:
 * any worker takes it.
 */
export function declareBatchTask(
  hatchet: HatchetClient,
  config: ResolvedConfig,
  deps: Omit<BatchDeps, "hatchet">,
) {
  const { desiredWorkerLabels: _jobsOnly, ...common } = taskOptions(config);
  return hatchet.task({
    name: BATCH_TASK,
    ...common,
    executionTimeout: `${LONG_DURATION_MAX_MS / 1000}s` as `${number}s`,
    fn: (input, ctx) =>
      runBatch(input as unknown as BatchInput, ctx as never, {
        ...deps,
        hatchet,
      }) as never,
  });
}
