import { Command } from "@commander-js/extra-typings";
import type { Globals, Io, RunState } from "./_io.ts";
import { intArg, textArg } from "./_flags.ts";
import { contextOf } from "./_with_context.ts";

/** `win-automation artifacts list|fetch|gc`: each job's artifact root. */
export function artifactsCommand(io: Io, state: RunState, globals: Globals) {
  const withContext = contextOf(io, state, globals);
  const artifacts = new Command("artifacts").description(
    "list, fetch and clean up job artifacts (<out_dir>/<job_id>/)",
  );

  artifacts.command("list")
    .description("print a job's manifest: one line per artifact")
    .requiredOption("--job <id>", "the job id (a UUID)")
    .option("--json", "print JSON")
    .action(async (opts) => {
      const { checkArtifactJobId, jobRootOf, listArtifacts } = await import(
        "../lib/artifacts/mod.ts"
      );
      const id = checkArtifactJobId(opts.job);
      const ctx = await withContext("artifacts.list");
      const outDir = ctx.config.artifacts.outDir;
      const listing = await listArtifacts(outDir, id);
      if (!listing) {
        const root = jobRootOf(outDir, id);
        ctx.logger.scope("cli", "artifacts.list").error("no manifest", {
          job_id: id,
          state: "not_found",
          root,
        });
        if (opts.json) {
          io.stdout(JSON.stringify({
            job_id: id,
            root,
            artifacts: [],
            state: "not_found",
          }));
        } else ctx.out.emit({ state: "not_found", job_id: id, root });
        state.exitCode = 1;
        return;
      }
      const m = listing.manifest;
      if (opts.json) {
        io.stdout(JSON.stringify({
          job_id: m.job_id,
          root: listing.root,
          artifacts: m.artifacts,
          state: m.state,
          trace_id: m.trace_id,
          created_at: m.created_at,
          mirror: m.mirror?.state ?? null,
        }));
        return;
      }
      ctx.out.emit({
        state: m.state,
        job_id: m.job_id,
        trace_id: m.trace_id,
        created_at: m.created_at,
        root: listing.root,
        artifacts: m.artifacts.length,
        mirror: m.mirror?.state,
      });
      for (const a of m.artifacts) {
        ctx.out.emit({
          type: a.type,
          path: a.path,
          size_bytes: a.size_bytes,
          sha256: a.sha256,
        });
      }
    });

  artifacts.command("fetch")
    .description(
      "copy a job's artifacts to <dir>/<job_id>/, verifying each sha256 (scp from Windows when the Linux copy is missing)",
    )
    .requiredOption("--job <id>", "the job id (a UUID)")
    .requiredOption("--out <dir>", "destination directory", textArg)
    .option("--json", "print JSON")
    .action(async (opts) => {
      const { checkArtifactJobId, fetchArtifacts, windowsDownload } =
        await import("../lib/artifacts/mod.ts");
      const id = checkArtifactJobId(opts.job);
      const ctx = await withContext("artifacts.fetch");
      const { ensureWritableDir } = await import("../lib/fs/mod.ts");
      await ensureWritableDir(opts.out, "--out", { usage: true });
      const started = performance.now();
      const r = await fetchArtifacts({
        outDir: ctx.config.artifacts.outDir,
        jobId: id,
        out: opts.out,
        download: windowsDownload(ctx.ssh()),
      });
      const problems = [
        ...r.missing.map((p) => `missing ${p}`),
        ...r.mismatched.map((p) => `sha256 mismatch ${p}`),
      ];
      const error = r.state === "not_found"
        ? `no manifest for job "${id}" in "${ctx.config.artifacts.outDir}"`
        : problems.length
        ? problems.join("; ")
        : null;
      const fields = {
        state: r.state,
        job_id: id,
        out_dir: r.outDir || undefined,
        files: r.files.length,
        from_windows: r.fromWindows.length || undefined,
        missing: r.missing.join(",") || undefined,
        mismatched: r.mismatched.join(",") || undefined,
        duration_ms: Math.round(performance.now() - started),
      };
      if (r.state === "ok") {
        ctx.logger.scope("cli", "artifacts.fetch").info(
          "artifacts fetched",
          fields,
        );
      } else {
        ctx.logger.scope("cli", "artifacts.fetch").error(
          r.state === "partial" ? "fetch partial" : "no manifest",
          { err: error ?? undefined, ...fields },
        );
        state.exitCode = 1;
      }
      if (opts.json) {
        io.stdout(JSON.stringify({
          job_id: id,
          out_dir: r.outDir,
          files: r.files,
          error,
          state: r.state,
          missing: r.missing,
          mismatched: r.mismatched,
        }));
      } else ctx.out.emit(fields);
    });

  artifacts.command("gc")
    .description(
      "delete job artifact roots older than --days (running jobs and symlinks are left alone)",
    )
    .option(
      "--days <n>",
      "retention in days (default: artifacts.retention_days)",
      intArg(1, 3650),
    )
    .option("--dry-run", "list what would be deleted, delete nothing")
    .action(async (opts) => {
      const { gcArtifacts } = await import("../lib/artifacts/mod.ts");
      const ctx = await withContext("artifacts.gc");
      const days = opts.days ?? ctx.config.artifacts.retentionDays;
      const outDir = ctx.config.artifacts.outDir;
      const info = await Deno.stat(outDir).catch(() => null);
      if (info && !info.isDirectory) {
        const { ConfigError, quote } = await import("../lib/errors/mod.ts");
        const { settingName } = await import("../lib/config/mod.ts");
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
      const count = (a: string) =>
        r.entries.filter((e) => e.action === a).length;
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
    });
  return artifacts;
}
