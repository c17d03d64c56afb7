import { basename, dirname } from "./path.ts";

/** Options for {@linkcode writeFileAtomic}. */
export interface AtomicWriteOptions {
  /** Mode of the finished file. @default 0o600 */
  mode?: number;
}

/**
 * Replaces `path` with `data` atomically: a temp file under an unpredictable
 * name in the same directory, created O_EXCL with mode 0600 (never an
 * existing file or a symlink someone planted), fsynced, then renamed over
 * `path`. The temp file is removed on failure.
 */
export async function writeFileAtomic(
  path: string,
  data: string | Uint8Array,
  options: AtomicWriteOptions = {},
): Promise<void> {
  const { mode = 0o600 } = options;
  const tmp = `${dirname(path)}/.${basename(path)}.${crypto.randomUUID()}.tmp`;
  const bytes = typeof data === "string"
    ? new TextEncoder().encode(data)
    : data;
  try {
    using file = await Deno.open(tmp, {
      write: true,
      createNew: true,
      mode: 0o600,
    });
    let off = 0;
    while (off < bytes.length) off += await file.write(bytes.subarray(off));
    await file.sync();
  } catch (error) {
    await Deno.remove(tmp).catch(() => {});
    throw error;
  }
  try {
    if (mode !== 0o600) await Deno.chmod(tmp, mode);
    await Deno.rename(tmp, path);
  } catch (error) {
    await Deno.remove(tmp).catch(() => {});
    throw error;
  }
}
