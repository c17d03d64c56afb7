import type { HatchetClient } from "@hatchet-dev/typescript-sdk";
import { batchStatus, JobOps, listJobs } from "../../lib/hatchet/mod.ts";
import type { BatchResult } from "./_jobs_bench.ts";

/** The fleet config of the batch row: `count` targets over the lab's hosts. */
export async function benchFleetConfig(
  labConfigPath: string,
  count: number,
): Promise<{ config: Record<string, unknown>; names: string[] }> {
  const lab = JSON.parse(await Deno.readTextFile(labConfigPath)) as {
    targets: Record<string, Record<string, unknown>>;
    groups?: Record<string, string[]>;
  };
  const hosts = Object.keys(lab.targets);
  const names: string[] = [];
  const targets: Record<string, unknown> = { ...lab.targets };
  for (let i = 0; i < count; i++) {
    const name = `bench-${String(i + 1).padStart(2, "0")}`;
    // Each bench target is one of the lab's hosts (round robin), without
    // the Playwright settings (and their secret) the batch does not use.
    const { playwright: _pw, ...host } = lab.targets[hosts[i % hosts.length]!]!;
    targets[name] = host;
    names.push(name);
  }
  return {
    config: {
      ...lab,
      targets,
      groups: { ...(lab.groups ?? {}), bench: names },
    },
    names,
  };
}

/**
 * Waits for a batch to end and measures it with the engine's own times:
 * from the parent run's creation (the enqueue) to the last child's finish,
 * and each child's creation to finish. Every child must have completed.
 */
export async function measureBatch(
  hatchet: HatchetClient,
  batchId: string,
  count: number,
  endpoint: string,
): Promise<BatchResult & { runP50Ms: number }> {
  const ops = new JobOps(hatchet, { endpoint });
  for (;;) {
    const s = await batchStatus(hatchet, ops, batchId, endpoint);
    if (s.ended) {
      if (s.summary.completed !== count) {
        throw new Error(
          `batch ${batchId}: ${JSON.stringify(s.summary)}, not all completed`,
        );
      }
      break;
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
  const parent = (await hatchet.runs.get(batchId)).run;
  const start = Date.parse(parent.createdAt ?? "");
  const rows = await listJobs(hatchet, {
    batch_id: batchId,
    since: new Date(start - 60_000),
    limit: count + 10,
  }, endpoint);
  if (rows.length !== count) {
    throw new Error(
      `batch ${batchId}: ${rows.length} children, ${count} targets`,
    );
  }
  const finished = rows.map((r) => Date.parse(r.finished ?? ""));
  if (finished.some(Number.isNaN) || Number.isNaN(start)) {
    throw new Error(`batch ${batchId}: a run has no creation or finish time`);
  }
  const latencies = rows.map((r, i) => finished[i]! - Date.parse(r.created));
  const runs = rows.map((r, i) => finished[i]! - Date.parse(r.started ?? ""));
  const at = (values: number[], p: number) => {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[
      Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))
    ]!;
  };
  return {
    jobsPerSecond: count / ((Math.max(...finished) - start) / 1000),
    p50Ms: at(latencies, 50),
    p95Ms: at(latencies, 95),
    runP50Ms: at(runs, 50),
  };
}
