import { dirname } from "../fs/mod.ts";

/** What {@linkcode stageTree} copied and what it left out. */
export interface StagedTree {
  /** The staging directory: remove it when done. */
  dir: string;
  /** The top-level entries of `dir`, absolute, sorted. */
  entries: string[];
  /** Relative paths left out because they are symlinks (never followed). */
  skipped: string[];
}

/** Options for {@linkcode stageTree}. */
export interface StageOptions {
  /** Top-level names left out (e.g. the `.running` marker). @default [] */
  exclude?: readonly string[];
}

async function linkOrCopy(from: string, to: string): Promise<void> {
  try {
    await Deno.link(from, to);
  } catch {
    await Deno.copyFile(from, to);
  }
}

/**
 * A copy of `root` that holds only real directories and regular files, for a
 * tool that would follow symlinks (scp -r does, inside subfolders too): each
 * entry is checked with lstat, regular files are hard-linked (copied when a
 * link is impossible), and symlinks, FIFOs, sockets and devices are left
 * out, symlinks recorded in `skipped`. The staging directory is created next
 * to `root` under an unpredictable name, mode 0700.
 */
export async function stageTree(
  root: string,
  options: StageOptions = {},
): Promise<StagedTree> {
  const { exclude = [] } = options;
  const dir = await Deno.makeTempDir({
    dir: dirname(root),
    prefix: ".mirror-",
  });
  const skipped: string[] = [];
  const walk = async (from: string, to: string, rel: string) => {
    const names: string[] = [];
    for await (const e of Deno.readDir(from)) names.push(e.name);
    names.sort();
    for (const name of names) {
      if (rel === "" && exclude.includes(name)) continue;
      const path = `${from}/${name}`;
      const relPath = rel ? `${rel}/${name}` : name;
      const info = await Deno.lstat(path).catch(() => null);
      if (!info) continue;
      if (info.isSymlink) skipped.push(relPath);
      else if (info.isDirectory) {
        await Deno.mkdir(`${to}/${name}`, { mode: 0o700 });
        await walk(path, `${to}/${name}`, relPath);
      } else if (info.isFile) await linkOrCopy(path, `${to}/${name}`);
    }
  };
  try {
    await walk(root, dir, "");
  } catch (error) {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
    throw error;
  }
  const entries: string[] = [];
  for await (const e of Deno.readDir(dir)) entries.push(`${dir}/${e.name}`);
  return { dir, entries: entries.sort(), skipped };
}
