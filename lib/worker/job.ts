import type { AlohaClient } from "../aloha/mod.ts";
import {
  ArtifactRootError,
  isCancelled,
  type JobArtifacts,
  recordedRun,
} from "../artifacts/mod.ts";
import type { ResolvedConfig } from "../config/mod.ts";
import { DomainError, errorMessage, EXIT_USAGE } from "../errors/mod.ts";
import {
  type CommonInput,
  JobInputError,
  type JobInputs,
  type JobType,
  loadSdk,
  parseJobInput,
} from "../hatchet/mod.ts";
import type { Logger } from "../log/mod.ts";
import type { JobMetrics } from "../metrics/mod.ts";
import type { Redactor } from "../redact/mod.ts";
import { delay } from "../retry/mod.ts";
import type { SshClient } from "../ssh/mod.ts";
import { RunHandedOver } from "../windows/mod.ts";
import type { DesktopLock } from "./desktop_lock.ts";
import { type JobLines, jobLinesOf } from "./job_lines.ts";
import type { JobContext } from "./tasks.ts";

/** What the job handlers need. */
export interface HandlerDeps {
  config: ResolvedConfig;
  logger: Logger;
  metrics: JobMetrics;
  ssh: SshClient;
  aloha: AlohaClient;
  /** In-flight jobs; the worker aborts them when a drain runs out of time. */
  inflight: Set<AbortController>;
  /** The worker's hold on the Windows desktop for Aloha tasks. @default a new one per handler set */
  desktopLock?: DesktopLock;
  /** The target's desktop, the lock's key. @default `ssh_host:ssh_port` */
  desktop?: string;
  /**
   * Redacts what goes to Hatchet (failure messages, outputs) and into the
   * artifacts. @default the logger's
   */
  redactor?: Redactor;
  /**
   * This Linux host's name: in each job's manifest and task log, so readers
   * elsewhere know where its artifacts are. @default Deno.hostname()
   */
  hostname?: string;
  /**
   * Whether the engine still runs the job (a queued or running attempt),
   * asked when the SDK cancels an attempt: true means the engine handed the
   * job to another attempt (after a lost worker connection, say), so the
   * Windows run is left for that attempt to re-attach; false or a failure
   * to ask means a real cancel or timeout, and the run is stopped.
   * @default undefined: every cancel stops the run
   */
  jobAlive?: (jobId: string) => Promise<boolean>;
  /** Sleeps between asks of `jobAlive`. @default a real timer */
  sleep?: (ms: number) => Promise<void>;
}

/**
 * How long after a cancel the engine is asked whether the job lives on, in
 * ms from the cancel: a user's cancel or a timeout shows as ended within
 * these; a job still queued or running after the last is a hand-over.
 */
export const HANDOVER_CHECKS_MS: readonly number[] = [0, 1000, 3000];

/** A remote command that ran and exited non-zero: the same input would again. */
export class RemoteExit extends Error {
  override readonly name = "RemoteExit";
}

/**
 * What a failure sends to the engine (its message and its stack, which
 * Hatchet stores): the message redacted, and a "stack" of that one line,
 * so neither a secret nor our source paths are stored.
 */
export function engineError<E extends Error>(error: E, message: string): E {
  error.message = message;
  error.stack = `${error.name}: ${message}`;
  return error;
}

/**
 * Whether a failed attempt is worth another: not when the same input would
 * fail again (a remote non-zero exit, a usage error, an artifact root that
 * cannot be created), nor after the last configured retry.
 */
export function retryDecision(
  error: unknown,
  attempt: number,
  retryMax: number,
): { deterministic: boolean; final: boolean } {
  const deterministic = error instanceof RemoteExit ||
    error instanceof ArtifactRootError ||
    (error instanceof DomainError && error.exitCode === EXIT_USAGE) ||
    endedRun(error);
  return { deterministic, final: deterministic || attempt >= retryMax };
}

/**
 * Whether the error says how a Windows run ended (stopped at its timeout,
 * killed, lost, not started, not found): a retry would attach to the same
 * run (its id is the job id) and find the same end. An unknown outcome
 * (`state=unknown`) is retried: the retry re-attaches.
 */
