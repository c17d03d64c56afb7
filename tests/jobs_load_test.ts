import { assert } from "@test/assert";
import { parseLine } from "../lib/log/mod.ts";
import { enqueueMany, jobOps, waitAllTerminal } from "./_jobs.ts";
import { labOnly, targetEnv } from "./_target.ts";
import { startWorker } from "./_worker.ts";
import { labRestart, readJournal } from "../lab/mod.ts";

function countBy<T>(items: T[]): Map<T, number> {
  const m = new Map<T, number>();
  for (const x of items) m.set(x, (m.get(x) ?? 0) + 1);
  return m;
}

/** The run ids whose command the lab ran (its runner started), one entry per execution. */
async function execRunIds(since: number): Promise<string[]> {
  // Each time a run's runner started (powershell -File <run folder>\runner.ps1):
  // how many times the command itself ran, whatever re-attaches happened.
  return (await readJournal()).slice(since).filter((e) => e.kind === "runner")
    .map((e) =>
      /\\run\\([^\\]+)\\runner\.ps1$/.exec(e.argv.at(-1) ?? "")?.[1] ?? ""
    );
}

Deno.test(
  labOnly(
    "load: 200 windows.exec jobs with 5 slots all complete exactly once, and metrics agree",
  ),
  async () => {
    const env = await targetEnv();
    const worker = await startWorker({
      ...env,
      WIN_AUTOMATION_HATCHET_WORKER_CONCURRENCY: "5",
    }, ["--metrics", "--metrics-interval", "1s"]);
    const journalBefore = (await readJournal()).length;
    let statuses;
    let ids: string[] = [];
    try {
      const ops = await jobOps(env);
      ids = await enqueueMany(ops, 200, (i) => `echo load-${i}`);
      statuses = await waitAllTerminal(ops, ids, 300_000);
      await new Promise((r) => setTimeout(r, 1500)); // one more metrics tick
    } finally {
      assert.equal(await worker.stop(), 0);
    }
    const states = countBy([...statuses.values()].map((s) => s.state));
    // A failure names its cause: the worker's own lines for that job.
    const failedLines = worker.stderr().split("\n").filter((l) =>
      l.includes('msg="job failed"')
    ).join("\n");
    assert.equal(
      states.get("completed"),
      200,
      `${JSON.stringify([...states])}\n${failedLines}`,
    );
    const runs = countBy(await execRunIds(journalBefore));
    for (const id of ids) {
      assert.equal(
        runs.get(id),
        1,
        `job ${id} ran ${runs.get(id) ?? 0} times`,
      );
    }
    // The worker may also run jobs left queued by earlier tests: ours must be
    // there once each, and the metric must agree with the worker's own log.
    const completedLines = worker.stderr().split("\n").filter((l) =>
      l.includes('msg="job completed"')
    ).map(parseLine);
    const mine = countBy(
      completedLines.map((l) => l.job_id!).filter((id) => ids.includes(id)),
    );
    assert.equal(mine.size, 200);
    for (const [id, n] of mine) {
      assert.equal(n, 1, `job ${id} completed ${n} times`);
    }
    const metric = worker.stdout().trim().split("\n").map(parseLine).filter((
      l,
    ) => l.metric === "jobs_completed_total").at(-1);
    assert.equal(
      metric?.value,
      String(new Set(completedLines.map((l) => l.job_id)).size),
    );
  },
);

Deno.test(
  labOnly(
    "faults: restarting Hatchet in the middle of 100 jobs loses none; each ends in one terminal state",
  ),
  async () => {
    const env = await targetEnv();
    // An engine that dies between committing an assignment and delivering it
    // (or a result the SDK could not deliver in its ~13 s of retries) leaves
    // that attempt to the execution timeout, then the engine retries it: the
    // job timeout bounds the recovery, so the test keeps it short.
    const worker = await startWorker({
      ...env,
      WIN_AUTOMATION_HATCHET_JOB_TIMEOUT: "30s",
    });
    try {
      const ops = await jobOps(env);
      const ids = await enqueueMany(
        ops,
        100,
        (i) => `Start-Sleep -Milliseconds 200; echo r-${i}`,
      );
      await worker.waitFor(/msg="job completed"/);
      await labRestart("hatchet");
      const after = await jobOps(env);
      const statuses = await waitAllTerminal(after, ids, 300_000);
      const states = countBy(
        ids.map((id) => statuses.get(id)?.state ?? "missing"),
      );
      const diag = worker.stderr().split("\n").filter((l) =>
        /level=(warn|error)/.test(l)
      ).slice(-40).join("\n");
      assert.equal(
        states.get("completed"),
        100,
        `${JSON.stringify([...states])}\n${diag}`,
      );
    } finally {
      assert.equal(await worker.stop(), 0);
    }
  },
);

Deno.test(
  labOnly(
    "faults: a worker killed in the middle of a job is replaced and the job still ends once",
  ),
  async () => {
    const env = await targetEnv();
    const first = await startWorker(env);
    const ops = await jobOps(env);
    const [id] = await enqueueMany(
      ops,
      1,
      () => "Start-Sleep -Seconds 3; echo survived",
    );
    await first.waitFor(new RegExp(`msg="job running".*job_id=${id}`));
    await first.stop("SIGKILL");
    const second = await startWorker(env);
    try {
      const statuses = await waitAllTerminal(ops, [id!], 600_000);
      const final = statuses.get(id!);
      // The retry runs the command again, under its own run id, and it
      // completes.
      assert.equal(final?.state, "completed", JSON.stringify(final));
    } finally {
      assert.equal(await second.stop(), 0);
    }
  },
);

Deno.test(
  labOnly("SIGTERM drains: the running job finishes, the worker exits 0"),
  async () => {
    const env = await targetEnv();
    const worker = await startWorker(env);
    const ops = await jobOps(env);
    const [id] = await enqueueMany(
      ops,
      1,
      () => "Start-Sleep -Seconds 2; echo drained",
    );
    await worker.waitFor(new RegExp(`msg="job running".*job_id=${id}`));
    const code = await worker.stop("SIGTERM");
    assert.equal(code, 0);
    const lines = worker.stderr().split("\n").filter((l) =>
      l.includes(`job_id=${id}`)
    ).map(parseLine);
    assert.ok(
      lines.some((l) => l.state === "completed"),
      worker.stderr().slice(-2000),
    );
    // The engine records the result the worker sent before it exited; its
    // own record may lag that by a moment, so wait for a terminal state.
    const final = await waitAllTerminal(ops, [id!], 30_000);
    assert.equal(final.get(id!)?.state, "completed");
  },
);
