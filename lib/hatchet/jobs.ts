import type { HatchetClient } from "@hatchet-dev/typescript-sdk";
import { OperationalError, TimeoutError, UsageError } from "../errors/mod.ts";
import { type Delay, delay } from "../retry/mod.ts";
import { hatchetError, httpStatusOf, isGrpcNotFound } from "./errors.ts";
import { isJobId } from "../ids/mod.ts";
import type { JobInputs, JobType } from "./inputs.ts";
import { type JobState, jobStateOf, TERMINAL_STATES } from "./states.ts";
import { loadSdk } from "./client.ts";
import { DEFAULT_TARGET, routeTo } from "./routing.ts";
import { BATCH_TASK, type BatchInput, childKey } from "./batch.ts";

/** What `jobs enqueue` reports. */
export interface EnqueueResult {
  job_id: string;
  state: JobState;
  trace_id: string;
  /** The target the run is routed to. */
  target: string;
  queued_at: string;
  /** True when the idempotency key was already held by this run. */
  deduplicated: boolean;
}

/** What `jobs status` reports. */
export interface JobStatus {
  job_id: string;
  state: JobState | "not_found";
  trace_id: string;
  /** The job's target (from the run's metadata; empty when unknown). @default "" */
  target?: string;
  started_at: string | null;
  ended_at: string | null;
  error: string | null;
}

/** Options shared by the job operations. */
export interface JobOpsOptions {
  /** Where Hatchet is, for messages. */
  endpoint: string;
  /** Sleeps between polls. @default a real timer */
  sleep?: Delay;
  /** The clock. @default Date.now */
  now?: () => number;
}

/** A timestamp, or null for Go's zero time (a run that has not started). */
function realTime(value: string | undefined): string | null {
  return !value || value.startsWith("0001-01-01") ? null : value;
}

/**
 * A job's error as users see it: the message without the stack trace the
 * SDK records with it (as JSON `{"message","stack"}`, or `    at ...`
 * lines), on one line; null when empty.
 */
export function errorText(raw: string | undefined | null): string | null {
  let text = raw ?? "";
  // The TypeScript SDK records a failure as JSON: {"message", "stack"}.
  try {
    const parsed = JSON.parse(text) as { message?: unknown };
    if (typeof parsed?.message === "string") text = parsed.message;
  } catch { /* plain text */ }
  const lines: string[] = [];
  for (const line of text.split("\n")) {
    if (/^\s*at\s/.test(line)) break;
    if (line.trim()) lines.push(line.trim());
  }
  return lines.length ? lines.join(" ") : null;
}

/** Checks a job id before it is used: Hatchet run ids are UUIDs. */
export function checkJobId(id: string): string {
  if (!isJobId(id)) {
    throw new UsageError(
      `usage error: --id must be a job id (a UUID), got ${JSON.stringify(id)}`,
    );
  }
  return id;
}

/**
 * The options every job run is triggered with: its target's required worker
 * label (no sticky strategy, no worker id) and the metadata `trace_id`,
 * `target` and (given the job type) `type`, which `jobs list --type`
 * filters on. The only way this tool starts a job run (a batch's parent:
 * `batchRunOptions`).
 */
export function runOptionsOf(
  input: { trace_id: string; target?: string },
  type?: JobType,
) {
  const target = input.target ?? DEFAULT_TARGET;
  const additionalMetadata: Record<string, string> = {
    trace_id: input.trace_id,
    target,
  };
  if (type !== undefined) additionalMetadata.type = type;
  return { desiredWorkerLabels: routeTo(target), additionalMetadata };
}

/**
 * How a batch's parent run is started: no desired worker labels (its task
 * declares none either, unlike the job tasks' `target.default`), so any
 * worker takes it; metadata `trace_id` and `type=jobs.batch`.
 */
export function batchRunOptions(input: { trace_id: string }) {
  return { additionalMetadata: { trace_id: input.trace_id, type: BATCH_TASK } };
}

