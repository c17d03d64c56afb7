import { dirname } from "../fs/mod.ts";
import { OperationalError } from "../errors/mod.ts";
import { copyHashing, type Digest, hashFile } from "./hash.ts";
import { listArtifacts } from "./list.ts";
import { writeManifest } from "./manifest.ts";
import { scpPath, WINDOWS_ARTIFACT_DIR } from "../windows/mod.ts";
import { isPlainFileIn } from "./paths.ts";
import { hashWhileWriting } from "./_tail_hash.ts";

/** Copies one Windows file to a local path; resolves whether it worked. */
export type DownloadFn = (
  remotePath: string,
  localPath: string,
) => Promise<boolean>;

/** Options for {@linkcode fetchArtifacts}. */
export interface FetchOptions {
  /** `artifacts.out_dir`. */
  outDir: string;
  /** The job id (checked). */
  jobId: string;
  /** Where `<job_id>/` is created. */
  out: string;
  /** Pulls a file from the Windows artifact root (scp); none: Linux only. @default undefined */
  download?: DownloadFn;
}

/** What a fetch did. */
export interface FetchResult {
  /** `ok`, `partial` (a file missing or mismatching) or `not_found`. */
  state: "ok" | "partial" | "not_found";
  jobId: string;
  /** `<out>/<job_id>` (absolute). */
  outDir: string;
  /** Relative paths fetched and verified. */
  files: string[];
  /** Relative paths found nowhere. */
  missing: string[];
  /** Relative paths whose sha256 or size differ from the manifest everywhere. */
  mismatched: string[];
  /** Relative paths that came from the Windows root. */
  fromWindows: string[];
}

async function plainDirs(base: string, rel: string): Promise<string> {
  let path = base;
  for (const segment of rel.split("/").filter((s) => s !== "")) {
    path = `${path}/${segment}`;
    await Deno.mkdir(path).catch((e) => {
      if (!(e instanceof Deno.errors.AlreadyExists)) throw e;
    });
    const info = await Deno.lstat(path);
    if (!info.isDirectory || info.isSymlink) {
      throw new OperationalError(
        `Cannot fetch into "${path}": not a plain directory (symlinks are not followed)`,
      );
    }
  }
  return path;
}

/**
 * Copies each manifest file from the Linux root to `<out>/<job_id>/<path>`,
 * hashing while copying; a file missing (or wrong) on Linux is pulled from
 * the Windows root with `download`. Each file lands only once its sha256 and
 * size match the manifest; the manifest is copied last.
 */
export async function fetchArtifacts(
  options: FetchOptions,
): Promise<FetchResult> {
  const { outDir, jobId, out, download } = options;
  const listing = await listArtifacts(outDir, jobId);
  const id = jobId.toLowerCase();
  const result: FetchResult = {
    state: "not_found",
    jobId: id,
    outDir: "",
    files: [],
    missing: [],
    mismatched: [],
    fromWindows: [],
  };
  if (!listing) return result;
  await Deno.mkdir(out, { recursive: true });
  const base = await plainDirs(await Deno.realPath(out), id);
  result.outDir = base;
  for (const entry of listing.manifest.artifacts) {
    const dir = await plainDirs(base, dirname(entry.path).replace(/^\.$/, ""));
    const dest = `${base}/${entry.path}`;
    const tmp = `${dir}/.${crypto.randomUUID()}.part`;
    const good = (d: Digest | undefined) =>
      d !== undefined && d.sha256 === entry.sha256 &&
      d.size === entry.size_bytes;
    let seen = false;
    let ok = false;
    try {
      if (await isPlainFileIn(listing.root, entry.path)) {
        seen = true;
        ok = good(await copyHashing(`${listing.root}/${entry.path}`, tmp));
      }
      if (!ok && download) {
        const remote = scpPath(WINDOWS_ARTIFACT_DIR, id, entry.path);
        await Deno.remove(tmp).catch(() => {});
        const digest = await hashWhileWriting(tmp, () => download(remote, tmp));
        if (digest) {
          seen = true;
          // An out-of-order writer could fool the running hash: confirm.
          ok = good(digest) || good(await hashFile(tmp));
          if (ok) result.fromWindows.push(entry.path);
        }
      }
      if (ok) {
        await Deno.rename(tmp, dest);
        result.files.push(entry.path);
      } else (seen ? result.mismatched : result.missing).push(entry.path);
    } finally {
      await Deno.remove(tmp).catch(() => {});
    }
  }
  await writeManifest(base, listing.manifest);
  result.state = result.missing.length || result.mismatched.length
    ? "partial"
    : "ok";
  return result;
}
