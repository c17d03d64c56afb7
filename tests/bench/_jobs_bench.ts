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
 * them), tagged with one batch id in their additional metadata, then waits
 * until all are terminal. It asks once a second how many of the batch are
 * done (one list call, not one status call per run, so the measurement adds
 * almost no load to the engine it measures). Throughput and latency use the
 * engine's own times: each run's creation (the enqueue) and finish.
 */
export async function runBatch(
  hatchet: HatchetClient,
  task: string,
  count: number,
  input: (i: number) => Record<string, unknown>,
): Promise<BatchResult> {
  const batch = crypto.randomUUID();
  const since = new Date(Date.now() - 60_000);
  for (let i = 0; i < count; i += 20) {
    await Promise.all(
      Array.from({ length: Math.min(20, count - i) }, (_, k) => {
        const data = input(i + k);
        return hatchet.runNoWait(task, data as never, {
          additionalMetadata: {
            trace_id: String(data.trace_id ?? ""),
            bench_batch: batch,
          },
        });
      }),
    );
  }
  const filter = {
    since,
    additionalMetadata: { bench_batch: batch },
    onlyTasks: true,
    statuses: ["COMPLETED", "FAILED", "CANCELLED"] as never[],
  };
  for (;;) {
    const page = await hatchet.runs.list({ ...filter, limit: 1 });
    if ((page.pagination.num_pages ?? 0) >= count) break;
    await new Promise((r) => setTimeout(r, 1000));
  }
  const { rows } = await hatchet.runs.list({ ...filter, limit: count + 10 });
  if (rows.length !== count) {
    throw new Error(
      `batch ${batch}: ${rows.length} runs listed, ${count} enqueued`,
    );
  }
  const created = rows.map((r) => Date.parse(r.createdAt));
  const finished = rows.map((r) => Date.parse(r.finishedAt ?? ""));
  if (finished.some(Number.isNaN)) {
    throw new Error(`batch ${batch}: a run has no finish time`);
  }
  const latencies = rows.map((_, i) => finished[i]! - created[i]!);
  const span = Math.max(...finished) - Math.min(...created);
  return {
    jobsPerSecond: count / (span / 1000),
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

/** A `windows.exec` input of `echo ok`, the same for ours and the no-op task. */
export function echoInput(prefix: string) {
  return (i: number) => ({
    cmd: "echo ok",
    trace_id: `${prefix}${i}`,
    idempotency_key: `auto-${crypto.randomUUID()}`,
  });
}

/**
 * The engine's floor: `count` runs of tests/bench/noop_worker.ts's no-op
 * task with `slots` slots, the same input and metadata as ours (the engine
 * does the same work), the worker started and stopped around them.
 */
export async function noopFloor(
  hatchet: HatchetClient,
  options: {
    env: Record<string, string>;
    count: number;
    slots: number;
    input: (i: number) => Record<string, unknown>;
  },
): Promise<BatchResult> {
  const noop = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-all",
      "--quiet",
      new URL("./noop_worker.ts", import.meta.url).pathname,
    ],
    env: { ...options.env, BENCH_SLOTS: String(options.slots) },
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const dec = new TextDecoder();
  let text = "";
  for await (const chunk of noop.stderr) {
    text += dec.decode(chunk);
    if (text.includes("worker ready")) break;
  }
  try {
    return await runBatch(hatchet, "bench.noop", options.count, options.input);
  } finally {
    noop.kill("SIGTERM");
    await noop.status;
  }
}

/** Calls per second of `count` runs of `once`, `parallel` at a time. */
export async function callsPerSecond(
  once: () => Promise<unknown>,
  count: number,
  parallel: number,
): Promise<number> {
  const start = Date.now();
  let next = 0;
  await Promise.all(Array.from({ length: parallel }, async () => {
    while (next < count) {
      next++;
      await once();
    }
  }));
  return count / ((Date.now() - start) / 1000);
}
