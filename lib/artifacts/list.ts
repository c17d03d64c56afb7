import { type Manifest, readManifest } from "./manifest.ts";
import { containedJobRoot } from "./paths.ts";

/** A job's manifest and where it lives. */
export interface JobListing {
  /** The real, absolute job root. */
  root: string;
  manifest: Manifest;
}

/**
 * Reads `<out_dir>/<job_id>/manifest.json` after checking the id and that the
 * root stays inside out_dir; undefined when the job has no manifest.
 */
export async function listArtifacts(
  outDir: string,
  jobId: string,
): Promise<JobListing | undefined> {
  const root = await containedJobRoot(outDir, jobId);
  if (root === undefined) return undefined;
  const manifest = await readManifest(root);
  return manifest && { root, manifest };
}
