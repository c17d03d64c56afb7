import { assert, assertIncludes } from "@test/assert";
import { parseLine } from "../lib/log/mod.ts";
import { runCli } from "./_cli.ts";
import { jobIdOf } from "./_jobs.ts";
import { labOnly, targetEnv } from "./_target.ts";
import { startWorker, type WorkerProcess } from "./_worker.ts";
import { labDir } from "../lab/mod.ts";

async function withWorker<T>(
  fn: (env: Record<string, string>, w: WorkerProcess) => Promise<T>,
): Promise<T> {
  const env = await targetEnv();
  const worker = await startWorker(env);
  try {
    return await fn(env, worker);
  } finally {
    const code = await worker.stop("SIGTERM");
    assert.equal(
      code,
      0,
      `worker exit code after SIGTERM:\n${worker.stderr().slice(-2000)}`,
    );
  }
}

/** `jobs enqueue --type windows.exec --cmd <cmd> [extra...]`: the CLI's whole result. */
function enqueueExec(
  env: Record<string, string>,
  cmd: string,
  ...extra: string[]
) {
  return runCli(
    ["jobs", "enqueue", "--type", "windows.exec", "--cmd", cmd, ...extra],
    env,
  );
}

/** Enqueues `cmd` as a windows.exec job; returns its id. */
async function enqueueExecId(
  env: Record<string, string>,
  cmd: string,
): Promise<string> {
  return jobIdOf((await enqueueExec(env, cmd)).stdout);
}

/** `jobs status --id <id> --watch --timeout <t>`, with its line parsed. */
async function watch(env: Record<string, string>, id: string, timeout = "2m") {
  const r = await runCli(
    ["jobs", "status", "--id", id, "--watch", "--timeout", timeout],
    env,
  );
  return { ...r, line: parseLine(r.stdout.trim()) };
}

Deno.test("roadmap task 4: enqueue echo OK, then status reaches completed; the worker logs each transition", async () => {
  await withWorker(async (env, worker) => {
    const argv = await Deno.readTextFile(`/proc/${worker.pid}/cmdline`);
    assert.ok(
      !argv.includes(env.WIN_AUTOMATION_HATCHET_TOKEN!),
      "the token is not in the worker's argv",
    );
    const enq = await enqueueExec(env, "echo OK");
    assert.equal(enq.code, 0, enq.stderr);
    const line = parseLine(enq.stdout.trim());
    assert.equal(line.state, "queued");
    assert.ok(line.trace_id);
    assertIncludes(enq.stderr, `trace_id=${line.trace_id}`);
    const id = jobIdOf(enq.stdout);
    const done = await watch(env, id);
    assert.equal(done.line.state, "completed", done.stdout + done.stderr);
    // The literal acceptance command: a single status fetch.
    const status = await runCli(["jobs", "status", "--id", id], env);
    assert.equal(parseLine(status.stdout.trim()).state, "completed");
    await worker.waitFor(
      new RegExp(`job completed.*job_id=${id}|job_id=${id}.*job completed`),
    );
    const mine = worker.stderr().split("\n").filter((l) =>
      l.includes(`job_id=${id}`)
    ).map(parseLine);
    assert.deepEqual(mine.map((l) => l.state).filter(Boolean), [
      "running",
      "completed",
    ]);
    for (const l of mine) assert.equal(l.trace_id, line.trace_id);
  });
});

Deno.test(
  labOnly(
    "roadmap task 4: cancelling ping -n 5 gives cancelled and the remote process is gone",
  ),
  async () => {
    await withWorker(async (env, worker) => {
      const id = await enqueueExecId(env, "ping -n 5 127.0.0.1");
      await worker.waitFor(new RegExp(`msg="job running".*job_id=${id}`));
      const cancel = await runCli(["jobs", "cancel", "--id", id], env);
      assert.equal(cancel.code, 0, cancel.stderr);
      assertIncludes(cancel.stdout, "state=cancelled");
      await worker.waitFor(new RegExp(`job cancelled.*job_id=${id}`), 5_000);
      // The engine may have retried the run before the cancel, so the run id
      // is the job id or "<job_id>-a<attempt>": accept any attempt.
      const runDir = `${labDir()}/fs/C:/ProgramData/win-automation/run`;
      const runs: string[] = [];
      for await (const e of Deno.readDir(runDir)) {
        if (e.name === id || e.name.startsWith(`${id}-a`)) runs.push(e.name);
      }
      assert.ok(runs.length > 0, "the run left its folder on Windows");
      for (const run of runs) {
        assert.ok(
          !(await Deno.stat(`${runDir}/${run}/pid`).then(
            () => true,
            () => false,
          )),
          `remote pid file of ${run} gone`,
        );
      }
      // Killed while it ran, or (when the cancel won the race with its
      // start) stopped before it ran anything: see the kill script kind.
      assert.match(
        worker.stderr(),
        new RegExp(
          `stopped remote command.*run_id=${id}(-a[0-9]+)? state=(killed|not_running)`,
        ),
      );
      // Cancelling again is idempotent: still cancelled, exit 0.
      const again = await runCli(["jobs", "cancel", "--id", id, "--json"], env);
      assert.equal(again.code, 0);
      assert.equal(JSON.parse(again.stdout).state, "cancelled");
    });
  },
);

