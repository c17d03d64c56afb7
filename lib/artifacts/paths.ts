import { resolve } from "../fs/mod.ts";
import { OperationalError } from "../errors/mod.ts";
import { checkArtifactJobId } from "./job_id.ts";

/** The manifest's file name in a job's artifact root. */
export const MANIFEST_FILE = "manifest.json";
/** The in-progress marker's file name in a job's artifact root. */
export const RUNNING_FILE = ".running";

/** `<out_dir>/<job_id>` as an absolute path, after checking the id. */
export function jobRootOf(outDir: string, jobId: string): string {
  return resolve(outDir, checkArtifactJobId(jobId));
}

/**
 * Whether `rel` is a safe manifest path: relative, forward slashes, no empty,
 * `.` or `..` segment, no backslash, colon or control character.
 */
export function isSafeRelPath(rel: string): boolean {
  if (rel === "" || rel.length > 512 || rel.startsWith("/")) return false;
  // deno-lint-ignore no-control-regex
  if (/[\\:\x00-\x1f]/.test(rel)) return false;
  return rel.split("/").every((s) => s !== "" && s !== "." && s !== "..");
}

/**
 * Resolves a job's artifact root and checks it is a real directory inside the
 * real out_dir (no symlink in between). Returns undefined when it does not
 * exist; throws an OperationalError when it escapes the root.
 */
export async function containedJobRoot(
  outDir: string,
  jobId: string,
): Promise<string | undefined> {
  const root = jobRootOf(outDir, jobId);
  const info = await Deno.lstat(root).catch(() => null);
  if (!info) return undefined;
  if (!info.isDirectory) {
    throw new OperationalError(
      `Cannot use artifact root "${root}": not a directory (symlinks are not followed)`,
    );
  }
  const [realOut, realRoot] = await Promise.all([
    Deno.realPath(outDir),
    Deno.realPath(root),
  ]);
  if (realRoot !== `${realOut}/${jobId.toLowerCase()}`) {
    throw new OperationalError(
      `Cannot use artifact root "${root}": it resolves outside "${realOut}"`,
    );
  }
  return realRoot;
}

/**
 * Whether `path` (inside `root`) is a regular file reached without any
 * symlink: each segment is checked with lstat.
 */
export async function isPlainFileIn(
  root: string,
  rel: string,
): Promise<boolean> {
  if (!isSafeRelPath(rel)) return false;
  let path = root;
  const segments = rel.split("/");
  for (const [i, segment] of segments.entries()) {
    path = `${path}/${segment}`;
    const info = await Deno.lstat(path).catch(() => null);
    if (!info || info.isSymlink) return false;
    if (i < segments.length - 1 ? !info.isDirectory : !info.isFile) {
      return false;
    }
  }
  return true;
}
