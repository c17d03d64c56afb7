import type { Parsed } from "../../lib/cli/mod.ts";
import type { Cx } from "../_io.ts";
import { contextOf } from "../_with_context.ts";
import type { gcFlags } from "./mod.ts";

/** `win-automation artifacts gc`: delete artifact roots past retention. */
export default async function artifactsGcCommand(
  { io, state, globals }: Cx,
  opts: Parsed<typeof gcFlags>,
  _words: string[],
): Promise<void> {
  const withContext = contextOf(io, state, globals);
  const { gcArtifacts } = await import("../../lib/artifacts/mod.ts");
  const ctx = await withContext("artifacts.gc");
  const days = opts.days ?? ctx.config.artifacts.retentionDays;
  const outDir = ctx.config.artifacts.outDir;
  const info = await Deno.stat(outDir).catch(() => null);
  if (info && !info.isDirectory) {
    const { ConfigError, quote } = await import("../../lib/errors/mod.ts");
    const { settingName } = await import("../../lib/config/mod.ts");
    throw new ConfigError(
      settingName(ctx.config, "artifacts.out_dir"),
      `${quote(outDir)} is not a directory`,
    );
  }
  const r = await gcArtifacts({ outDir, days, dryRun: opts.dryRun });
  for (const e of r.entries) {
    if (e.action === "deleted" || e.action === "would_delete") {
      ctx.out.emit({
        action: e.action,
        job_id: e.jobId,
        age_days: e.ageDays,
        age_from: e.ageFrom,
      });
    } else if (e.action === "running") {
      ctx.logger.scope("cli", "artifacts.gc").info(
        "job still running; kept",
        {
          job_id: e.jobId,
        },
      );
    }
  }
  for (const name of r.ignored) {
    ctx.logger.scope("cli", "artifacts.gc").info(
      "not a job directory; left alone",
      {
        entry: name,
      },
    );
  }
  const count = (a: string) => r.entries.filter((e) => e.action === a).length;
  const summary = {
    state: "ok",
    out_dir: outDir,
    days,
    dry_run: opts.dryRun || undefined,
    deleted: count("deleted"),
    would_delete: opts.dryRun ? count("would_delete") : undefined,
    running: count("running"),
    kept: count("kept"),
    ignored: r.ignored.length,
  };
  ctx.logger.scope("cli", "artifacts.gc").info("gc finished", summary);
  ctx.out.emit(summary);
}
