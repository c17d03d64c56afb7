import type { Parsed } from "../../lib/cli/mod.ts";
import type { Cx } from "../_io.ts";
import type { batchStatusFlags } from "./mod.ts";
import { connectJobs } from "./_jobs.ts";
import { contextOf } from "../_with_context.ts";

/** How often `--watch` reads the batch. */
const WATCH_MS = 2_000;

/**
 * `win-automation jobs batch status`: one line per target and the summary;
 * the exit code is the fleet's (0 all completed, 1 any failure, skip or
 * cancel, 3 only unreachable, 4 only timeouts).
 */
export default async function jobsBatchStatusCommand(
  { io, state, globals }: Cx,
  opts: Parsed<typeof batchStatusFlags>,
  _words: string[],
): Promise<void> {
  const ctx = await contextOf(io, state, globals)("jobs.batch.status");
  const { hatchet, ops } = await connectJobs(ctx);
  const { batchStatus } = await import("../../lib/hatchet/mod.ts");
  const { fleetExitCode, outcomeFields, summaryLine } = await import(
    "../../lib/fleet/mod.ts"
  );
  const { TimeoutError } = await import("../../lib/errors/mod.ts");
  const { delay } = await import("../../lib/retry/mod.ts");
  const endpoint = ctx.config.hatchet.grpcAddress;
  const timeoutMs = opts.timeout ?? ctx.config.limits.jobMs;
  const deadline = Date.now() + timeoutMs;
  const log = ctx.logger.scope("hatchet", "jobs.batch.status");
  let status = await batchStatus(hatchet, ops, opts.id, endpoint);
  while (opts.watch && !status.ended) {
    if (Date.now() + WATCH_MS > deadline) {
      throw new TimeoutError(
        `Cannot watch batch ${opts.id} to its end: ${status.summary.pending} target(s) still pending after ${timeoutMs}ms`,
        { fields: { batch_id: opts.id, pending: status.summary.pending } },
      );
    }
    await delay(WATCH_MS);
    status = await batchStatus(hatchet, ops, opts.id, endpoint);
  }
  log.info("batch status", {
    batch_id: status.batch_id,
    state: status.state,
    pending: status.summary.pending,
  });
  if (opts.json) {
    io.stdout(JSON.stringify({
      batch_id: status.batch_id,
      state: status.state,
      type: status.type,
      targets: status.targets,
      summary: status.summary,
    }));
  } else {
    for (const t of status.targets) {
      ctx.out.emit(outcomeFields(t, { job_id: t.job_id }));
    }
    io.stdout(summaryLine(status.summary, { batch: true }));
  }
  state.exitCode = fleetExitCode(status.summary);
}
