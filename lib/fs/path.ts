/**
 * POSIX path arithmetic for the Linux side: `dirname`, `basename`, `resolve`
 * and `relative` with the results of Node's `path.posix` (path_test.ts checks
 * them against it). Own code because importing `node:path` initialises the
 * Node compatibility layer, about 5 ms of every command's start-up
 * (docs/PERFORMANCE.md).
 * @module
 */

/** `path` without `.` segments, `..` folded, no repeated or trailing `/`. */
function normalizeAbsolute(path: string): string {
  const out: string[] = [];
  for (const part of path.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") out.pop();
    else out.push(part);
  }
  return "/" + out.join("/");
}

/**
 * The folder part of `path`: everything before the last slash that follows a
 * name, trailing slashes ignored (`/a/b` → `/a`, `a//b` → `a/`, `b` → `.`,
 * `/` → `/`), as `path.posix.dirname` gives it.
 */
export function dirname(path: string): string {
  if (path === "") return ".";
  let i = path.length - 1;
  while (i > 0 && path[i] === "/") i--; // trailing slashes
  while (i > 0 && path[i] !== "/") i--; // the last name
  if (i === 0) return path[0] === "/" ? "/" : ".";
  // `//name` keeps both slashes; deeper paths end before the last slash.
  return i === 1 && path[0] === "/" ? "//" : path.slice(0, i);
}

/** The last segment of `path`, trailing slashes ignored. */
export function basename(path: string): string {
  const trimmed = path.replace(/\/+$/, "");
  return trimmed.slice(trimmed.lastIndexOf("/") + 1);
}

/**
 * The absolute, normalised path of `paths` applied right to left from the
 * working directory, as `path.posix.resolve` does.
 */
export function resolve(...paths: string[]): string {
  let joined = "";
  for (let i = paths.length - 1; i >= 0; i--) {
    const p = paths[i]!;
    if (p === "") continue;
    joined = joined === "" ? p : `${p}/${joined}`;
    if (p.startsWith("/")) return normalizeAbsolute(joined);
  }
  return normalizeAbsolute(`${Deno.cwd()}/${joined}`);
}

/** The path from `from` to `to`, both resolved first (`""` when equal). */
export function relative(from: string, to: string): string {
  const a = resolve(from).split("/").filter(Boolean);
  const b = resolve(to).split("/").filter(Boolean);
  let common = 0;
  while (common < a.length && common < b.length && a[common] === b[common]) {
    common++;
  }
  return [
    ...Array(a.length - common).fill(".."),
    ...b.slice(common),
  ].join("/");
}
