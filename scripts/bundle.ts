/**
 * `deno task bundle [<dir>]`: the CLI as the binary ships it. `deno bundle`
 * (esbuild, built into Deno) turns main.ts and every command module of the
 * tree into entry points of one bundle, shared code in chunks, so a command
 * loads a handful of files instead of ~100 modules (docs/PERFORMANCE.md).
 * `deno task compile` builds the binary from this bundle.
 *
 * The Hatchet SDK and playwright-core stay outside (`--external`): they are
 * CommonJS packages that read their own files at run time, resolved through
 * deno.json's import map as from the sources. A command module keeps its
 * path with `.js` (`commands/windows/exec.ts` → `commands/windows/exec.js`),
 * which is how lib/cli/lazy.ts finds it.
 * @module
 */
// deno-lint-ignore-file no-console
import { commandModules } from "./compile.ts";

/** The npm packages left out of the bundle. */
export const EXTERNAL = ["playwright-core", "@hatchet-dev/typescript-sdk"];

/** Where the bundle goes by default, from the repository root. */
export const BUNDLE_DIR = "dist/bundle";

/** The `deno bundle` arguments that write the bundle into `outDir`. */
export function bundleArgs(outDir: string = BUNDLE_DIR): string[] {
  return [
    "bundle",
    "--quiet",
    "--platform",
    "deno",
    "--code-splitting",
    ...EXTERNAL.flatMap((name) => ["--external", name]),
    "--outdir",
    outDir,
    "main.ts",
    ...commandModules(),
  ];
}

/** The bundle's file for a module of the sources (`.ts` → `.js`). */
export function bundled(path: string, outDir: string = BUNDLE_DIR): string {
  return `${outDir}/${path.replace(/\.ts$/, ".js")}`;
}

/**
 * Writes the bundle into `outDir` (from the repository root), replacing what
 * was there. Throws with deno bundle's own message when it fails.
 */
export async function bundle(outDir: string = BUNDLE_DIR): Promise<void> {
  const root = new URL("..", import.meta.url).pathname;
  await Deno.remove(`${root}${outDir}`, { recursive: true }).catch(() => {});
  const out = await new Deno.Command(Deno.execPath(), {
    args: bundleArgs(outDir),
    cwd: root,
    stdout: "null",
    stderr: "piped",
  }).output();
  if (!out.success) {
    throw new Error(
      `deno bundle failed: ${new TextDecoder().decode(out.stderr).trim()}`,
    );
  }
}

if (import.meta.main) {
  const outDir = Deno.args[0] ?? BUNDLE_DIR;
  await bundle(outDir);
  console.error(`bundled into ${outDir}`);
}
