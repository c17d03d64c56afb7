/**
 * sha256 of artifacts. A file of at most {@linkcode SMALL_FILE_BYTES} is
 * read whole and hashed with WebCrypto, which costs no import; a larger one
 * (or one still being written) is streamed through node:crypto, imported on
 * first use because its import initialises Deno's Node layer (about 20 ms,
 * docs/PERFORMANCE.md). Both give the same digest (hash_test.ts).
 * @module
 */

const CHUNK = 1024 * 1024;

/** Files up to this size are hashed in memory. */
export const SMALL_FILE_BYTES = 8 * CHUNK;

/** What {@linkcode hashFile} and {@linkcode copyHashing} saw. */
export interface Digest {
  /** Lower-case hex sha256. */
  sha256: string;
  /** Bytes read. */
  size: number;
}

/** An incremental sha256. */
export interface Sha256 {
  update(bytes: Uint8Array): void;
  /** The lower-case hex digest; ends the hash. */
  hex(): string;
}

/** A new incremental sha256 (node:crypto, imported on first use). */
export async function sha256Stream(): Promise<Sha256> {
  const { createHash } = await import("node:crypto");
  const hash = createHash("sha256");
  return {
    update: (bytes) => void hash.update(bytes),
    hex: () => hash.digest("hex"),
  };
}

/** The lower-case hex sha256 of `bytes` (WebCrypto). */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(
    await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>),
  );
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Options of {@linkcode hashFile} and {@linkcode copyHashing}. */
export interface HashOptions {
  /** Files up to this size are read whole. @default SMALL_FILE_BYTES */
  smallBytes?: number;
}

/** The sha256 and size of a file. */
export async function hashFile(
  path: string,
  options: HashOptions = {},
): Promise<Digest> {
  using file = await Deno.open(path, { read: true });
  if ((await file.stat()).size <= (options.smallBytes ?? SMALL_FILE_BYTES)) {
    const bytes = await readAll(file);
    return { sha256: await sha256Hex(bytes), size: bytes.length };
  }
  const hash = await sha256Stream();
  const buf = new Uint8Array(CHUNK);
  let size = 0;
  while (true) {
    const n = await file.read(buf);
    if (n === null) break;
    hash.update(buf.subarray(0, n));
    size += n;
  }
  return { sha256: hash.hex(), size };
}

/** The rest of `file`, to its end. */
async function readAll(file: Deno.FsFile): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  while (true) {
    const buf = new Uint8Array(CHUNK);
    const n = await file.read(buf);
    if (n === null) break;
    chunks.push(buf.subarray(0, n));
    size += n;
  }
  if (chunks.length === 1) return chunks[0]!;
  const all = new Uint8Array(size);
  let off = 0;
  for (const c of chunks) {
    all.set(c, off);
    off += c.length;
  }
  return all;
}

async function writeAll(to: Deno.FsFile, bytes: Uint8Array): Promise<void> {
  let off = 0;
  while (off < bytes.length) off += await to.write(bytes.subarray(off));
}

/**
 * Copies `src` to a new file `dst` in one pass, hashing the bytes as they go;
 * `dst` is created O_EXCL with mode 0600 (never an existing file or a
 * planted symlink) and fsynced before the digest is returned.
 */
export async function copyHashing(
  src: string,
  dst: string,
  options: HashOptions = {},
): Promise<Digest> {
  using from = await Deno.open(src, { read: true });
  using to = await Deno.open(dst, {
    write: true,
    createNew: true,
    mode: 0o600,
  });
  let digest: Digest;
  if ((await from.stat()).size <= (options.smallBytes ?? SMALL_FILE_BYTES)) {
    const bytes = await readAll(from);
    await writeAll(to, bytes);
    digest = { sha256: await sha256Hex(bytes), size: bytes.length };
  } else {
    const hash = await sha256Stream();
    const buf = new Uint8Array(CHUNK);
    let size = 0;
    while (true) {
      const n = await from.read(buf);
      if (n === null) break;
      const chunk = buf.subarray(0, n);
      hash.update(chunk);
      await writeAll(to, chunk);
      size += n;
    }
    digest = { sha256: hash.hex(), size };
  }
  await to.sync();
  return digest;
}
