import type { HatchetClient } from "@hatchet-dev/typescript-sdk";
import type { ResolvedConfig } from "../config/mod.ts";
import type { SendLine } from "./job_lines.ts";
import type { Logger } from "../log/mod.ts";
import { declareBatchTask } from "./batch.ts";
import {
  type AlohaRunOutput,
  loadSdk,
  type PlaywrightRunOutput,
  taskOptions,
  type WindowsExecOutput,
  type WindowsRebootOutput,
} from "../hatchet/mod.ts";

/** What runs a job; the worker supplies it. */
export type JobHandler<I, O> = (input: I, ctx: JobContext) => Promise<O>;

/** The parts of Hatchet's task context a handler uses. */
export interface JobContext {
  /** The run id: this job's `job_id`. */
  jobId: string;
  /** 0 for the first attempt. */
  attempt: number;
  /** Aborts on cancellation or execution timeout. */
  signal: AbortSignal;
  /**
   * Writes one entry to the job's Hatchet task log (what `jobs logs` reads).
   * @default undefined: entries go nowhere (tests)
   */
  log?: SendLine;
}

/**
 * Handlers for each job type. Each takes the input as the engine delivered
 * it (`unknown`) and checks it against its schema before any work.
 */
export interface JobHandlers {
  windowsExec: JobHandler<unknown, WindowsExecOutput>;
  alohaRun: JobHandler<unknown, AlohaRunOutput>;
  playwrightRun: JobHandler<unknown, PlaywrightRunOutput>;
  windowsReboot: JobHandler<unknown, WindowsRebootOutput>;
}

/** The parts of the SDK's task context {@linkcode jobContextOf} reads. */
export interface SdkTaskContext {
  workflowRunId(): string;
  retryCount(): number;
  abortController: AbortController;
  logger: { info(message: string, extra?: unknown): Promise<unknown> };
}

/**
 * The job's view of Hatchet's task context: its run id, attempt, abort
 * signal, and its task log (the SDK's `ctx.logger.info`, which the SDK sends
 * to the engine with `putLog`; entries are the job's output lines, already
 * redacted by jobLines()).
 */
export function jobContextOf(ctx: SdkTaskContext): JobContext {
  return {
    jobId: ctx.workflowRunId(),
    attempt: ctx.retryCount(),
    signal: ctx.abortController.signal,
    log: async (message, meta) => {
      await ctx.logger.info(message, { ...meta });
    },
  };
}

/**
 * Declares the worker's Hatchet tasks with the configured execution timeout,
 * retries and backoff, the engine's idempotency key on the input, and for
 * `aloha.run` one run at a time per Windows host (GUI work cannot share a
 * desktop); and the batch parent `jobs.batch` (lib/worker/batch.ts), which
 * every worker declares and, with no required target label, any worker
 * takes.
 */
export async function declareTasks(
  hatchet: HatchetClient,
  config: ResolvedConfig,
  handlers: JobHandlers,
  batch: { logger: Logger; endpoint: string },
) {
  const sdk = await loadSdk();
  const common = taskOptions(config);
  const windowsExec = hatchet.task({
    name: "windows.exec",
    ...common,
    fn: (input, ctx) => handlers.windowsExec(input, jobContextOf(ctx)) as never,
  });
  const alohaRun = hatchet.task({
    name: "aloha.run",
    ...common,
    concurrency: {
      expression: "input.host",
      maxRuns: 1,
      limitStrategy: sdk.ConcurrencyLimitStrategy.GROUP_ROUND_ROBIN,
    },
    fn: (input, ctx) => handlers.alohaRun(input, jobContextOf(ctx)) as never,
  });
  const playwrightRun = hatchet.task({
    name: "playwright.run",
    ...common,
    fn: (input, ctx) =>
      handlers.playwrightRun(input, jobContextOf(ctx)) as never,
  });
  const windowsReboot = hatchet.task({
    name: "windows.reboot",
    ...common,
    fn: (input, ctx) =>
      handlers.windowsReboot(input, jobContextOf(ctx)) as never,
  });
  const batchParent = declareBatchTask(hatchet, config, batch);
  return [windowsExec, alohaRun, playwrightRun, windowsReboot, batchParent];
}