function endedRun(error: unknown): boolean {
  return error instanceof DomainError && error.fields.run_id !== undefined &&
    ["timeout", "killed", "lost", "failed", "not_found"].includes(
      String(error.fields.state),
    );
}

/** One job for {@linkcode runJob}. */
export interface Job<I extends CommonInput, T> {
  type: JobType;
  input: I;
  ctx: JobContext;
  /** Fail with `state=blocked` when the desktop is locked (GUI work). @default false */
  requireUnlocked?: boolean;
  /**
   * The work; `log` carries the job's `job_id`, `trace_id` and `job_type`;
   * `lines` is the job's task log (flushed by runJob when the job ends).
   */
  body: (
    art: JobArtifacts,
    signal: AbortSignal,
    log: Logger,
    lines: JobLines,
  ) => Promise<T>;
}

/**
 * Whether a cancel of this attempt is a hand-over: the engine still runs
 * the job at each of {@linkcode HANDOVER_CHECKS_MS} (a user's cancel or a
 * timeout ends it within them). Without `jobAlive`, or when the engine
 * cannot be asked, it is a real cancel.
 */
async function cancelKind(deps: HandlerDeps, jobId: string): Promise<boolean> {
  const { jobAlive, sleep = (ms: number) => delay(ms) } = deps;
  if (!jobAlive) return false;
  let waited = 0;
  for (const at of HANDOVER_CHECKS_MS) {
    if (at > waited) await sleep(at - waited);
    waited = at;
    const alive = await jobAlive(jobId).catch(() => false);
    if (!alive) return false;
  }
  return true;
}

/**
 * Runs one job as a recorded run ({@linkcode recordedRun}: artifact root,
 * gate, body, manifest) and adds what is Hatchet's: the state transitions
 * logged with `job_id` and `trace_id`, the terminal state counted once, the
 * output redacted for the engine with the attempt's `duration_ms`, the
 * task log's start entry (the host and root of the artifacts, whatever the
 * end), and which failures are worth a retry (the others are a
 * NonRetryableError).
 */
export async function runJob<I extends CommonInput, T>(
  deps: HandlerDeps,
  job: Job<I, T>,
): Promise<T | { state: "skipped"; duration_ms: number }> {
  const { type, input, ctx } = job;
  const sdk = await loadSdk();
  const redactor = deps.redactor ?? deps.logger.redactor;
  const logger = deps.logger.with({
    job_id: ctx.jobId,
    trace_id: input.trace_id,
    job_type: type,
  });
  const log = logger.scope("hatchet", "worker");
  const controller = new AbortController();
  const onAbort = () => {
    void cancelKind(deps, ctx.jobId).then((handedOver) => {
      if (handedOver) {
        log.info(
          "job attempt cancelled by the engine while the job goes on: its Windows run is left for the next attempt to re-attach",
          { attempt: ctx.attempt },
        );
      }
      controller.abort(
        handedOver
          ? new RunHandedOver("the engine handed the job to another attempt")
          : ctx.signal.reason,
      );
    });
  };
  if (ctx.signal.aborted) onAbort();
  ctx.signal.addEventListener("abort", onAbort, { once: true });
  deps.inflight.add(controller);
  const started = performance.now();
  const ms = () => Math.round(performance.now() - started);
  log.info("job running", { state: "running", attempt: ctx.attempt });
  const { config, ssh } = deps;
  const lines = jobLinesOf(ctx, { logger, redactor });
  try {
    const outcome = await recordedRun({
      outDir: config.artifacts.outDir,
      jobId: ctx.jobId,
      traceId: input.trace_id,
      target: config.target,
      log: logger.scope("hatchet", "artifacts"),
      redactor,
      mirror: config.artifacts.mirror
        ? { ssh, timeoutMs: config.limits.mirrorMs }
        : undefined,
      gate: {
        ssh,
        check: input.idempotent_check,
        requireUnlocked: job.requireUnlocked,
        timeoutMs: config.limits.gateMs,
      },
      signal: controller.signal,
      cancelSignal: ctx.signal,
      hostname: deps.hostname,
      onBegin: (art) => lines.start({ host: art.host, root: art.root }),
    }, (art, signal) => job.body(art, signal, logger, lines));
    await lines.flush();
    deps.metrics.terminal(ctx.jobId, "completed");
    if (outcome.state === "skipped") {
      log.info("job completed: idempotent check passed, work skipped", {
        state: "completed",
        skipped: true,
        duration_ms: ms(),
      });
      return { state: "skipped", duration_ms: ms() };
    }
    const duration = ms();
    log.info("job completed", { state: "completed", duration_ms: duration });
    // The engine stores the output: redacted like every other sink.
    return redactor.redactJson({ ...outcome.value, duration_ms: duration });
  } catch (error) {
    // The failure's lines reach the task log before the engine hears of it.
    await lines.flush();
    const message = redactor.redact(errorMessage(error));
    if (controller.signal.reason instanceof RunHandedOver) {
      // Not an end: the job's next attempt carries on (and counts it).
      throw ctx.signal.reason;
    }
    if (!(error instanceof ArtifactRootError) && isCancelled(ctx.signal)) {
      log.info("job cancelled", { state: "cancelled", duration_ms: ms() });
      deps.metrics.terminal(ctx.jobId, "cancelled");
      throw ctx.signal.reason;
    }
    const { deterministic, final } = retryDecision(
      error,
      ctx.attempt,
      config.hatchet.retryMax,
    );
    log.error(
      final ? "job failed" : "job attempt failed; the engine will retry",
      {
        err: message,
        state: final ? "failed" : "retrying",
        attempt: ctx.attempt,
        duration_ms: error instanceof ArtifactRootError ? undefined : ms(),
      },
    );
    if (final) deps.metrics.terminal(ctx.jobId, "failed");
    throw engineError(
      deterministic
        ? new sdk.NonRetryableError(message)
        : error instanceof Error
        ? error
        : new Error(message),
      message,
    );
  } finally {
    ctx.signal.removeEventListener("abort", onAbort);
    deps.inflight.delete(controller);
  }
}

