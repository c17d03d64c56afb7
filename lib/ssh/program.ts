import { dirname } from "../fs/mod.ts";
import { DependencyError } from "../errors/mod.ts";

/** The file-system calls {@linkcode resolveProgram} makes. */
export interface ProgramFs {
  /** @default Deno.stat */
  stat: (path: string) => Promise<Deno.FileInfo>;
  /** @default Deno.realPath */
  realPath: (path: string) => Promise<string>;
}

/** Options for {@linkcode resolveProgram}. */
export interface ResolveProgramOptions {
  /** `PATH`: the directories searched, in order. @default "/usr/bin:/bin" */
  searchPath?: string;
  /** The file system. @default the real one */
  fs?: ProgramFs;
}

const realFs: ProgramFs = {
  stat: (p) => Deno.stat(p),
  realPath: (p) => Deno.realPath(p),
};

/** Why a file (or directory) owned as `info` says must not be run, if so. */
function untrusted(info: Deno.FileInfo): string | undefined {
  if (info.uid !== null && info.uid !== 0) {
    return `owned by uid ${info.uid}, not root`;
  }
  if ((info.mode ?? 0) & 0o022) return "writable by group or others";
  return undefined;
}

/**
 * Finds `name` (e.g. `ssh`) on the search path once and returns the path to
 * run, absolute: only absolute PATH entries count, and the file it resolves
 * to (symlinks followed) must be a root-owned regular executable that
 * neither group nor others may write, in a root-owned directory likewise.
 * Anything else is a DependencyError (exit 3) saying which file and why.
 */
export async function resolveProgram(
  name: string,
  options: ResolveProgramOptions = {},
): Promise<string> {
  const { searchPath = "/usr/bin:/bin", fs = realFs } = options;
  const refused: string[] = [];
  for (const dir of searchPath.split(":")) {
    if (!dir.startsWith("/")) continue;
    const candidate = `${dir.replace(/\/+$/, "")}/${name}`;
    const info = await fs.stat(candidate).catch(() => null);
    if (!info || !info.isFile || ((info.mode ?? 0) & 0o111) === 0) continue;
    const real = await fs.realPath(candidate).catch(() => candidate);
    const why = untrusted(info) ??
      await fs.stat(dirname(real)).then(
        (d) => untrusted(d) && `its directory is ${untrusted(d)}`,
        () => "its directory cannot be checked",
      );
    if (why) {
      refused.push(`"${candidate}" is ${why}`);
      continue;
    }
    return candidate;
  }
  throw new DependencyError(
    `Cannot run ${name}: ${
      refused.length
        ? `no trusted ${name} on PATH (${refused.join("; ")})`
        : `not found on PATH (install OpenSSH's client)`
    }`,
    { fields: { state: "missing" } },
  );
}
