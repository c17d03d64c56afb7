import { errorMessage } from "../lib/errors/mod.ts";
import type { JobArtifacts } from "../lib/artifacts/mod.ts";
import type { AppContext } from "./_context.ts";

/**
 * Opens the artifact root of a direct (non-queued) run under a new job id,
 * with the configured Windows mirror.
 */
export async function beginDirectJob(
  ctx: AppContext,
  jobId: string = crypto.randomUUID(),
): Promise<JobArtifacts> {
  const { JobArtifacts, windowsMirror } = await import(
    "../lib/artifacts/mod.ts"
  );
  const { ensureWritableDir } = await import("../lib/fs/mod.ts");
  const { settingName } = await import("../lib/config/mod.ts");
  await ensureWritableDir(
    ctx.config.artifacts.outDir,
    settingName(ctx.config, "artifacts.out_dir"),
  );
  return await JobArtifacts.begin({
    outDir: ctx.config.artifacts.outDir,
    jobId,
    traceId: ctx.traceId,
    logger: ctx.logger.with({ job_id: jobId }),
    mirror: ctx.config.artifacts.mirror
      ? windowsMirror(ctx.ssh(), { timeoutMs: ctx.config.hatchet.jobTimeoutMs })
      : undefined,
  });
}

/**
 * Writes a direct run's manifest with its terminal state. A failure to write
 * it is logged and makes the exit code 1 (without hiding the run's own error).
 */
export async function endDirectJob(
  ctx: AppContext,
  art: JobArtifacts,
  state: string,
  setFailed: () => void,
): Promise<void> {
  try {
    const manifest = await art.finish(state);
    ctx.logger.debug("cli", ctx.op, "manifest written", {
      job_id: art.jobId,
      artifact_root: art.root,
      manifest_state: manifest?.state,
      mirror: manifest?.mirror?.state,
    });
  } catch (error) {
    ctx.logger.error(
      "cli",
      ctx.op,
      "cannot write the manifest",
      errorMessage(error),
      { job_id: art.jobId, artifact_root: art.root },
    );
    setFailed();
  }
}
