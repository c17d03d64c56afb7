import { readRegularFile } from "../fs/mod.ts";
import { RUNNING_FILE } from "./paths.ts";

/** A marker is one short JSON line. */
const MAX_MARKER_BYTES = 64 * 1024;

/** What `.running` holds while a job works in its artifact root. */
export interface RunningMarker {
  host: string;
  pid: number;
  /** RFC 3339 start time. */
  started_at: string;
}

/**
 * Writes the in-progress marker of a job root and holds an exclusive lock on
 * it (flock) until the returned file is closed: while this process lives,
 * gc on this host sees the job as running.
 */
export async function writeMarker(
  root: string,
  marker: RunningMarker,
): Promise<Deno.FsFile> {
  const file = await Deno.open(`${root}/${RUNNING_FILE}`, {
    write: true,
    create: true,
    truncate: true,
  });
  try {
    await file.lock(true);
    const bytes = new TextEncoder().encode(JSON.stringify(marker) + "\n");
    let off = 0;
    while (off < bytes.length) off += await file.write(bytes.subarray(off));
    return file;
  } catch (error) {
    file.close();
    throw error;
  }
}

/**
 * Whether a live process on this host holds the lock of a root's marker.
 * Absent: false.
 */
export async function markerHeld(root: string): Promise<boolean> {
  // Only a regular file is a marker: opening a FIFO would block gc forever.
  const info = await Deno.lstat(`${root}/${RUNNING_FILE}`).catch(() => null);
  if (!info?.isFile) return false;
  let file: Deno.FsFile;
  try {
    file = await Deno.open(`${root}/${RUNNING_FILE}`, { read: true });
  } catch {
    return false;
  }
  try {
    const got = await file.tryLock(true);
    if (got) await file.unlock();
    return !got;
  } finally {
    file.close();
  }
}

/**
 * Reads a job root's marker: undefined when absent or not a regular file
 * (lstat: a FIFO, symlink or device named `.running` is not a marker and is
 * never opened), `null` when unreadable.
 */
export async function readMarker(
  root: string,
): Promise<RunningMarker | null | undefined> {
  const path = `${root}/${RUNNING_FILE}`;
  const info = await Deno.lstat(path).catch(() => null);
  if (!info || !info.isFile) return undefined;
  try {
    const m = JSON.parse(
      new TextDecoder().decode(
        await readRegularFile(path, { maxBytes: MAX_MARKER_BYTES }),
      ),
    ) as RunningMarker;
    if (
      typeof m.host === "string" && Number.isSafeInteger(m.pid) &&
      !Number.isNaN(Date.parse(m.started_at))
    ) return m;
  } catch {
    // unreadable: the caller treats it as running
  }
  return null;
}

/** Removes a job root's marker (absent is fine). */
export async function removeMarker(root: string): Promise<void> {
  await Deno.remove(`${root}/${RUNNING_FILE}`).catch((error) => {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  });
}
