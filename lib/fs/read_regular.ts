import { quote } from "../errors/mod.ts";

/** One mebibyte. */
export const MIB = 1024 * 1024;

/** Options for {@linkcode readRegularFile}. */
export interface ReadRegularOptions {
  /** Largest size accepted. @default 1 MiB */
  maxBytes?: number;
}

/** Why a file was refused; `reason` reads after the path. */
export class FileRefused extends Error {
  override readonly name = "FileRefused";
  constructor(readonly reason: string, options?: ErrorOptions) {
    super(reason, options);
  }
}

function kindOf(info: Deno.FileInfo): string {
  if (info.isDirectory) return "is a directory";
  if (info.isFifo) return "is a FIFO, not a regular file";
  if (info.isCharDevice) return "is a character device, not a regular file";
  if (info.isBlockDevice) return "is a block device, not a regular file";
  if (info.isSocket) return "is a socket, not a regular file";
  return "is not a regular file";
}

function sizeWhy(size: number, max: number): string {
  return `is larger than ${max} bytes (${size} bytes)`;
}

/**
 * Reads a whole regular file of at most `maxBytes`. The path is stat'ed
 * before it is opened, so a FIFO never blocks and a device never streams;
 * the opened file is stat'ed again and read no further than the limit.
 * Throws {@linkcode FileRefused} with a reason (`does not exist`, `is a
 * FIFO...`, `is larger than...`).
 */
export async function readRegularFile(
  path: string,
  options: ReadRegularOptions = {},
): Promise<Uint8Array> {
  const { maxBytes = MIB } = options;
  let info: Deno.FileInfo;
  try {
    info = await Deno.stat(path);
  } catch (error) {
    throw new FileRefused(refusal(error), { cause: error });
  }
  if (!info.isFile) throw new FileRefused(kindOf(info));
  if (info.size > maxBytes) throw new FileRefused(sizeWhy(info.size, maxBytes));
  let file: Deno.FsFile;
  try {
    file = await Deno.open(path, { read: true });
  } catch (error) {
    throw new FileRefused(refusal(error), { cause: error });
  }
  try {
    const opened = await file.stat();
    if (!opened.isFile || opened.ino !== info.ino || opened.dev !== info.dev) {
      throw new FileRefused("changed while it was opened");
    }
    const buf = new Uint8Array(maxBytes + 1);
    let got = 0;
    while (got < buf.length) {
      const n = await file.read(buf.subarray(got));
      if (n === null) break;
      got += n;
    }
    if (got > maxBytes) throw new FileRefused(sizeWhy(got, maxBytes));
    return buf.slice(0, got);
  } finally {
    file.close();
  }
}

function refusal(error: unknown): string {
  if (error instanceof Deno.errors.NotFound) return "does not exist";
  if (
    error instanceof Deno.errors.PermissionDenied ||
    (error as Error)?.name === "NotCapable"
  ) return "cannot be read: permission denied";
  if (error instanceof Deno.errors.IsADirectory) return "is a directory";
  if (error instanceof Deno.errors.NotADirectory) {
    return "does not exist (a parent is not a directory)";
  }
  return `cannot be read: ${quote((error as Error)?.name ?? String(error))}`;
}
