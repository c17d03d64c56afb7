import { type AlohaClient, runAlohaTask } from "../aloha/mod.ts";
import {
  JobArtifacts,
  putExecOutput,
  recordAlohaRun,
  windowsMirror,
} from "../artifacts/mod.ts";
import type { ResolvedConfig } from "../config/mod.ts";
import {
  DomainError,
  errorMessage,
  EXIT_USAGE,
  OperationalError,
} from "../errors/mod.ts";
import type { Logger } from "../log/mod.ts";
import type { Redactor } from "../redact/mod.ts";
import type { JobMetrics } from "../metrics/mod.ts";
import type { SshClient } from "../ssh/mod.ts";
import { runPageJob } from "../playwright/mod.ts";
import { idempotencyGate, windowsExec } from "../windows/mod.ts";
import { loadSdk } from "./client.ts";
import type {
  AlohaRunOutput,
  CommonInput,
  JobInputs,
  JobType,
  PlaywrightRunOutput,
  WindowsExecOutput,
} from "./inputs.ts";
import { JobInputError, parseJobInput } from "./input_schemas.ts";
import type { JobContext, JobHandlers } from "./tasks.ts";

/** What the job handlers need. */
export interface HandlerDeps {
  config: ResolvedConfig;
  logger: Logger;
  metrics: JobMetrics;
  ssh: SshClient;
  aloha: AlohaClient;
  /** In-flight jobs; the worker aborts them when a drain runs out of time. */
  inflight: Set<AbortController>;
  /**
   * Redacts what goes to Hatchet (failure messages, outputs) and into the
   * artifacts. @default the logger's
   */
  redactor?: Redactor;
}

/**
 * What a failure sends to the engine (its message and its stack, which
 * Hatchet stores): the message redacted, and a "stack" of that one line,
 * so neither a secret nor our source paths are stored.
 */
function engineError<E extends Error>(error: E, message: string): E {
  error.message = message;
  error.stack = `${error.name}: ${message}`;
  return error;
}

/** Bytes of command output kept in the job's result (the engine stores it). */
const MAX_JOB_OUTPUT = 1024 * 1024;

class RemoteExit extends Error {
  override readonly name = "RemoteExit";
}

function isTimeoutAbort(signal: AbortSignal): boolean {
  return /timeout|timed out|exceeded/i.test(
    String((signal.reason as Error)?.message ?? signal.reason),
  );
}

/**
 * Wraps one job: logs each state transition with `job_id` and `trace_id`,
 * applies the input's idempotent check first, counts the terminal state once,
 * and tells the engine which failures are worth a retry. The job's artifact
 * root is created before the work and its manifest written in every outcome
 * (completed, failed, cancelled).
 */
