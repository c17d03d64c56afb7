import type { Parsed } from "../../lib/cli/mod.ts";
import type { Cx } from "../_io.ts";
import type { batchCancelFlags } from "./mod.ts";
import { connectJobs } from "./_jobs.ts";
import { contextOf } from "../_with_context.ts";

/**
 * `win-automation jobs batch cancel`: cancels the parent (it starts nothing
 * more; targets not started become `cancelled`), then the children not
 * ended (their remote work is stopped like `jobs cancel`'s).
 */
export default async function jobsBatchCancelCommand(
  { io, state, globals }: Cx,
  opts: Parsed<typeof batchCancelFlags>,
  _words: string[],
): Promise<void> {
  const ctx = await contextOf(io, state, globals)("jobs.batch.cancel");
  const { hatchet, ops } = await connectJobs(ctx);
  const { batchStatus, hatchetError } = await import(
    "../../lib/hatchet/mod.ts"
  );
  const { summaryLine } = await import("../../lib/fleet/mod.ts");
  const { delay } = await import("../../lib/retry/mod.ts");
  const endpoint = ctx.config.hatchet.grpcAddress;
  const timeoutMs = ctx.config.limits.cancelMs;
  // Checks that the id is a batch before cancelling anything.
  await batchStatus(hatchet, ops, opts.id, endpoint);
  const parent = await ops.cancel(opts.id, { timeoutMs });
  // Then the children not ended. Hatchet's list of them lags the engine, so
  // a child the parent started just before its cancel may show up a moment
  // later: a few rounds, until none is left running.
  let cancelled = 0;
  for (let round = 0; round < 5; round++) {
    const now = await batchStatus(hatchet, ops, opts.id, endpoint);
    const running = now.targets.filter((t) =>
      t.state === "pending" && t.job_id !== undefined
    ).map((t) => t.job_id!);
    if (running.length === 0 && now.ended) break;
    if (running.length > 0) {
      try {
        await hatchet.runs.cancel({ ids: running });
      } catch (error) {
        throw hatchetError(`cancel batch ${opts.id}`, endpoint, error);
      }
      await Promise.all(running.map((id) => ops.watch(id, { timeoutMs })));
      cancelled += running.length;
    } else await delay(1_000);
  }
  const after = await batchStatus(hatchet, ops, opts.id, endpoint);
  ctx.logger.scope("hatchet", "jobs.batch.cancel").info("batch cancel", {
    batch_id: opts.id,
    state: parent.state,
    cancelled,
  });
  if (opts.json) {
    io.stdout(
      JSON.stringify({
        batch_id: opts.id,
        state: parent.state,
        summary: after.summary,
      }),
    );
  } else {
    ctx.out.emit({ batch_id: opts.id, state: parent.state });
    io.stdout(summaryLine(after.summary, { batch: true }));
  }
  if (parent.state !== "cancelled" && parent.state !== "completed") {
    state.exitCode = 1;
  }
}