/**
 * How a batch's child is started: {@linkcode runOptionsOf} (its target's
 * label, `required: true`, metadata `trace_id`, `target`, `type`), with the
 * metadata `batch_id` added.
 */
export function childRunOptions(
  input: { trace_id: string; target?: string },
  batchId: string,
  type: JobType,
) {
  const base = runOptionsOf(input, type);
  return {
    ...base,
    additionalMetadata: { ...base.additionalMetadata, batch_id: batchId },
  };
}

/** The parts of the SDK's task context {@linkcode startChild} uses. */
export interface SpawnContext {
  workflowRunId(): string;
  runNoWaitChild(
    workflow: string,
    input: never,
    options: ReturnType<typeof childRunOptions> & { key: string },
  ): Promise<{ getWorkflowRunId(): Promise<string> }>;
}

/**
 * Starts a batch's child job for one target from the parent task's (plain,
 * not durable) context, and returns its run id. Exactly once per target and
 * batch, through two of the engine's own mechanisms:
 * - the child key {@linkcode childKey} (`key`): engine v0.105.0 dedupes a
 *   child spawn on (parent run, child key) and answers a repeat with the
 *   child it already started (`pkg/repository/ids.go`, `ShouldSkip`), so a
 *   retried or restarted parent re-attaches (proved in tests/batch_test.ts);
 * - the same key as the child's idempotency key: should the spawn dedupe
 *   miss, the engine refuses a second run with IdempotencyCollisionError
 *   naming the existing child, which is returned instead.
 * A durable context would drop the labels (hatchet #4904); the plain one
 * passes them to `admin.runWorkflow`.
 */
export async function startChild(
  ctx: SpawnContext,
  type: JobType,
  input: JobInputs[JobType],
): Promise<{ id: string; deduplicated: boolean }> {
  const sdk = await loadSdk();
  const batchId = ctx.workflowRunId();
  const key = childKey(input.target ?? DEFAULT_TARGET, batchId);
  const own = { ...input, idempotency_key: key };
  try {
    const ref = await ctx.runNoWaitChild(
      type,
      own as never,
      { ...childRunOptions(own, batchId, type), key },
    );
    return { id: await ref.getWorkflowRunId(), deduplicated: false };
  } catch (error) {
    if (error instanceof sdk.IdempotencyCollisionError) {
      return { id: error.existingRunExternalId, deduplicated: true };
    }
    throw error;
  }
}

/**
 * Why a run is undeliverable, or undefined: the engine cancelled it
 * without an error while the REST view calls it FAILED and it never
 * started. That is how Hatchet v0.105.0 ends a run no eligible worker took
 * within its schedule timeout (events `REQUEUED_NO_WORKER`, then
 * `SCHEDULING_TIMED_OUT`); a user's cancel is CANCELLED in both views.
 */
export function undeliverableReason(
  core: JobStatus,
  history: JobStatus | null,
): string | undefined {
  if (core.state !== "cancelled" || core.error !== null) return undefined;
  if (history?.state !== "failed" || history.error !== null) return undefined;
  if (history.started_at !== null) return undefined;
  return `no worker serving target ${
    JSON.stringify(core.target || history.target || DEFAULT_TARGET)
  } took the job within hatchet.schedule_timeout`;
}

/** Job operations on Hatchet's runs API. */
export class JobOps {
  #h: HatchetClient;
  #o: Required<JobOpsOptions>;

  constructor(hatchet: HatchetClient, options: JobOpsOptions) {
    this.#h = hatchet;
    this.#o = { sleep: delay, now: Date.now, ...options };
  }

