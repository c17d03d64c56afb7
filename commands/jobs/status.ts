import type { Parsed } from "../../lib/cli/mod.ts";
import type { Cx } from "../_io.ts";
import type { statusFlags } from "./mod.ts";
import { openForJob, printStatus } from "./_jobs.ts";

/** `win-automation jobs status`: a job's state, once or until it ends. */
export default async function jobsStatusCommand(
  { io, state, globals }: Cx,
  opts: Parsed<typeof statusFlags>,
  _words: string[],
): Promise<void> {
  const { id, ctx, ops } = await openForJob({ io, state, globals }, {
    op: "jobs.status",
    id: opts.id,
  });
  const status = opts.watch
    ? await ops.watch(id, {
      timeoutMs: opts.timeout ?? ctx.config.limits.jobMs,
      onChange: (s) =>
        ctx.logger.scope("hatchet", "jobs.status").info("job state", {
          job_id: id,
          state: s.state,
        }),
    })
    : await ops.status(id);
  printStatus(ctx, status, opts.json);
  // Undeliverable is final and a failure to run, watched or not.
  if (status.state === "not_found" || status.state === "undeliverable") {
    state.exitCode = 1;
  } else if (opts.watch && status.state !== "completed") state.exitCode = 1;
}
