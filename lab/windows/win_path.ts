import { posix } from "node:path";
import { Unsupported } from "./errors.ts";

const ABSOLUTE = /^([A-Za-z]):[\\/](.*)$/s;

/**
 * Maps an absolute Windows path (`C:\a\b` or `C:/a/b`, any drive letter) to
 * its place in the lab file system, `<lab>/fs/<DRIVE>:/a/b`. `..` cannot climb
 * above the drive's root.
 */
export function mapWindowsPath(labDir: string, path: string): string {
  const match = ABSOLUTE.exec(path);
  if (!match) throw new Unsupported(`path is not absolute: ${path}`);
  const drive = match[1]!.toUpperCase();
  const rest = posix.normalize("/" + match[2]!.replaceAll("\\", "/"));
  const trimmed = rest === "/" ? "" : rest.replace(/\/$/, "");
  return `${labDir}/fs/${drive}:${trimmed}`;
}