Deno.test("cancelling a completed job gives state=completed, exit 1; --json follows the schema", async () => {
  await withWorker(async (env) => {
    const enq = await enqueueExec(env, "echo hi", "--json");
    const body = JSON.parse(enq.stdout);
    assert.deepEqual(Object.keys(body).sort(), [
      "deduplicated",
      "job_id",
      "queued_at",
      "state",
      "trace_id",
    ]);
    await watch(env, body.job_id);
    const r = await runCli(
      ["jobs", "cancel", "--id", body.job_id, "--json"],
      env,
    );
    assert.equal(r.code, 1);
    assert.deepEqual(JSON.parse(r.stdout), {
      job_id: body.job_id,
      state: "completed",
      error: null,
    });
    const s = await runCli(
      ["jobs", "status", "--id", body.job_id, "--json"],
      env,
    );
    const st = JSON.parse(s.stdout);
    assert.deepEqual(Object.keys(st).sort(), [
      "artifact_host",
      "artifact_root",
      "duration_ms",
      "ended_at",
      "error",
      "exit_code",
      "job_id",
      "started_at",
      "state",
      "target",
      "trace_id",
    ]);
    assert.equal(st.trace_id, body.trace_id);
    assert.equal(st.exit_code, 0);
    assert.equal(st.target, "default");
  });
});

Deno.test("a duplicate --idempotency-key is deduplicated by the engine: same job id, deduplicated=true", async () => {
  await withWorker(async (env) => {
    const key = `k-${crypto.randomUUID()}`;
    const a = await enqueueExec(env, "echo once", "--idempotency-key", key);
    const b = await enqueueExec(env, "echo twice", "--idempotency-key", key);
    assert.equal(b.code, 0, b.stderr);
    assert.equal(jobIdOf(b.stdout), jobIdOf(a.stdout));
    assertIncludes(b.stdout, "deduplicated=true");
  });
});

Deno.test("an unknown job id gives state=not_found, exit 1; a malformed one exit 2", async () => {
  const env = await targetEnv();
  const r = await runCli(["jobs", "status", "--id", crypto.randomUUID()], env);
  assert.equal(r.code, 1, r.stderr);
  assertIncludes(r.stdout, "state=not_found");
  const bad = await runCli(["jobs", "status", "--id", "../etc"], env);
  assert.equal(bad.code, 2);
});

Deno.test(labOnly("jobs against an unreachable Hatchet exit 3"), async () => {
  const env = {
    ...(await targetEnv()),
    WIN_AUTOMATION_HATCHET_GRPC_ADDRESS: "127.0.0.1:1",
    WIN_AUTOMATION_HATCHET_HTTP_URL: "http://127.0.0.1:1",
  };
  const r = await runCli(["jobs", "status", "--id", crypto.randomUUID()], env);
  assert.equal(r.code, 3, r.stdout + r.stderr);
});

Deno.test("jobs status --watch past its timeout exits 4", async () => {
  const env = await targetEnv();
  // No worker runs, so the job stays queued.
  const id = await enqueueExecId(env, "echo late");
  const r = await watch(env, id, "3s");
  assert.equal(r.code, 4, r.stderr);
  const cancel = await runCli(["jobs", "cancel", "--id", id], env);
  assert.equal(cancel.code, 0, cancel.stdout + cancel.stderr);
});

Deno.test("worker --metrics prints metric=jobs_completed_total counting each job once", async () => {
  const env = await targetEnv();
  const worker = await startWorker(env, [
    "--metrics",
    "--metrics-interval",
    "1s",
  ]);
  const ids: string[] = [];
  try {
    for (let i = 0; i < 3; i++) {
      ids.push(await enqueueExecId(env, `echo m${i}`));
    }
    for (const id of ids) {
      assert.equal((await watch(env, id)).line.state, "completed");
    }
  } finally {
    assert.equal(await worker.stop(), 0);
  }
  // Jobs left queued by earlier tests may run here too: the metric must
  // equal the jobs this worker logged as completed, ours among them.
  const completed = new Set(
    worker.stderr().split("\n").filter((l) => l.includes('msg="job completed"'))
      .map((l) => parseLine(l).job_id),
  );
  for (const id of ids) assert.ok(completed.has(id), `job ${id} completed`);
  const last = worker.stdout().trim().split("\n").map(parseLine).filter((l) =>
    l.metric === "jobs_completed_total"
  ).at(-1);
  assert.equal(last?.value, String(completed.size), worker.stdout());
  const enqueued = worker.stdout().trim().split("\n").map(parseLine).filter((
    l,
  ) => l.metric === "jobs_enqueued_total").at(-1);
  assert.ok(Number(enqueued?.value) >= 3, worker.stdout());
});

Deno.test("a failed job: state=failed, exit 1, and its error is one line without a stack trace", async () => {
  await withWorker(async (env) => {
    const id = await enqueueExecId(env, "exit 3");
    const r = await watch(env, id);
    assert.equal(r.line.state, "failed", r.stdout);
    assert.equal(r.code, 1);
    const json = await runCli(["jobs", "status", "--id", id, "--json"], env);
    const body = JSON.parse(json.stdout) as { error: string | null };
    assert.ok(body.error && body.error.length > 0, json.stdout);
    assert.ok(!body.error.includes("\n"), body.error);
    assert.doesNotMatch(body.error, /\bat .*\.(ts|js):\d+/);
    assert.doesNotMatch(r.stdout + r.stderr, /\bat .*\.(ts|js):\d+:\d+/);
  });
});
