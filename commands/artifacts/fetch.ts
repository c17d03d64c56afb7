import type { Parsed } from "../../lib/cli/mod.ts";
import type { Cx } from "../_io.ts";
import { contextOf } from "../_with_context.ts";
import type { fetchFlags } from "./mod.ts";

/** `win-automation artifacts fetch`: copy a job's artifacts, sha256-verified. */
export default async function artifactsFetchCommand(
  { io, state, globals }: Cx,
  opts: Parsed<typeof fetchFlags>,
  _words: string[],
): Promise<void> {
  const withContext = contextOf(io, state, globals);
  const { checkArtifactJobId, fetchArtifacts, windowsDownload } = await import(
    "../../lib/artifacts/mod.ts"
  );
  const id = checkArtifactJobId(opts.job);
  const ctx = await withContext("artifacts.fetch");
  const { ensureWritableDir } = await import("../../lib/fs/mod.ts");
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
}
