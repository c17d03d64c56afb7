import type { HatchetClient } from "@hatchet-dev/typescript-sdk";
import { median } from "./_measure.ts";

/** Throughput and latency of a batch of runs. */
export interface BatchResult {
  jobsPerSecond: number;
  p50Ms: number;
  p95Ms: number;
}

function percentile(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}

/**
 * Enqueues `count` runs of `task` (20 at a time, as fast as the engine takes
 * them), then waits until all are terminal; latency is enqueue to the run's
 * recorded finish.
 */
export async function runBatch(
  hatchet: HatchetClient,
  task: string,
  count: number,
  input: (i: number) => Record<string, unknown>,
): Promise<BatchResult> {
  const start = Date.now();
  const enqueuedAt = new Map<string, number>();
  for (let i = 0; i < count; i += 20) {
    const refs = await Promise.all(
      Array.from(
        { length: Math.min(20, count - i) },
        (_, k) => hatchet.runNoWait(task, input(i + k) as never, {}),
      ),
    );
    const now = Date.now();
    for (const ref of refs) enqueuedAt.set(await ref.getWorkflowRunId(), now);
  }
  const latencies: number[] = [];
  const pending = new Set(enqueuedAt.keys());
  let lastFinish = start;
  while (pending.size > 0) {
    for (const id of [...pending]) {
      const details = await hatchet.runs.get(id).catch(() => undefined);
      const status = String(details?.run.status ?? "");
      if (["COMPLETED", "FAILED", "CANCELLED"].includes(status)) {
        pending.delete(id);
        const finished = Date.parse(details!.run.finishedAt ?? "") ||
          Date.now();
        lastFinish = Math.max(lastFinish, finished);
        latencies.push(finished - enqueuedAt.get(id)!);
      }
    }
    if (pending.size) await new Promise((r) => setTimeout(r, 500));
  }
  return {
    jobsPerSecond: count / ((lastFinish - start) / 1000),
    p50Ms: median(latencies),
    p95Ms: percentile(latencies, 95),
  };
}

/** Resident memory of a process in MiB (from /proc). */
export async function rssMiB(pid: number): Promise<number> {
  const status = await Deno.readTextFile(`/proc/${pid}/status`);
  const kb = Number(status.match(/VmRSS:\s+(\d+)/)?.[1] ?? "0");
  return kb / 1024;
}
