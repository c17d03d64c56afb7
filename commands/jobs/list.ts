import type { Parsed } from "../../lib/cli/mod.ts";
import type { Cx } from "../_io.ts";
import type { listFlags } from "./mod.ts";
import { connectJobs } from "./_jobs.ts";
import { contextOf } from "../_with_context.ts";

/** How far back `jobs list` looks by default: 24 h (the SDK's is 1 h). */
const SINCE_MS = 24 * 3_600_000;

/** How many rows `jobs list` prints by default. */
const LIMIT = 100;

/**
 * `win-automation jobs list`: the jobs matching every filter given, newest
 * first, one `key=value` line each (or a JSON array).
 */
export default async function jobsListCommand(
  { io, state, globals }: Cx,
  opts: Parsed<typeof listFlags>,
  _words: string[],
): Promise<void> {
  const ctx = await contextOf(io, state, globals)("jobs.list");
  // --target is not checked against the config: a job for a target no
  // longer configured can still be listed (the filter is on its metadata).
  const { hatchet } = await connectJobs(ctx);
  const { listJobs } = await import("../../lib/hatchet/mod.ts");
  const rows = await listJobs(hatchet, {
    target: opts.targetFilter,
    batch_id: opts.batch,
    type: opts.type,
    states: opts.state === undefined ? undefined : [opts.state],
    since: new Date(Date.now() - (opts.since ?? SINCE_MS)),
    limit: opts.limit ?? LIMIT,
  }, ctx.config.hatchet.grpcAddress);
  const view = rows.map((r) => ({
    job_id: r.job_id,
    type: r.type,
    target: r.target,
    batch_id: r.batch_id,
    state: r.state,
    created: r.created,
    finished: r.finished,
    exit_code: r.exit_code,
  }));
  ctx.logger.scope("hatchet", "jobs.list").info("jobs listed", {
    count: view.length,
  });
  if (opts.json) {
    io.stdout(JSON.stringify(view));
    return;
  }
  for (const r of view) {
    ctx.out.emit({
      ...r,
      batch_id: r.batch_id || undefined,
      finished: r.finished ?? undefined,
      exit_code: r.exit_code ?? undefined,
    });
  }
}
