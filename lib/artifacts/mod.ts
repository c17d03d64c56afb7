/**
 * Job artifacts: each job's root `<out_dir>/<job_id>/` with its files and an
 * atomically written `manifest.json`, the Windows mirror, and the `artifacts
 * list|fetch|gc` operations. Job ids are checked before they become paths;
 * symlinks are never followed out of a root.
 * @module
 */
export { checkArtifactJobId } from "./job_id.ts";
export {
  isSafeRelPath,
  jobRootOf,
  MANIFEST_FILE,
  RUNNING_FILE,
} from "./paths.ts";
export { copyHashing, hashFile } from "./hash.ts";
export type { Digest } from "./hash.ts";
export { readManifest, writeManifest } from "./manifest.ts";
export type { ArtifactEntry, Manifest, MirrorStatus } from "./manifest.ts";
export { readMarker } from "./marker.ts";
export type { RunningMarker } from "./marker.ts";
export { artifactTypeOf, JobArtifacts } from "./job_artifacts.ts";
export type { BeginOptions, MirrorFn } from "./job_artifacts.ts";
export { listArtifacts } from "./list.ts";
export type { JobListing } from "./list.ts";
export { fetchArtifacts } from "./fetch.ts";
export type { DownloadFn, FetchOptions, FetchResult } from "./fetch.ts";
export { gcArtifacts, RUNNING_GRACE_MS } from "./gc.ts";
export type { GcEntry, GcOptions, GcResult } from "./gc.ts";
export { windowsDownload, windowsMirror } from "./mirror.ts";
export type { MirrorOptions } from "./mirror.ts";
export { putAlohaOutput, putExecOutput } from "./outputs.ts";
export { recordAlohaRun } from "./record_aloha.ts";
export { ArtifactRootError, isCancelled, recordedRun } from "./recorded_run.ts";
export type {
  RecordedRunOptions,
  RunGate,
  RunOutcome,
} from "./recorded_run.ts";
export type { AlohaRunRecord } from "./record_aloha.ts";
export type { AlohaOutput, ExecOutput } from "./outputs.ts";
