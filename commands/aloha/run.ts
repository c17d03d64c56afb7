import type { Parsed } from "../../lib/cli/mod.ts";
import type { Cx } from "../_io.ts";
import type { runFlags } from "./mod.ts";
import { checkTraceId } from "../_trace.ts";
import { idempotentCheckOf } from "../_idempotent.ts";

/** `win-automation aloha run`: start an Aloha task, maybe wait for it. */
export default async function alohaRunCommand(
  { io, state, globals }: Cx,
  opts: Parsed<typeof runFlags>,
  _words: string[],
): Promise<void> {
  const check = idempotentCheckOf(opts);
  const { createContext } = await import("../_context.ts");
  const { runAlohaTask } = await import("../../lib/aloha/mod.ts");
  const { idempotencyGate } = await import("../../lib/windows/mod.ts");
  const traceId = opts.traceId === undefined
    ? undefined
    : checkTraceId(opts.traceId);
  const ctx = await createContext(io, state, {
    op: "aloha.run",
    configPath: globals().config,
    traceId,
  });
  const timeoutMs = opts.timeout ??
    (opts.wait ? ctx.config.hatchet.jobTimeoutMs : ctx.config.timeoutMs);
  const ssh = ctx.ssh();
  if (check !== undefined) {
    const decision = await idempotencyGate(ssh, check, {
      timeoutMs: ctx.config.timeoutMs,
      requireUnlocked: true,
    });
    if (decision === "skip") {
      ctx.logger.info(
        "aloha",
        "aloha.run",
        "idempotent check passed; skipped",
        { state: "skipped" },
      );
      ctx.emit({ state: "skipped", trace_id: ctx.traceId });
      return;
    }
  }
  const { beginDirectJob, endDirectJob } = await import("../_artifacts.ts");
  const { recordAlohaRun } = await import("../../lib/artifacts/mod.ts");
  const art = await beginDirectJob(ctx);
  const started = performance.now();
  let result;
  try {
    result = await recordAlohaRun(
      art,
      opts.task,
      (onStarted) =>
        runAlohaTask(ctx.aloha(), ssh, {
          task: opts.task,
          maxSteps: opts.maxSteps,
          selectedScreen: opts.selectedScreen,
          demoTrace: opts.demoTrace,
        }, {
          wait: opts.wait,
          clientLogPath: ctx.config.aloha.clientLogPath,
          timeoutMs,
          onStarted,
        }),
    );
  } finally {
    await endDirectJob(
      ctx,
      art,
      result ? "completed" : "failed",
      () => state.exitCode = 1,
    );
  }
  const fields = {
    state: result.state,
    job_id: art.jobId,
    artifact_root: art.root,
    trace_id: ctx.traceId,
    duration_ms: Math.round(performance.now() - started),
  };
  ctx.logger.info("aloha", "aloha.run", `task ${result.state}`, fields);
  ctx.emit(fields);
}
