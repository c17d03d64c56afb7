import type { Parsed } from "../../lib/cli/mod.ts";
import type { Cx } from "../_io.ts";
import type { cancelFlags } from "./mod.ts";
import { openForJob } from "./_jobs.ts";

/** `win-automation jobs cancel`: cancel a job and its remote work. */
export default async function jobsCancelCommand(
  { io, state, globals }: Cx,
  opts: Parsed<typeof cancelFlags>,
  _words: string[],
): Promise<void> {
  const { id, ctx, ops } = await openForJob({ io, state, globals }, {
    op: "jobs.cancel",
    id: opts.id,
  });
  const status = await ops.cancel(id, {
    timeoutMs: ctx.config.limits.cancelMs,
  });
  const out = {
    job_id: id,
    state: status.state,
    error: status.state === "cancelled" ? null : status.error,
  };
  if (opts.json) io.stdout(JSON.stringify(out));
  else ctx.out.emit({ job_id: id, state: status.state });
  ctx.logger.scope("hatchet", "jobs.cancel").info("job cancel", {
    job_id: id,
    state: status.state,
  });
  if (status.state !== "cancelled") state.exitCode = 1;
}
