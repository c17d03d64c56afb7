import type { Parsed } from "../../lib/cli/mod.ts";
import type { PageJob } from "../../lib/playwright/mod.ts";
import type { JobArtifacts } from "../../lib/artifacts/mod.ts";
import type { AppContext } from "../_context.ts";
import type { Cx } from "../_io.ts";
import type { runFlags } from "./mod.ts";
import { checkTraceId } from "../_trace.ts";
import { checkPageUrl } from "../_flags.ts";
import { checkFanOutFlags, runFanOut } from "../_fan_out.ts";
import { withContextOf } from "../_with_context.ts";

/**
 * One page run as a recorded run on `target` (else the chosen one): the
 * page job under the run's job id, through that target's ssh tunnel.
 */
async function recordedPage(
  ctx: AppContext,
  opts: Parsed<typeof runFlags>,
  target?: string,
  onRoot?: (art: JobArtifacts) => void,
) {
  const { runPageJob } = await import("../../lib/playwright/mod.ts");
  const t = target === undefined
    ? { config: ctx.config, ssh: ctx.ssh }
    : ctx.forTarget(target);
  return await ctx.record(async (art) => {
    onRoot?.(art);
    const job: PageJob = {
      jobId: art.jobId,
      url: opts.url,
      timeoutMs: opts.timeout ?? t.config.limits.pageRunMs,
      screenshot: opts.screenshot,
      trace: opts.trace,
      video: opts.video,
      logger: ctx.logger.with({ job_id: art.jobId }),
      tunnel: t.ssh(),
    };
    const result = await runPageJob(t.config, job);
    art.partial = result.state === "partial";
    return result;
  }, {
    target,
    stateOf: (r) => r.state === "completed" ? "completed" : "failed",
  });
}

/**
 * `win-automation playwright run`: open a page, save artifacts on Linux.
 * With `--targets`: the same run on each target (its own Playwright server,
 * through its own tunnel), one line per target and the summary.
 */
export default async function playwrightRunCommand(
  { io, state, globals }: Cx,
  opts: Parsed<typeof runFlags>,
  _words: string[],
): Promise<void> {
  checkFanOutFlags(opts);
  const withContext = withContextOf(io, state, globals);
  const traceId = opts.traceId === undefined
    ? undefined
    : checkTraceId(opts.traceId);
  await withContext({ op: "playwright.run", traceId }, async (ctx) => {
    checkPageUrl(opts.url, ctx.config.playwright.allowFileUrls);
    if (opts.targets !== undefined) {
      const { selectTargets } = await import("../../lib/config/mod.ts");
      const targets = selectTargets(ctx.config, opts.targets);
      for (const t of targets) {
        checkPageUrl(
          opts.url,
          ctx.forTarget(t).config.playwright.allowFileUrls,
        );
      }
      return await runFanOut(ctx, state, {
        targets,
        forks: opts.forks,
        json: opts.json,
        component: "playwright",
        work: async (target, note) => {
          note.line.job_id = undefined;
          note.row = { artifact_root: null };
          const run = await recordedPage(ctx, opts, target, (art) => {
            note.line.job_id = art.jobId;
            note.row.artifact_root = art.root;
          });
          if (run.state === "skipped") throw new Error("the run was skipped");
          const { value: result } = run;
          note.line.http_status = result.httpStatus;
          note.line.missing = result.missing.map((m) => m.kind).join(",") ||
            undefined;
          return {
            state: result.state === "completed" ? "completed" : "failed",
          };
        },
      });
    }
    const started = performance.now();
    const run = await recordedPage(ctx, opts);
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
