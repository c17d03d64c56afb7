import { dirname, resolve } from "./path.ts";
import { ConfigError, quote } from "../errors/mod.ts";

/** Options for {@linkcode ensurePrivateDir}. */
export interface PrivateDirOptions {
  /** The setting the directory comes from, named in errors (e.g. `state_dir`). */
  field: string;
  /** The current user's uid. @default Deno.uid() */
  uid?: number | null;
}

function kindOf(info: Deno.FileInfo): string {
  if (info.isFile) return "a regular file";
  if (info.isFifo) return "a FIFO";
  if (info.isSocket) return "a socket";
  if (info.isCharDevice) return "a character device";
  if (info.isBlockDevice) return "a block device";
  return "not a directory";
}

function octal(mode: number): string {
  return (mode & 0o7777).toString(8).padStart(4, "0");
}

/**
 * Why an existing directory cannot be trusted with private state, or
 * undefined when it can: it must be a directory owned by `uid`, with no
 * write bit for group or others and rwx for its owner.
 */
export function distrust(
  info: Deno.FileInfo,
  uid: number | null,
): string | undefined {
  if (!info.isDirectory) return `is ${kindOf(info)}, not a directory`;
  const mode = info.mode ?? 0o700;
  if (uid !== null && info.uid !== null && info.uid !== uid) {
    return `is owned by uid ${info.uid}, not by this user (uid ${uid}); leaving it untouched`;
  }
  if (mode & 0o022) {
    return `is writable by group or others (mode ${
      octal(mode)
    }); leaving it untouched, fix it with: chmod 700 <dir>`;
  }
  if ((mode & 0o700) !== 0o700) {
    return `is not readable, writable and searchable by its owner (mode ${
      octal(mode)
    })`;
  }
  return undefined;
}

function fsWhy(error: unknown): string {
  if (error instanceof Deno.errors.PermissionDenied) {
    return "cannot be created: permission denied";
  }
  if (error instanceof Deno.errors.NotADirectory) {
    return "cannot be created: a parent is not a directory";
  }
  if (error instanceof Deno.errors.AlreadyExists) {
    return "cannot be created: a parent is not a directory";
  }
  const name = (error as Error)?.name ?? "Error";
  if (name === "NotCapable") return "cannot be created: permission denied";
  return `cannot be created: ${name}`;
}

/**
 * Makes sure `path` is a directory only this user can write: an existing one
 * is checked (owner, no group/other write bit) and never changed; missing
 * ones, and every missing parent, are created with mode 0700. Anything else
 * is a {@linkcode ConfigError} naming the field and the directory.
 */
export async function ensurePrivateDir(
  path: string,
  options: PrivateDirOptions,
): Promise<void> {
  const { field } = options;
  const uid = options.uid === undefined ? Deno.uid() : options.uid;
  const abs = resolve(path);
  const fail = (at: string, why: string) =>
    new ConfigError(field, `${quote(at)} ${why}`);
  const missing: string[] = [];
  let at = abs;
  for (;;) {
    const info = await Deno.stat(at).catch((error) => {
      if (error instanceof Deno.errors.NotFound) return null;
      if (error instanceof Deno.errors.NotADirectory) {
        throw fail(at, "cannot be created: a parent is not a directory");
      }
      throw fail(at, fsWhy(error));
    });
    if (info) {
      if (at === abs) {
        const why = distrust(info, uid);
        if (why) throw fail(at, why);
        return;
      }
      if (!info.isDirectory) {
        throw fail(abs, `cannot be created: ${quote(at)} is ${kindOf(info)}`);
      }
      break;
    }
    missing.unshift(at);
    const up = dirname(at);
    if (up === at) break;
    at = up;
  }
  for (const dir of missing) {
    try {
      await Deno.mkdir(dir, { mode: 0o700 });
      await Deno.chmod(dir, 0o700);
    } catch (error) {
      if (error instanceof Deno.errors.AlreadyExists) {
        const info = await Deno.lstat(dir);
        const why = distrust(info, uid);
        if (why) throw fail(dir, why);
        continue;
      }
      throw fail(dir, fsWhy(error));
    }
  }
}
