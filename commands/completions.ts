import type { Parsed } from "../lib/cli/mod.ts";
import { completionScript, type SHELLS } from "../lib/cli/mod.ts";
import type { Cx } from "./_io.ts";
import { PROGRAM } from "./mod.ts";

/** `win-automation completions bash|zsh|fish`: the completion script. */
export default function completionsCommand(
  { io }: Cx,
  _opts: Parsed<Record<never, never>>,
  words: string[],
): void {
  io.stdoutRaw(completionScript(PROGRAM, words[0] as typeof SHELLS[number]));
}
