import type { Parsed } from "../../lib/cli/mod.ts";
import type { Cx } from "../_io.ts";
import { cordonCommand } from "./_cordon.ts";

/** `win-automation targets uncordon NAME`: the target's workers take its jobs again. */
export default async function targetsUncordonCommand(
  cx: Cx,
  _opts: Parsed<Record<never, never>>,
  words: string[],
): Promise<void> {
  await cordonCommand(cx, words, false);
}