  /**
   * Enqueues a job without waiting. A duplicate idempotency key is not an
   * error: the run that holds the key is reported with `deduplicated: true`.
   */
  async enqueue<T extends JobType>(
    type: T,
    input: JobInputs[T],
  ): Promise<EnqueueResult> {
    const sdk = await loadSdk();
    try {
      // The SDK types inputs as JSON objects; ours are plain JSON too.
      const ref = await this.#h.runNoWait(
        type,
        input as never,
        runOptionsOf(input, type),
      );
      const jobId = await ref.getWorkflowRunId();
      return {
        job_id: jobId,
        state: "queued",
        trace_id: input.trace_id,
        target: input.target ?? DEFAULT_TARGET,
        queued_at: new Date(this.#o.now()).toISOString(),
        deduplicated: false,
      };
    } catch (error) {
      if (error instanceof sdk.IdempotencyCollisionError) {
        const existing = error.existingRunExternalId;
        const status = await this.status(existing);
        return {
          job_id: existing,
          state: status.state === "not_found" ? "queued" : status.state,
          trace_id: status.trace_id || input.trace_id,
          target: input.target ?? DEFAULT_TARGET,
          queued_at: new Date(this.#o.now()).toISOString(),
          deduplicated: true,
        };
      }
      throw hatchetError(`enqueue ${type}`, this.#o.endpoint, error);
    }
  }

  /**
   * Starts a batch: one run of the parent task `jobs.batch`, which a worker
   * runs to start the children. Returns the batch id (the parent's run id);
   * a duplicate `idempotency_key` reports the batch holding it.
   */
  async enqueueBatch(
    input: BatchInput,
  ): Promise<{ batch_id: string; deduplicated: boolean }> {
    const sdk = await loadSdk();
    try {
      const ref = await this.#h.runNoWait(
        BATCH_TASK,
        input as never,
        batchRunOptions(input),
      );
      return { batch_id: await ref.getWorkflowRunId(), deduplicated: false };
    } catch (error) {
      if (error instanceof sdk.IdempotencyCollisionError) {
        return { batch_id: error.existingRunExternalId, deduplicated: true };
      }
      throw hatchetError(`enqueue ${BATCH_TASK}`, this.#o.endpoint, error);
    }
  }

  /**
   * One status fetch. The state, error and trace id come from the engine's
   * own record of the run (gRPC `GetRunDetails`, read from the tables the
   * engine schedules from). The REST view (Hatchet's run history, filled
   * asynchronously) adds the timestamps; it can lag, and after an engine
   * that stopped abruptly it can keep a finished run as RUNNING for good, so
   * it never decides the state. Runs past the engine's retention are found
   * in the REST view alone.
   */
  async status(id: string): Promise<JobStatus> {
    checkJobId(id);
    const [core, history] = await Promise.all([
      this.#coreStatus(id),
      this.#historyStatus(id),
    ]);
    if (!core) {
      return history ?? {
        job_id: id,
        state: "not_found",
        trace_id: "",
        target: "",
        started_at: null,
        ended_at: null,
        error: null,
      };
    }
    if (
      core.state === "cancelled" && core.error === null && history &&
      !TERMINAL_STATES.has(history.state as JobState)
    ) {
      // Cancelled in the engine's record, with no error: a user's cancel or
      // a run no worker took. The history (which lags) tells which; until
      // it has caught up the job is reported as it last saw it.
      return { ...history, target: core.target || history.target };
    }
    const undeliverable = undeliverableReason(core, history);
    if (undeliverable !== undefined) {
      return {
        ...core,
        state: "undeliverable",
        started_at: null,
        ended_at: history?.ended_at ?? null,
        error: undeliverable,
      };
    }
    const agrees = history?.state === core.state;
    return {
      ...core,
      trace_id: core.trace_id || history?.trace_id || "",
      target: core.target || history?.target || "",
      started_at: core.state === "queued" ? null : history?.started_at ?? null,
      ended_at: agrees ? history.ended_at : null,
      error: core.error ?? (agrees ? history.error || null : null),
    };
  }

  /**
   * Whether the engine's own record (not the lagging history) has the job
   * queued or running: after it cancelled one attempt, a job that lives on
   * was handed to another attempt; a user's cancel or a timeout ends it.
   */
  async alive(id: string): Promise<boolean> {
    const core = await this.#coreStatus(checkJobId(id));
    return core !== null &&
      (core.state === "queued" || core.state === "running");
  }

  /** The engine's record (gRPC), or null when it has none. */
  async #coreStatus(id: string): Promise<JobStatus | null> {
    let detail;
    try {
      detail = await this.#h.runs.getDetails(id);
    } catch (error) {
      if (isGrpcNotFound(error)) return null;
      throw hatchetError(
        `get the status of job ${id}`,
        this.#o.endpoint,
        error,
      );
    }
    const state = jobStateOf(String(detail.status));
    const meta = (detail.additionalMetadata ?? {}) as Record<string, unknown>;
    const failure = Object.values(detail.taskRuns ?? {})
      .map((t) => errorText(t.error)).find((e) => e !== null);
    return {
      job_id: id,
      state,
      trace_id: typeof meta.trace_id === "string" ? meta.trace_id : "",
      target: typeof meta.target === "string" ? meta.target : "",
      started_at: null,
      ended_at: null,
      error: state === "failed" || state === "cancelled"
        ? (failure ?? null)
        : null,
    };
  }

  /** The REST view (run history), or null when it does not have the run. */
  async #historyStatus(id: string): Promise<JobStatus | null> {
    try {
      const run = (await this.#h.runs.get(id)).run;
      const meta = (run.additionalMetadata ?? {}) as Record<string, unknown>;
      const state = jobStateOf(String(run.status));
      return {
        job_id: id,
        state,
        trace_id: typeof meta.trace_id === "string" ? meta.trace_id : "",
        target: typeof meta.target === "string" ? meta.target : "",
        started_at: realTime(run.startedAt),
        ended_at: TERMINAL_STATES.has(state) ? realTime(run.finishedAt) : null,
        error: state === "failed" || state === "cancelled"
          ? errorText(run.errorMessage)
          : null,
      };
    } catch (error) {
      const status = httpStatusOf(error);
      if (status === 404 || status === 400) return null;
      throw hatchetError(
        `get the status of job ${id}`,
        this.#o.endpoint,
        error,
      );
    }
  }

  /**
   * Polls every `intervalMs` until the job is terminal; past `timeoutMs` it
   * throws a TimeoutError (exit 4). `onChange` sees each new state.
   */
  async watch(
    id: string,
    options: {
      timeoutMs: number;
      intervalMs?: number;
      signal?: AbortSignal;
      onChange?: (s: JobStatus) => void;
    },
  ): Promise<JobStatus> {
    const { timeoutMs, intervalMs = 2000, signal, onChange } = options;
    const deadline = this.#o.now() + timeoutMs;
    let last = "";
    for (;;) {
      const status = await this.status(id);
      if (status.state !== last) {
        last = status.state;
        onChange?.(status);
      }
      if (
        status.state === "not_found" ||
        TERMINAL_STATES.has(status.state as JobState)
      ) return status;
      if (this.#o.now() + intervalMs > deadline) {
        throw new TimeoutError(
          `Cannot watch job ${id} to its end: still ${status.state} after ${timeoutMs}ms`,
          {
            fields: { job_id: id, state: status.state },
          },
        );
      }
      await this.#o.sleep(intervalMs, { signal });
    }
  }

  /**
   * Cancels a job and waits (up to `timeoutMs`) for the engine to settle it.
   * Returns the final status: `cancelled`, or the terminal state it had.
   */
  async cancel(id: string, options: { timeoutMs: number }): Promise<JobStatus> {
    const before = await this.status(id);
    if (
      before.state === "not_found" ||
      TERMINAL_STATES.has(before.state as JobState)
    ) return before;
    try {
      await this.#h.runs.cancel({ ids: [id] });
    } catch (error) {
      throw hatchetError(`cancel job ${id}`, this.#o.endpoint, error);
    }
    const after = await this.watch(id, {
      timeoutMs: options.timeoutMs,
      intervalMs: 250,
    }).catch((error) => {
      if (error instanceof TimeoutError) {
        throw new OperationalError(
          `Cannot confirm the cancellation of job ${id}: still not terminal after ${options.timeoutMs}ms`,
          { cause: error, fields: { job_id: id } },
        );
      }
      throw error;
    });
    return after;
  }
}
