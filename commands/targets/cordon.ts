import type { Parsed } from "../../lib/cli/mod.ts";
import type { Cx } from "../_io.ts";
import { cordonCommand } from "./_cordon.ts";

/**
 * `win-automation targets cordon NAME`: the target's workers take none of
 * its new jobs (they wait queued, up to `hatchet.schedule_timeout`); running
 * jobs go on. Returns once the engine's scheduler has seen it.
 */
export default async function targetsCordonCommand(
  cx: Cx,
  _opts: Parsed<Record<never, never>>,
  words: string[],
): Promise<void> {
  await cordonCommand(cx, words, true);
}
