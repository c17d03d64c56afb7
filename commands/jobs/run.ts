import type { Parsed } from "../../lib/cli/mod.ts";
import type { Cx } from "../_io.ts";
import type { runFlags } from "./mod.ts";
import { doEnqueue, printStatus } from "./_jobs.ts";

/** `win-automation jobs run` (deprecated): enqueue, then watch. */
export default async function jobsRunCommand(
  { io, state, globals }: Cx,
  opts: Parsed<typeof runFlags>,
  _words: string[],
): Promise<void> {
  io.stderr(
    "deprecated: 'jobs run' enqueues then watches; use 'jobs enqueue' and 'jobs status --watch'",
  );
  state.op = "jobs.run";
  const { result, ctx, ops } = await doEnqueue({ io, state, globals }, opts);
  ctx.logger.scope("hatchet", "jobs.run").info("watching job", {
    job_id: result.job_id,
  });
  const status = await ops.watch(result.job_id, {
    timeoutMs: ctx.config.limits.jobMs,
  });
  printStatus(ctx, status, opts.json);
  if (status.state !== "completed") state.exitCode = 1;
}
