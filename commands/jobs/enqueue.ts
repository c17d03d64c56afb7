import type { Parsed } from "../../lib/cli/mod.ts";
import type { Cx } from "../_io.ts";
import type { enqueueFlags } from "./mod.ts";
import { doEnqueue, printEnqueue } from "./_jobs.ts";

/** `win-automation jobs enqueue`: queue a job and print its id. */
export default async function jobsEnqueueCommand(
  { io, state, globals }: Cx,
  opts: Parsed<typeof enqueueFlags>,
  _words: string[],
): Promise<void> {
  const { result, ctx } = await doEnqueue({ io, state, globals }, opts);
  printEnqueue(ctx, result, opts.json);
}
