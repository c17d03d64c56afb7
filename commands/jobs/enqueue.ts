import type { Parsed } from "../../lib/cli/mod.ts";
import type { Cx } from "../_io.ts";
import type { enqueueFlags } from "./mod.ts";
import { doEnqueue, openJobs, prepareEnqueue, printEnqueue } from "./_jobs.ts";

/**
 * `win-automation jobs enqueue`: queue a job and print its id; with
 * `--targets`, queue a batch (one parent run that starts one job per
 * target, paced by the engine) and print its `batch_id`.
 */
export default async function jobsEnqueueCommand(
  cx: Cx,
  opts: Parsed<typeof enqueueFlags>,
  _words: string[],
): Promise<void> {
  const { UsageError } = await import("../../lib/errors/mod.ts");
  const batchOnly = {
    "--max-concurrency": opts.maxConcurrency,
    "--max-errors": opts.maxErrors,
    "--ignore-unreachable": opts.ignoreUnreachable,
  };
  if (opts.targets === undefined) {
    for (const [flag, value] of Object.entries(batchOnly)) {
      if (value !== undefined) {
        throw new UsageError(`usage error: ${flag} needs --targets`);
      }
    }
    const { result, ctx } = await doEnqueue(cx, opts);
    printEnqueue(ctx, result, opts.json);
    return;
  }
  if (opts.target !== undefined) {
    throw new UsageError("usage error: give --target or --targets, not both");
  }
  const { ctx, traceId, inputFor, type } = await prepareEnqueue(
    cx,
    opts,
    "jobs.enqueue",
  );
  const { selectTargets } = await import("../../lib/config/mod.ts");
  const { limitCount } = await import("../../lib/fleet/mod.ts");
  const names = selectTargets(ctx.config, opts.targets);
  const n = names.length;
  const maxConcurrency = limitCount(
    opts.maxConcurrency ?? { kind: "count", value: 50 },
    n,
    "concurrency",
  );
  const maxErrors = limitCount(
    opts.maxErrors ?? { kind: "count", value: 0 },
    n,
    "errors",
  );
  const ops = await openJobs(ctx);
  const { batch_id, deduplicated } = await ops.enqueueBatch({
    trace_id: traceId,
    idempotency_key: opts.idempotencyKey ?? `batch-${crypto.randomUUID()}`,
    type,
    children: names.map((target) => ({ target, input: inputFor(target) })),
    max_concurrency: maxConcurrency,
    max_errors: maxErrors,
    ignore_unreachable: opts.ignoreUnreachable === true,
  });
  ctx.logger.scope("hatchet", "jobs.enqueue").info(
    deduplicated
      ? "batch already enqueued with this idempotency key"
      : "batch queued",
    {
      batch_id,
      job_type: type,
      targets: n,
      max_concurrency: maxConcurrency,
      max_errors: maxErrors,
      deduplicated: deduplicated || undefined,
    },
  );
  const out = {
    batch_id,
    targets: n,
    max_concurrency: maxConcurrency,
    max_errors: maxErrors,
    trace_id: traceId,
    deduplicated,
  };
  if (opts.json) ctx.io.stdout(JSON.stringify({ ...out, targets: names }));
  else ctx.out.emit({ ...out, deduplicated: deduplicated || undefined });
}
