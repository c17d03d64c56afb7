import type { Cx } from "../_io.ts";
import { withContextOf } from "../_with_context.ts";

/**
 * `win-automation windows runs list`: one payload line per run on the host
 * (`run_id`, `state`, `started`, `exit_code`), oldest first.
 */
export default async function windowsRunsListCommand(
  { io, state, globals }: Cx,
): Promise<void> {
  const withContext = withContextOf(io, state, globals);
  await withContext("windows.runs.list", async (ctx) => {
    const { listRuns } = await import("../../lib/windows/mod.ts");
    const runs = await listRuns(ctx.ssh(), {
      timeoutMs: ctx.config.limits.stepMs,
    });
    for (const run of runs) {
      ctx.out.emit({
        run_id: run.run_id,
        state: run.state,
        started: run.started,
        exit_code: run.exit_code ?? undefined,
      });
    }
    ctx.logger.scope("ssh", "windows.runs.list").info("runs listed", {
      runs: runs.length,
    });
  });
}
