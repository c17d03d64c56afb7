import { createHash } from "node:crypto";

const CHUNK = 1024 * 1024;

/** What {@linkcode hashFile} and {@linkcode copyHashing} saw. */
export interface Digest {
  /** Lower-case hex sha256. */
  sha256: string;
  /** Bytes read. */
  size: number;
}

/** The sha256 and size of a file, read in 1 MiB chunks. */
export async function hashFile(path: string): Promise<Digest> {
  using file = await Deno.open(path, { read: true });
  const hash = createHash("sha256");
  const buf = new Uint8Array(CHUNK);
  let size = 0;
  while (true) {
    const n = await file.read(buf);
    if (n === null) break;
    hash.update(buf.subarray(0, n));
    size += n;
  }
  return { sha256: hash.digest("hex"), size };
}

/**
 * Copies `src` to a new file `dst` in one pass, hashing the bytes as they go;
 * `dst` is created O_EXCL with mode 0600 (never an existing file or a
 * planted symlink) and fsynced before the digest is returned.
 */
export async function copyHashing(src: string, dst: string): Promise<Digest> {
  using from = await Deno.open(src, { read: true });
  using to = await Deno.open(dst, {
    write: true,
    createNew: true,
    mode: 0o600,
  });
  const hash = createHash("sha256");
  const buf = new Uint8Array(CHUNK);
  let size = 0;
  while (true) {
    const n = await from.read(buf);
    if (n === null) break;
    const chunk = buf.subarray(0, n);
    hash.update(chunk);
    let off = 0;
    while (off < n) off += await to.write(chunk.subarray(off));
    size += n;
  }
  await to.sync();
  return { sha256: hash.digest("hex"), size };
}
