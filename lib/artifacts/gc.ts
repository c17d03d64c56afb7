import { readManifest } from "./manifest.ts";
import { markerHeld, readMarker } from "./marker.ts";
import { isJobId } from "../ids/mod.ts";

/** How long a `.running` marker written by another host keeps its job safe. */
export const RUNNING_GRACE_MS = 24 * 60 * 60 * 1000;

/** Options for {@linkcode gcArtifacts}. */
export interface GcOptions {
  /** `artifacts.out_dir`. */
  outDir: string;
  /** Jobs older than this many days go. */
  days: number;
  /** List only. @default false */
  dryRun?: boolean;
  /** The clock. @default Date.now */
  now?: () => number;
  /** This host's name. @default Deno.hostname() */
  hostname?: string;
  /**
   * Whether a live process on this host holds a job root's marker lock.
   * @default a non-blocking flock attempt
   */
  isHeld?: (root: string) => Promise<boolean>;
}

/** One job directory gc looked at. */
export interface GcEntry {
  jobId: string;
  /** `deleted`, `would_delete`, `kept` or `running`. */
  action: "deleted" | "would_delete" | "kept" | "running";
  /** Age in whole days. */
  ageDays: number;
  /** Where the age came from: `manifest` or `mtime`. */
  ageFrom: "manifest" | "mtime";
}

/** What gc did, and the entries it left alone (not job directories). */
export interface GcResult {
  entries: GcEntry[];
  /** Names in out_dir that are not job directories (symlinks included): left alone. */
  ignored: string[];
}

const DAY = 24 * 60 * 60 * 1000;

/**
 * Deletes job directories in out_dir older than `days`: age is the
 * manifest's `created_at`, or the directory's mtime without one. Only real
 * directories named by a job id are considered (lstat; symlinks and other
 * names are left alone, never followed). A job whose `.running` marker is
 * still locked by a live process on this host, or (written by another host)
 * started less than {@linkcode RUNNING_GRACE_MS} ago, or cannot be read, is
 * kept; a marker left by a dead process on this host does not protect it.
 */
export async function gcArtifacts(options: GcOptions): Promise<GcResult> {
  const {
    outDir,
    days,
    dryRun = false,
    now = Date.now,
    hostname = Deno.hostname(),
    isHeld = markerHeld,
  } = options;
  const result: GcResult = { entries: [], ignored: [] };
  const names: string[] = [];
  try {
    for await (const e of Deno.readDir(outDir)) names.push(e.name);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return result;
    throw error;
  }
  names.sort();
  const limit = now() - days * DAY;
  for (const name of names) {
    const path = `${outDir}/${name}`;
    const info = await Deno.lstat(path).catch(() => null);
    if (!info || !info.isDirectory || info.isSymlink || !isJobId(name)) {
      if (info) result.ignored.push(name);
      continue;
    }
    const marker = await readMarker(path);
    const manifest = await readManifest(path).catch(() => undefined);
    const created = manifest ? Date.parse(manifest.created_at) : NaN;
    const ageFrom = Number.isNaN(created) ? "mtime" : "manifest";
    const at = ageFrom === "manifest"
      ? created
      : (info.mtime?.getTime() ?? now());
    const entry: GcEntry = {
      jobId: name,
      action: "kept",
      ageDays: Math.floor((now() - at) / DAY),
      ageFrom,
    };
    result.entries.push(entry);
    if (marker !== undefined) {
      const running = marker === null ||
        (marker.host === hostname
          ? await isHeld(path)
          : now() - Date.parse(marker.started_at) < RUNNING_GRACE_MS);
      if (running) {
        entry.action = "running";
        continue;
      }
    }
    if (at >= limit) continue;
    if (dryRun) {
      entry.action = "would_delete";
      continue;
    }
    await Deno.remove(path, { recursive: true });
    entry.action = "deleted";
  }
  return result;
}
