import { DEFAULT_TARGET, loadSdk } from "../hatchet/mod.ts";
import type { Logger } from "../log/mod.ts";
import type { JobMetrics } from "../metrics/mod.ts";
import { engineError } from "./job.ts";
import type { JobHandler, JobHandlers } from "./tasks.ts";

/** Options for {@linkcode routedHandlers}. */
export interface RoutedOptions {
  logger: Logger;
  metrics: JobMetrics;
}

/** The target a job input names: its `target`, `default` when it has none. */
export function targetOfInput(raw: unknown): unknown {
  if (raw === null || typeof raw !== "object") return DEFAULT_TARGET;
  const t = (raw as { target?: unknown }).target;
  return t === undefined ? DEFAULT_TARGET : t;
}

/**
 * One set of handlers over each served target's own: a job goes to the
 * handlers of the target its input names. A job for a target this worker
 * does not serve (a misroute: the engine routes by label, so only a run
 * started without our labels, or a worker started with the wrong ones, gets
 * here) is refused before any work and never retried: the same worker would
 * refuse it again, and a retry would not pick another worker with certainty.
 */
export function routedHandlers(
  byTarget: ReadonlyMap<string, JobHandlers>,
  options: RoutedOptions,
): JobHandlers {
  const { logger, metrics } = options;
  if (byTarget.size === 0) {
    throw new RangeError("routedHandlers() needs at least one target");
  }
  const served = [...byTarget.keys()];
  const route = <K extends keyof JobHandlers>(
    key: K,
    type: string,
  ): JobHandlers[K] => {
    const handler: JobHandler<unknown, unknown> = async (raw, ctx) => {
      const target = targetOfInput(raw);
      const own = typeof target === "string" ? byTarget.get(target) : undefined;
      if (own) return await own[key](raw, ctx);
      const sdk = await loadSdk();
      const message = `Cannot run ${type}: this worker does not serve target ${
        JSON.stringify(
          typeof target === "string" ? target.slice(0, 64) : target,
        )
      } (it serves ${served.join(", ")}); the job was misrouted`;
      const trace = (raw as { trace_id?: unknown } | null)?.trace_id;
      logger.with({
        job_id: ctx.jobId,
        trace_id: typeof trace === "string" && trace.length <= 128
          ? trace
          : undefined,
        job_type: type,
        target: typeof target === "string" && target.length <= 64
          ? target
          : undefined,
      }).scope("hatchet", "worker").error("job refused: misrouted", {
        err: message,
        state: "failed",
        attempt: ctx.attempt,
        served: served.join(","),
      });
      metrics.terminal(ctx.jobId, "failed");
      throw engineError(new sdk.NonRetryableError(message), message);
    };
    return handler as JobHandlers[K];
  };
  return {
    windowsExec: route("windowsExec", "windows.exec"),
    alohaRun: route("alohaRun", "aloha.run"),
    playwrightRun: route("playwrightRun", "playwright.run"),
    windowsReboot: route("windowsReboot", "windows.reboot"),
  };
}
