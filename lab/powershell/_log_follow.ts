import { sleep } from "./_shell_io.ts";

/** Options of {@linkcode logFollow}. */
export interface LogFollowOptions {
  /** Lab path of the file. */
  path: string;
  /** Byte offset to start from. */
  offset: number;
  /** Text whose appearance ends the follow with exit 0. */
  marker: string;
  /** Give up (exit 124) after this long. */
  timeoutMs: number;
  /** Poll interval. @default 100 */
  pollMs?: number;
  /** Where new bytes go (`[Console]::Out.Write` of their UTF-8 text). */
  write: (bytes: Uint8Array) => Promise<void>;
}

/**
 * The `log_follow` kind: writes a file's bytes from `offset` as they arrive,
 * and returns 0 once a line holding `marker` has been read, or 124 at timeout.
 */
export async function logFollow(options: LogFollowOptions): Promise<number> {
  const { path, marker, timeoutMs, pollMs = 100, write } = options;
  const deadline = Date.now() + timeoutMs;
  const decoder = new TextDecoder();
  let pos = options.offset;
  let pending = "";
  while (true) {
    const chunk = await readFrom(path, pos);
    if (chunk.length > 0) {
      pos += chunk.length;
      await write(chunk);
      pending += decoder.decode(chunk, { stream: true });
      if (pending.includes(marker)) return 0;
      pending = pending.slice(pending.lastIndexOf("\n") + 1);
    }
    if (Date.now() >= deadline) return 124;
    await sleep(Math.min(pollMs, Math.max(0, deadline - Date.now())));
  }
}

async function readFrom(path: string, pos: number): Promise<Uint8Array> {
  let file: Deno.FsFile;
  try {
    file = await Deno.open(path, { read: true });
  } catch {
    return new Uint8Array();
  }
  try {
    const size = (await file.stat()).size;
    if (size <= pos) return new Uint8Array();
    await file.seek(pos, Deno.SeekMode.Start);
    const buf = new Uint8Array(size - pos);
    let n = 0;
    while (n < buf.length) {
      const read = await file.read(buf.subarray(n));
      if (read === null) break;
      n += read;
    }
    return buf.subarray(0, n);
  } finally {
    file.close();
  }
}