/**
 * Fails a job before any work (no artifact root, nothing sent): logged as
 * `job failed`, counted once, and sent to the engine as a NonRetryableError
 * with the redacted message, since the same job would fail again.
 */
export async function refuseJob<I extends CommonInput>(
  deps: HandlerDeps,
  job: { type: JobType; input: I; ctx: JobContext },
  error: unknown,
): Promise<never> {
  const { type, input, ctx } = job;
  const sdk = await loadSdk();
  const redactor = deps.redactor ?? deps.logger.redactor;
  const message = redactor.redact(errorMessage(error));
  deps.logger.with({
    job_id: ctx.jobId,
    trace_id: input.trace_id,
    job_type: type,
  }).scope("hatchet", "worker").error("job failed", {
    err: message,
    state: "failed",
    attempt: ctx.attempt,
  });
  deps.metrics.terminal(ctx.jobId, "failed");
  throw engineError(new sdk.NonRetryableError(message), message);
}

/**
 * The job's input checked against its schema at the worker's edge: a bad
 * field (a string `timeout_ms`, a misspelt key) fails the job once, naming
 * the field, and is never retried (the same input would fail again).
 */
export async function checkedInput<T extends JobType>(
  deps: HandlerDeps,
  job: { type: T; raw: unknown; ctx: JobContext },
): Promise<JobInputs[T]> {
  const { type, raw, ctx } = job;
  try {
    return parseJobInput(type, raw);
  } catch (error) {
    if (!(error instanceof JobInputError)) throw error;
    const sdk = await loadSdk();
    const trace = (raw as { trace_id?: unknown })?.trace_id;
    deps.logger.with({
      job_id: ctx.jobId,
      trace_id: typeof trace === "string" && trace.length <= 128
        ? trace
        : undefined,
      job_type: type,
    }).scope("hatchet", "worker").error("job failed", {
      err: error.message,
      state: "failed",
      attempt: ctx.attempt,
      field: error.field || undefined,
    });
    deps.metrics.terminal(ctx.jobId, "failed");
    const message = (deps.redactor ?? deps.logger.redactor).redact(
      error.message,
    );
    throw engineError(new sdk.NonRetryableError(message), message);
  }
}
