/**
 * A command's implementation module, named by URL and imported only when the
 * command runs.
 *
 * The specifier is computed at run time on purpose. `deno run` walks every
 * dynamic import written with a literal specifier, and everything it reaches,
 * before the entry module starts: one `import("./worker.ts")` that never runs
 * added 8-12 ms to a hello world on this machine (docs/PERFORMANCE.md). A
 * computed specifier is walked only when it is imported. `deno compile` cannot
 * see it either, so `deno task compile` passes every {@linkcode Loader.url} of
 * the tree with `--include` (scripts/compile.ts), and tests/compile_test.ts
 * checks that the binary's graph holds every module of the CLI.
 * @module
 */

/** Imports a command's module; {@linkcode Loader.url} names it. */
export interface Loader<M> {
  (): Promise<M>;
  /** The module's absolute URL. */
  readonly url: string;
}

/**
 * The loader of the module at `path`, relative to `base` (the caller's
 * `import.meta.url`). `M` is the module's type, written as
 * `typeof import("./x.ts")`, which is a type only and loads nothing.
 */
export function lazy<M>(base: string, path: string): Loader<M> {
  const url = new URL(path, base).href;
  return Object.assign(() => import(url) as Promise<M>, { url });
}
