/**
 * A command's implementation module, named by its path from the repository
 * root and imported only when the command runs.
 *
 * The specifier is computed at run time on purpose. `deno run` walks every
 * dynamic import written with a literal specifier, and everything it reaches,
 * before the entry module starts: one `import("./worker.ts")` that never runs
 * added 8-12 ms to a hello world on this machine (docs/PERFORMANCE.md). A
 * computed specifier is walked only when it is imported.
 *
 * The same path works from the sources and from the bundle that
 * `deno task compile` builds (scripts/bundle.ts): there every command module
 * is an entry point, `commands/windows/exec.ts` becomes
 * `commands/windows/exec.js` next to `main.js`, and this module's code sits in
 * a chunk in that same folder. `deno task compile` passes every entry with
 * `--include`, and tests/compile_test.ts checks the tree and the bundle agree.
 * @module
 */

/** Imports a command's module; {@linkcode Loader.path} names it. */
export interface Loader<M> {
  (): Promise<M>;
  /** The module's path from the repository root, e.g. `commands/version.ts`. */
  readonly path: string;
}

/** Where this code runs from: the sources (lib/cli/lazy.ts) or a bundle. */
const FROM_SOURCES = import.meta.url.endsWith("/lib/cli/lazy.ts");

/** The URL the module at `path` is imported from, in sources or bundle. */
export function moduleUrl(path: string): string {
  return FROM_SOURCES
    ? new URL(`../../${path}`, import.meta.url).href
    : new URL(path.replace(/\.ts$/, ".js"), import.meta.url).href;
}

/**
 * The loader of the module at `path` (from the repository root). `M` is the
 * module's type, written as `typeof import("./x.ts")`: a type only, which
 * loads nothing; tests/compile_test.ts checks each path names a module with a
 * default export.
 */
export function lazy<M>(path: string): Loader<M> {
  return Object.assign(() => import(moduleUrl(path)) as Promise<M>, { path });
}
