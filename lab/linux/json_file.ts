import { dirname } from "node:path";
import { isAlive } from "./proc.ts";

/** Reads a JSON file, or returns `fallback` when it does not exist. */
export async function readJson<T>(path: string, fallback: T): Promise<T> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return fallback;
    throw error;
  }
  return JSON.parse(text) as T;
}

/** Writes a JSON file atomically (temp file, then rename). */
export async function writeJson(path: string, value: unknown): Promise<void> {
  await Deno.mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${Deno.pid}.tmp`;
  await Deno.writeTextFile(tmp, JSON.stringify(value, null, 2) + "\n");
  await Deno.rename(tmp, path);
}

/** Appends one compact JSON line to a file. */
export async function appendJsonLine(
  path: string,
  value: unknown,
): Promise<void> {
  await Deno.mkdir(dirname(path), { recursive: true });
  await Deno.writeTextFile(path, JSON.stringify(value) + "\n", {
    append: true,
  });
}

/**
 * Runs `fn` holding an exclusive lock file at `path` (holding the owner's
 * pid). A lock whose owner died is taken over.
 */
export async function withLock<T>(
  path: string,
  fn: () => Promise<T>,
  { timeoutMs = 30_000 }: { timeoutMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  await Deno.mkdir(dirname(path), { recursive: true });
  while (true) {
    try {
      await Deno.writeTextFile(path, String(Deno.pid), { createNew: true });
      break;
    } catch (error) {
      if (!(error instanceof Deno.errors.AlreadyExists)) throw error;
    }
    await takeOverIfStale(path);
    if (Date.now() > deadline) {
      throw new Error(
        `Cannot take lock "${path}": held for over ${timeoutMs}ms`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  try {
    return await fn();
  } finally {
    await Deno.remove(path).catch(() => {});
  }
}

async function takeOverIfStale(path: string): Promise<void> {
  try {
    const owner = Number((await Deno.readTextFile(path)).trim());
    const age = Date.now() - ((await Deno.stat(path)).mtime?.getTime() ?? 0);
    const stale = owner > 0 ? !isAlive(owner) : age > 5_000;
    if (stale) await Deno.remove(path);
  } catch {
    // Released meanwhile.
  }
}
