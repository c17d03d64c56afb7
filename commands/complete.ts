import type { Parsed } from "../lib/cli/mod.ts";
import { completeWords } from "../lib/cli/mod.ts";
import type { Cx } from "./_io.ts";
import { ROOT } from "./mod.ts";

/**
 * `win-automation __complete -- <words...>` (hidden): one candidate a line
 * for the last word, asked by the completion scripts.
 */
export default function completeCommand(
  { io }: Cx,
  _opts: Parsed<Record<never, never>>,
  words: string[],
): void {
  for (const candidate of completeWords(ROOT, words)) io.stdout(candidate);
}
