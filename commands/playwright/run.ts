import type { Parsed } from "../../lib/cli/mod.ts";
import type { Cx } from "../_io.ts";
import type { runFlags } from "./mod.ts";
import { checkTraceId } from "../_trace.ts";
import { checkPageUrl } from "../_flags.ts";

/** `win-automation playwright run`: open a page, save artifacts on Linux. */
export default async function playwrightRunCommand(
  { io, state, globals }: Cx,
  opts: Parsed<typeof runFlags>,
  _words: string[],
): Promise<void> {
  const { createContext } = await import("../_context.ts");
  const { runPageJob } = await import("../../lib/playwright/mod.ts");
  const traceId = opts.traceId === undefined
    ? undefined
    : checkTraceId(opts.traceId);
  const ctx = await createContext(io, state, {
    op: "playwright.run",
    configPath: globals().config,
    traceId,
  });
  checkPageUrl(opts.url, ctx.config.playwright.allowFileUrls);
  const { beginDirectJob, endDirectJob } = await import("../_artifacts.ts");
  const art = await beginDirectJob(ctx);
  const jobId = art.jobId;
  const started = performance.now();
  const log = ctx.logger.with({ job_id: jobId });
  let result;
  try {
    result = await runPageJob(ctx.config, {
      jobId,
      url: opts.url,
      timeoutMs: opts.timeout ?? ctx.config.timeoutMs,
      screenshot: opts.screenshot,
      trace: opts.trace,
      video: opts.video,
      logger: log,
      tunnel: ctx.ssh(),
    });
    art.partial = result.state === "partial";
  } finally {
    await endDirectJob(
      ctx,
      art,
      result?.state === "completed" ? "completed" : "failed",
      () => state.exitCode = 1,
    );
  }
  for (const m of result.missing) {
    log.warn("playwright", "playwright.run", "artifact missing", {
      artifact: m.kind,
      err: m.why,
    });
  }
  const fields = {
    state: result.state,
    job_id: jobId,
    artifact_root: result.root,
    trace_id: ctx.traceId,
    http_status: result.httpStatus,
    missing: result.missing.map((m) => m.kind).join(",") || undefined,
    duration_ms: Math.round(performance.now() - started),
  };
  if (result.state === "completed") {
    log.info("playwright", "playwright.run", "page loaded", fields);
  } else {
    log.error(
      "playwright",
      "playwright.run",
      "run partial",
      undefined,
      fields,
    );
    state.exitCode = 1;
  }
  ctx.emit(fields);
}
