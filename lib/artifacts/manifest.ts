import { errorMessage, OperationalError } from "../errors/mod.ts";
import { MIB, readRegularFile, writeFileAtomic } from "../fs/mod.ts";
import { isSafeRelPath, MANIFEST_FILE } from "./paths.ts";

/** One file of a job's artifact root. */
export interface ArtifactEntry {
  /** What it is: `stdout`, `stderr`, `exit_code`, `response`, `client_log`, `screenshot`, `trace`, `video` or `file`. */
  type: string;
  /** Path relative to the job root, forward slashes. */
  path: string;
  size_bytes: number;
  /** Lower-case hex sha256. */
  sha256: string;
}

/** Where the Windows mirror stands (absent when mirroring is off). */
export interface MirrorStatus {
  /** `pending` while the upload runs, then `ok` or `failed`. */
  state: "pending" | "ok" | "failed";
  /** Why it failed. */
  error?: string;
  /** Relative paths of symlinks in the root, never followed nor copied. */
  skipped_symlinks?: string[];
}

/** `<out_dir>/<job_id>/manifest.json`. */
export interface Manifest {
  job_id: string;
  trace_id: string;
  /** The target the job ran for (worker jobs). */
  target?: string;
  /**
   * The Linux host holding this root (its host name): where `artifacts
   * fetch` runs. Absent in manifests written before it was recorded.
   */
  host?: string;
  /** RFC 3339 time the manifest was written (the job's end). */
  created_at: string;
  /** The job's terminal state: `completed`, `failed`, `cancelled` or `partial`. */
  state: string;
  artifacts: ArtifactEntry[];
  mirror?: MirrorStatus;
}

/**
 * Writes `manifest.json` atomically: a temp file in the same directory,
 * fsynced, then renamed over the old one, so a reader never sees half.
 */
export async function writeManifest(
  root: string,
  manifest: Manifest,
): Promise<void> {
  await writeFileAtomic(
    `${root}/${MANIFEST_FILE}`,
    JSON.stringify(manifest, null, 2) + "\n",
    { mode: 0o644 },
  );
}

/** The largest manifest read (a listing of every file of one job). */
const MAX_MANIFEST_BYTES = 64 * MIB;

const HEX64 = /^[0-9a-f]{64}$/;

function isEntry(value: unknown): value is ArtifactEntry {
  const e = value as ArtifactEntry;
  return typeof e === "object" && e !== null && typeof e.type === "string" &&
    typeof e.path === "string" && isSafeRelPath(e.path) &&
    Number.isSafeInteger(e.size_bytes) && e.size_bytes >= 0 &&
    typeof e.sha256 === "string" && HEX64.test(e.sha256);
}

/**
 * Reads and checks a job root's manifest; undefined when there is none. A
 * manifest that does not parse, or lists an unsafe path, is an
 * OperationalError naming the file.
 */
export async function readManifest(
  root: string,
): Promise<Manifest | undefined> {
  const path = `${root}/${MANIFEST_FILE}`;
  const info = await Deno.lstat(path).catch(() => null);
  if (!info) return undefined;
  const bad = (why: string) =>
    new OperationalError(`Cannot read manifest "${path}": ${why}`);
  if (!info.isFile) throw bad("not a regular file");
  let data: unknown;
  try {
    data = JSON.parse(
      new TextDecoder().decode(
        await readRegularFile(path, { maxBytes: MAX_MANIFEST_BYTES }),
      ),
    );
  } catch (error) {
    throw bad(errorMessage(error));
  }
  const m = data as Manifest;
  if (
    typeof m !== "object" || m === null || typeof m.job_id !== "string" ||
    typeof m.state !== "string" || typeof m.created_at !== "string" ||
    !Array.isArray(m.artifacts)
  ) throw bad("missing job_id, state, created_at or artifacts");
  const wrong = m.artifacts.find((e) => !isEntry(e));
  if (wrong !== undefined) {
    throw bad(`invalid artifact entry ${JSON.stringify(wrong)}`);
  }
  return m;
}
