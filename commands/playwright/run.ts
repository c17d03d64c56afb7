import type { Parsed } from "../../lib/cli/mod.ts";
import type { Cx } from "../_io.ts";
import type { runFlags } from "./mod.ts";
import { checkTraceId } from "../_trace.ts";
import { checkPageUrl } from "../_flags.ts";
import { withContextOf } from "../_with_context.ts";

/** `win-automation playwright run`: open a page, save artifacts on Linux. */
export default async function playwrightRunCommand(
  { io, state, globals }: Cx,
  opts: Parsed<typeof runFlags>,
  _words: string[],
): Promise<void> {
  const withContext = withContextOf(io, state, globals);
  const traceId = opts.traceId === undefined
    ? undefined
    : checkTraceId(opts.traceId);
  await withContext({ op: "playwright.run", traceId }, async (ctx) => {
    const { runPageJob } = await import("../../lib/playwright/mod.ts");
    checkPageUrl(opts.url, ctx.config.playwright.allowFileUrls);
    const started = performance.now();
    const run = await ctx.record(async (art) => {
      const result = await runPageJob(ctx.config, {
        jobId: art.jobId,
        url: opts.url,
        timeoutMs: opts.timeout ?? ctx.config.limits.pageRunMs,
        screenshot: opts.screenshot,
        trace: opts.trace,
        video: opts.video,
        logger: ctx.logger.with({ job_id: art.jobId }),
        tunnel: ctx.ssh(),
      });
      art.partial = result.state === "partial";
      return result;
    }, {
      stateOf: (r) => r.state === "completed" ? "completed" : "failed",
    });
    if (run.state === "skipped") return; // no check: never skipped
    const { value: result, art } = run;
    const log = ctx.logger.with({ job_id: art.jobId })
      .scope("playwright", "playwright.run");
    for (const m of result.missing) {
      log.warn("artifact missing", { artifact: m.kind, err: m.why });
    }
    const fields = {
      state: result.state,
      job_id: art.jobId,
      artifact_root: result.root,
      trace_id: ctx.traceId,
      http_status: result.httpStatus,
      missing: result.missing.map((m) => m.kind).join(",") || undefined,
      duration_ms: Math.round(performance.now() - started),
    };
    if (result.state === "completed") log.info("page loaded", fields);
    else {
      log.error("run partial", fields);
      state.exitCode = 1;
    }
    ctx.out.emit(fields);
  });
}
