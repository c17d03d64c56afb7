import { delay } from "../retry/mod.ts";
import { type Digest, sha256Stream } from "./hash.ts";

const CHUNK = 1024 * 1024;

/**
 * Runs `write` (which creates `path` and appends to it, like scp) while
 * hashing the file as it grows, so no second pass is needed. Returns
 * undefined when `write` fails. A writer that does not append in order would
 * give a wrong digest; callers confirm a mismatch with a full re-read.
 */
export async function hashWhileWriting(
  path: string,
  write: () => Promise<boolean>,
): Promise<Digest | undefined> {
  let done = false;
  const writing = write().finally(() => done = true);
  const hash = await sha256Stream();
  const buf = new Uint8Array(CHUNK);
  let size = 0;
  let file: Deno.FsFile | undefined;
  try {
    while (true) {
      const last = done;
      file ??= await Deno.open(path, { read: true }).catch(() => undefined);
      while (file) {
        const n = await file.read(buf);
        if (n === null) break;
        hash.update(buf.subarray(0, n));
        size += n;
      }
      if (last) break;
      await Promise.race([
        writing.catch(() => false),
        delay(5),
      ]);
    }
  } finally {
    file?.close();
  }
  if (!(await writing)) return undefined;
  return { sha256: hash.hex(), size };
}