async function runJob<T>(
  deps: HandlerDeps,
  type: JobType,
  input: CommonInput,
  ctx: JobContext,
  body: (signal: AbortSignal, log: Logger, art: JobArtifacts) => Promise<T>,
  skipped: () => T,
): Promise<T> {
  const sdk = await loadSdk();
  const redactor = deps.redactor ?? deps.logger.redactor;
  const log = deps.logger.with({
    job_id: ctx.jobId,
    trace_id: input.trace_id,
    job_type: type,
  });
  const controller = new AbortController();
  const onAbort = () => controller.abort(ctx.signal.reason);
  if (ctx.signal.aborted) onAbort();
  ctx.signal.addEventListener("abort", onAbort, { once: true });
  deps.inflight.add(controller);
  const started = performance.now();
  const ms = () => Math.round(performance.now() - started);
  log.info("hatchet", "worker", "job running", {
    state: "running",
    attempt: ctx.attempt,
  });
  let art: JobArtifacts;
  try {
    art = await JobArtifacts.begin({
      outDir: deps.config.artifacts.outDir,
      jobId: ctx.jobId,
      traceId: input.trace_id,
      logger: log,
      redactor,
      mirror: deps.config.artifacts.mirror
        ? windowsMirror(deps.ssh, {
          timeoutMs: deps.config.hatchet.jobTimeoutMs,
        })
        : undefined,
    });
  } catch (error) {
    const message = redactor.redact(
      `Cannot create the artifact root in "${deps.config.artifacts.outDir}": ${
        errorMessage(error)
      }`,
    );
    log.error("hatchet", "worker", "job failed", message, {
      state: "failed",
      attempt: ctx.attempt,
    });
    deps.inflight.delete(controller);
    ctx.signal.removeEventListener("abort", onAbort);
    deps.metrics.terminal(ctx.jobId, "failed");
    throw engineError(new sdk.NonRetryableError(message), message);
  }
  let terminal = "failed";
  try {
    if (input.idempotent_check) {
      const decision = await idempotencyGate(deps.ssh, input.idempotent_check, {
        timeoutMs: deps.config.timeoutMs,
        requireUnlocked: type === "aloha.run",
        signal: controller.signal,
      });
      if (decision === "skip") {
        log.info(
          "hatchet",
          "worker",
          "job completed: idempotent check passed, work skipped",
          {
            state: "completed",
            skipped: true,
            duration_ms: ms(),
          },
        );
        deps.metrics.terminal(ctx.jobId, "completed");
        terminal = "completed";
        return skipped();
      }
    }
    // The engine stores the output: redacted like every other sink.
    const result = redactor.redactJson(
      await body(controller.signal, log, art),
    );
    log.info("hatchet", "worker", "job completed", {
      state: "completed",
      duration_ms: ms(),
    });
    deps.metrics.terminal(ctx.jobId, "completed");
    terminal = "completed";
    return result;
  } catch (error) {
    const message = redactor.redact(
      errorMessage(error),
    );
    if (ctx.signal.aborted && !isTimeoutAbort(ctx.signal)) {
      log.info("hatchet", "worker", "job cancelled", {
        state: "cancelled",
        duration_ms: ms(),
      });
      deps.metrics.terminal(ctx.jobId, "cancelled");
      terminal = "cancelled";
      throw ctx.signal.reason;
    }
    const deterministic = error instanceof RemoteExit ||
      (error instanceof DomainError && error.exitCode === EXIT_USAGE);
    const final = deterministic || ctx.attempt >= deps.config.hatchet.retryMax;
    log.error(
      "hatchet",
      "worker",
      final ? "job failed" : "job attempt failed; the engine will retry",
      message,
      {
        state: final ? "failed" : "retrying",
        attempt: ctx.attempt,
        duration_ms: ms(),
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
    await finishArtifacts(art, terminal, log);
  }
}

/**
 * The job's input checked against its schema at the worker's edge: a bad
 * field (a string `timeout_ms`, a misspelt key) fails the job once, naming
 * the field, and is never retried (the same input would fail again).
 */
async function checkedInput<T extends JobType>(
  deps: HandlerDeps,
  type: T,
  raw: unknown,
  ctx: JobContext,
): Promise<JobInputs[T]> {
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
    }).error("hatchet", "worker", "job failed", error.message, {
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

/** Writes the manifest; a failure to do so is logged, not thrown over the job's own outcome. */
async function finishArtifacts(art: JobArtifacts, state: string, log: Logger) {
  try {
    const manifest = await art.finish(state);
    log.info("hatchet", "artifacts", "manifest written", {
      artifact_root: art.root,
      manifest_state: manifest?.state,
      artifacts: manifest?.artifacts.length,
      mirror: manifest?.mirror?.state,
    });
  } catch (error) {
    log.error(
      "hatchet",
      "artifacts",
      "cannot write the manifest",
      errorMessage(error),
      { artifact_root: art.root },
    );
  }
}

/** The handlers of `windows.exec`, `aloha.run` and `playwright.run`. */
export function createHandlers(deps: HandlerDeps): JobHandlers {
  return {
    windowsExec: async (raw, ctx) => {
      const input = await checkedInput(deps, "windows.exec", raw, ctx);
      return await runJob<WindowsExecOutput>(
        deps,
        "windows.exec",
        input,
        ctx,
        async (signal, log, art): Promise<WindowsExecOutput> => {
          const result = await windowsExec(deps.ssh, input.cmd, {
            timeoutMs: input.timeout_ms ?? deps.config.hatchet.jobTimeoutMs,
            signal,
            // One run id per attempt: a retry must not meet the
            // cancellation marker an earlier attempt's stop left behind.
            runId: ctx.attempt ? `${ctx.jobId}-a${ctx.attempt}` : ctx.jobId,
            maxOutputBytes: MAX_JOB_OUTPUT,
            logger: log,
          });
          await putExecOutput(art, result);
          if (result.exitCode !== 0) {
            throw new RemoteExit(
              `remote command exited with code ${result.exitCode}`,
            );
          }
          return {
            state: "completed",
            exit_code: result.exitCode,
            stdout: result.stdout,
            stderr: result.stderr,
            truncated: result.truncated,
          };
        },
        () => ({ state: "skipped" }),
      );
    },
    alohaRun: async (raw, ctx) => {
      const input = await checkedInput(deps, "aloha.run", raw, ctx);
      return await runJob<AlohaRunOutput>(
        deps,
        "aloha.run",
        input,
        ctx,
        async (signal, _log, art) => {
          deps.metrics.increment("aloha_runs_total");
          const result = await recordAlohaRun(
            art,
            input.task,
            (onStarted) =>
              runAlohaTask(deps.aloha, deps.ssh, {
                task: input.task,
                maxSteps: input.max_steps,
                selectedScreen: input.selected_screen,
                demoTrace: input.demo_trace,
              }, {
                wait: deps.config.aloha.clientLogPath !== "",
                clientLogPath: deps.config.aloha.clientLogPath,
                timeoutMs: deps.config.hatchet.jobTimeoutMs,
                signal,
                onStarted,
              }),
          );
          return { state: result.state };
        },
        () => ({ state: "skipped" }),
      );
    },
    playwrightRun: async (raw, ctx) => {
      const input = await checkedInput(deps, "playwright.run", raw, ctx);
      return await runJob<PlaywrightRunOutput>(
        deps,
        "playwright.run",
        input,
        ctx,
        async (signal, log, art): Promise<PlaywrightRunOutput> => {
          deps.metrics.increment("playwright_sessions_total");
          const result = await runPageJob(deps.config, {
            jobId: ctx.jobId,
            url: input.url,
            timeoutMs: input.timeout_ms ?? deps.config.timeoutMs,
            screenshot: input.screenshot,
            trace: input.trace,
            video: input.video,
            signal,
            logger: log,
            tunnel: deps.ssh,
          });
          if (result.state === "partial") {
            art.partial = true;
            throw new OperationalError(
              `Playwright run partial: missing ${
                result.missing.map((m) => `${m.kind} (${m.why})`).join(", ")
              }`,
            );
          }
          return {
            state: "completed",
            artifact_root: result.root,
            artifacts: result.artifacts,
            http_status: result.httpStatus,
          };
        },
        () => ({ state: "skipped" }),
      );
    },
  };
}
