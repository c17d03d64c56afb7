import { writeFileAtomic } from "../fs/mod.ts";

/**
 * Replaces the metrics file with `lines` atomically: a temp file under an
 * unpredictable name, created O_EXCL beside it (a planted `<path>.tmp`
 * symlink is never followed), then renamed over `path`; mode 0644.
 */
export async function writeMetricsFile(
  path: string,
  lines: string[],
): Promise<void> {
  await writeFileAtomic(path, lines.join("\n") + "\n", { mode: 0o644 });
}
