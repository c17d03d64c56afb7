import { ConfigError, quote, UsageError } from "../errors/mod.ts";

/** Options for {@linkcode ensureWritableDir}. */
export interface WritableDirOptions {
  /** A flag, not a setting: a UsageError (`usage error: ...`). @default false */
  usage?: boolean;
}

/**
 * Creates `path` (and its parents) when missing and checks it is a directory
 * this process can create files in. A file in the way, a read-only or
 * foreign directory are {@linkcode ConfigError}s naming `field` (exit 2;
 * a {@linkcode UsageError} with `usage`):
 * they are the operator's environment, not an operational failure.
 */
export async function ensureWritableDir(
  path: string,
  field: string,
  options: WritableDirOptions = {},
): Promise<void> {
  const fail = (why: string) =>
    options.usage
      ? new UsageError(`usage error: ${field} ${quote(path)} ${why}`)
      : new ConfigError(field, `${quote(path)} ${why}`);
  const info = await Deno.stat(path).catch(() => null);
  if (info && !info.isDirectory) throw fail("is not a directory");
  if (!info) {
    try {
      await Deno.mkdir(path, { recursive: true });
    } catch (error) {
      throw fail(createWhy(error));
    }
  }
  let probe: string | undefined;
  try {
    probe = await Deno.makeTempFile({ dir: path, prefix: ".wa-probe-" });
  } catch (error) {
    throw fail(
      createWhy(error).replace("cannot be created", "is not writable"),
    );
  } finally {
    if (probe) await Deno.remove(probe).catch(() => {});
  }
}

/** A creation failure as the end of a message. */
export function createWhy(error: unknown): string {
  if (
    error instanceof Deno.errors.PermissionDenied ||
    (error as Error)?.name === "NotCapable"
  ) return "cannot be created: permission denied";
  if (
    error instanceof Deno.errors.NotADirectory ||
    error instanceof Deno.errors.AlreadyExists
  ) return "cannot be created: a parent is not a directory";
  if (error instanceof Deno.errors.NotFound) {
    return "cannot be created: a parent does not exist";
  }
  return `cannot be created: ${(error as Error)?.name ?? "error"}`;
}

/** Whether an error is the file system refusing: environment, not a bug. */
export function isEnvironmentError(error: unknown): boolean {
  return error instanceof Deno.errors.PermissionDenied ||
    error instanceof Deno.errors.NotADirectory ||
    error instanceof Deno.errors.AlreadyExists ||
    error instanceof Deno.errors.IsADirectory ||
    (error as Error)?.name === "NotCapable" ||
    /read-only file system|EROFS/i.test(String((error as Error)?.message));
}
