import type { Parsed } from "../../lib/cli/mod.ts";
import type { Cx } from "../_io.ts";
import type { runFlags } from "./mod.ts";
import { checkTraceId } from "../_trace.ts";
import { idempotentCheckOf } from "../_idempotent.ts";
import { withContextOf } from "../_with_context.ts";

/** `win-automation aloha run`: start an Aloha task, maybe wait for it. */
export default async function alohaRunCommand(
  { io, state, globals }: Cx,
  opts: Parsed<typeof runFlags>,
  _words: string[],
): Promise<void> {
  const withContext = withContextOf(io, state, globals);
  const check = idempotentCheckOf(opts);
  const traceId = opts.traceId === undefined
    ? undefined
    : checkTraceId(opts.traceId);
  await withContext({ op: "aloha.run", traceId }, async (ctx) => {
    const { requireCompletionEvidence, runAlohaTask } = await import(
      "../../lib/aloha/mod.ts"
    );
    // Without the client's log nothing could say the task ended: refused
    // (exit 2) before anything is sent and before an artifact root is made.
    if (opts.wait) requireCompletionEvidence(ctx.config.aloha.clientLogPath);
    const { recordAlohaRun } = await import("../../lib/artifacts/mod.ts");
    const { limits } = ctx.config;
    const timeoutMs = opts.timeout ??
      (opts.wait ? limits.alohaWaitMs : limits.httpMs);
    const log = ctx.logger.scope("aloha", "aloha.run");
    const started = performance.now();
    const run = await ctx.record((art) =>
      recordAlohaRun(
        art,
        opts.task,
        (onStarted) =>
          runAlohaTask({
            task: opts.task,
            maxSteps: opts.maxSteps,
            selectedScreen: opts.selectedScreen,
            demoTrace: opts.demoTrace,
          }, {
            aloha: ctx.aloha(),
            ssh: ctx.ssh(),
            wait: opts.wait,
            clientLogPath: ctx.config.aloha.clientLogPath,
            timeoutMs,
            stopWaitMs: limits.alohaStopMs,
            onStarted,
          }),
      ), { check });
    if (run.state === "skipped") {
      log.info("idempotent check passed; skipped", { state: "skipped" });
      ctx.out.emit({ state: "skipped", trace_id: ctx.traceId });
      return;
    }
    const fields = {
      state: run.value.state,
      job_id: run.art.jobId,
      artifact_root: run.art.root,
      trace_id: ctx.traceId,
      duration_ms: Math.round(performance.now() - started),
    };
    log.info(`task ${run.value.state}`, fields);
    ctx.out.emit(fields);
  });
}
