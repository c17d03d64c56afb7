import type { Parsed } from "../../lib/cli/mod.ts";
import type { Cx } from "../_io.ts";
import type { runsGcFlags } from "./mod.ts";
import { withContextOf } from "../_with_context.ts";

/**
 * `win-automation windows runs gc [--days N] [--dry-run]`: deletes run
 * folders on Windows past the retention (`artifacts.retention_days`, as
 * `artifacts gc` for job roots on Linux); one `action=` line per folder,
 * then a summary. Running runs are never touched.
 */
export default async function windowsRunsGcCommand(
  { io, state, globals }: Cx,
  opts: Parsed<typeof runsGcFlags>,
): Promise<void> {
  const withContext = withContextOf(io, state, globals);
  await withContext("windows.runs.gc", async (ctx) => {
    const { gcRuns } = await import("../../lib/windows/mod.ts");
    const days = opts.days ?? ctx.config.artifacts.retentionDays;
    const entries = await gcRuns(ctx.ssh(), {
      days,
      dryRun: opts.dryRun,
      timeoutMs: ctx.config.limits.stepMs,
    });
    for (const e of entries) {
      ctx.out.emit({
        action: e.action,
        run_id: e.run_id,
        age_days: e.age_days,
      });
    }
    const count = (a: string) => entries.filter((e) => e.action === a).length;
    ctx.out.emit({
      state: "ok",
      days,
      dry_run: opts.dryRun || undefined,
      deleted: count("deleted"),
      would_delete: opts.dryRun ? count("would_delete") : undefined,
    });
  });
}
