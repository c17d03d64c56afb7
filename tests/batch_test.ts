/**
 * Batches on the lab's real Hatchet-lite with three hosts and one worker
 * serving all three targets: `jobs enqueue --targets` starts a parent run
 * (`jobs.batch`) that a worker paces; each child runs on its own target
 * (its output is that host's name, its command is in that host's journal
 * only); `jobs list` filters with AND on the run metadata; max-errors skips
 * the rest; cancel; a parent started again re-attaches to the children it
 * started, never a second run.
 * @module
 */
import { assert } from "@test/assert";
import {
  hostNames,
  labUp,
  readJournal,
  startHostSshd,
  stopHostSshd,
} from "../lab/mod.ts";
import { loadConfig } from "../lib/config/mod.ts";
import {
  type BatchInput,
  connectHatchet,
  jobInputOf,
} from "../lib/hatchet/mod.ts";
import { Logger } from "../lib/log/mod.ts";
import { runBatch } from "../lib/worker/batch.ts";
import { hasStackTrace, runCli } from "./_cli.ts";
import { labOnly } from "./_target.ts";
import { startWorker, type WorkerProcess } from "./_worker.ts";

const HOSTS = hostNames(3);

/** The summary line of `jobs batch status` (or `""`). */
const summaryOf = (text: string) =>
  text.split("\n").find((l) => l.startsWith("summary ")) ?? "";

function field(line: string | undefined, key: string): string | undefined {
  return line?.match(new RegExp(`(?:^| )${key}=("[^"]*"|\\S*)`))?.[1];
}

async function journalHits(token: string): Promise<Record<string, number>> {
  const hits: Record<string, number> = {};
  for (const host of HOSTS) {
    hits[host] = (await readJournal({ host })).filter((e) =>
      JSON.stringify(e).includes(token)
    ).length;
  }
  return hits;
}

/** `jobs batch status --id <id> --watch --timeout <timeout>`. */
function watchBatch(env: Record<string, string>, id: string, timeout: string) {
  return runCli(
    ["jobs", "batch", "status", "--id", id, "--watch", "--timeout", timeout],
    env,
  );
}

/**
 * `jobs enqueue ...args` as the issue words it, without `--type`: `--cmd`
 * names windows.exec.
 */
async function enqueueBatch(env: Record<string, string>, args: string[]) {
  const r = await runCli(["jobs", "enqueue", ...args], env);
  assert.equal(r.code, 0, r.stderr);
  const id = field(r.stdout.trim(), "batch_id");
  assert.ok(id && /^[0-9a-f-]{36}$/.test(id), r.stdout);
  return id!;
}

Deno.test(
  labOnly(
    "batches on the lab's Hatchet: one child per target on its own worker, list with AND, max-errors, cancel, re-attach",
  ),
  async (t) => {
    const lab = await labUp({ hosts: 3 });
    const env = {
      ...lab,
      WIN_AUTOMATION_HATCHET_SCHEDULE_TIMEOUT: "60s",
      WIN_AUTOMATION_HATCHET_RETRY_MAX: "1",
      WIN_AUTOMATION_HATCHET_RETRY_BACKOFF: "1s",
    };
    const workers: WorkerProcess[] = [
      await startWorker(env, ["--targets", HOSTS.join(",")]),
    ];
    const config = await loadConfig({ env });
    const hatchet = await connectHatchet(
      config,
      new Logger({ silent: true }),
      "test",
    );
    try {
      let hostnameBatch = "";
      await t.step(
        "--targets all --cmd hostname: completed=3, each child's output is its own host's name",
        async () => {
          const token = `b1-${crypto.randomUUID()}`;
          const id = await enqueueBatch(env, [
            "--targets",
            "all",
            "--cmd",
            `hostname; Write-Output ${token}`,
          ]);
          hostnameBatch = id;
          // Read at once, before Hatchet's run history has the batch: the
          // engine's own record answers (a regression: it was "no such run").
          const early = await runCli(
            ["jobs", "batch", "status", "--id", id],
            env,
          );
          assert.equal(early.code, 0, early.stdout + early.stderr);
          assert.match(summaryOf(early.stdout), /^summary targets=3 /);
          const s = await watchBatch(env, id, "3m");
          assert.equal(s.code, 0, s.stdout + s.stderr);
          assert.match(
            summaryOf(s.stdout),
            /^summary targets=3 completed=3 failed=0 unreachable=0 timeout=0 skipped=0 cancelled=0 pending=0$/,
            s.stdout,
          );
          const json = await runCli(
            ["jobs", "batch", "status", "--id", id, "--json"],
            env,
          );
          const status = JSON.parse(json.stdout) as {
            targets: {
              target: string;
              state: string;
              job_id: string;
              exit_code: number;
            }[];
          };
          assert.deepEqual(status.targets.map((x) => x.target), HOSTS);
          for (const target of status.targets) {
            assert.equal(target.state, "completed");
            assert.equal(target.exit_code, 0);
            // The child's own task output: that host's name.
            const run = (await hatchet.runs.get(target.job_id)).run;
            const out = run.output as { stdout?: string };
            assert.equal(
              out.stdout?.trim().split(/\r?\n/)[0],
              target.target.toUpperCase(),
              JSON.stringify(run.output),
            );
            // ... and what `jobs status --output` prints for it, from anywhere.
            const printed = await runCli(
              ["jobs", "status", "--id", target.job_id, "--output"],
              env,
            );
            assert.equal(printed.code, 0, printed.stderr);
            assert.equal(
              printed.stdout.split(/\r?\n/)[0],
              target.target.toUpperCase(),
            );
            const meta = run.additionalMetadata as Record<string, string>;
            assert.equal(meta.batch_id, id);
            assert.equal(meta.target, target.target);
            assert.equal(meta.type, "windows.exec");
          }
          // Each host journaled the command once, and only its own.
          assert.deepEqual(await journalHits(token), {
            "win-01": 1,
            "win-02": 1,
            "win-03": 1,
          });
        },
      );

      await t.step(
        "jobs list --batch: three jobs, three targets; the filters AND (negative controls)",
        async () => {
          const list = await runCli(
            ["jobs", "list", "--batch", hostnameBatch, "--json"],
            env,
          );
          assert.equal(list.code, 0, list.stderr);
          const rows = JSON.parse(list.stdout) as {
            job_id: string;
            target: string;
            batch_id: string;
            type: string;
            state: string;
            exit_code: number;
          }[];
          assert.equal(rows.length, 3, list.stdout);
          assert.deepEqual(new Set(rows.map((r) => r.target)), new Set(HOSTS));
          for (const r of rows) {
            assert.equal(r.batch_id, hostnameBatch);
            assert.equal(r.type, "windows.exec");
            assert.equal(r.state, "completed");
            assert.equal(r.exit_code, 0);
          }
          // AND, not OR: batch and one target give that target's job only.
          const one = await runCli(
            [
              "jobs",
              "list",
              "--batch",
              hostnameBatch,
              "--target",
              "win-02",
              "--json",
            ],
            env,
          );
          const oneRows = JSON.parse(one.stdout) as { target: string }[];
          assert.deepEqual(oneRows.map((r) => r.target), ["win-02"]);
          // A batch that does not exist lists nothing.
          const none = await runCli(
            ["jobs", "list", "--batch", crypto.randomUUID(), "--json"],
            env,
          );
          assert.deepEqual(JSON.parse(none.stdout), []);
          // State filter: the batch has no failed job.
          const failed = await runCli(
            [
              "jobs",
              "list",
              "--batch",
              hostnameBatch,
              "--state",
              "failed",
              "--json",
            ],
            env,
          );
          assert.deepEqual(JSON.parse(failed.stdout), []);
          // The batch itself is listed with --type jobs.batch (and is not
          // one of its own jobs above).
          const batches = await runCli(
            ["jobs", "list", "--type", "jobs.batch", "--json"],
            env,
          );
          const parents = JSON.parse(batches.stdout) as {
            job_id: string;
            type: string;
          }[];
          assert.ok(
            parents.some((p) => p.job_id === hostnameBatch),
            batches.stdout,
          );
          assert.ok(parents.every((p) => p.type === "jobs.batch"));
          // Text rows are key=value lines.
          const text = await runCli(
            ["jobs", "list", "--batch", hostnameBatch],
            env,
          );
          assert.equal(text.stdout.trim().split("\n").length, 3, text.stdout);
          assert.match(
            text.stdout,
            /^job_id=\S+ type=windows\.exec target=win-0\d batch_id=/m,
          );
        },
      );

      await t.step(
        "--max-concurrency 1 --max-errors 0 on exit 2: failed=1 skipped=2, one command ever reached Windows",
        async () => {
          const token = `b2-${crypto.randomUUID()}`;
          const id = await enqueueBatch(env, [
            "--targets",
            "all",
            "--max-concurrency",
            "1",
            "--max-errors",
            "0",
            "--cmd",
            `Write-Output ${token}; exit 2`,
          ]);
          const s = await watchBatch(env, id, "3m");
          assert.equal(s.code, 1, s.stdout + s.stderr);
          assert.match(
            summaryOf(s.stdout),
            /^summary targets=3 completed=0 failed=1 unreachable=0 timeout=0 skipped=2 cancelled=0 pending=0$/,
          );
          assert.match(
            s.stdout,
            /^target=win-01 state=failed exit_code=2 duration_ms=\d+ job_id=\S+$/m,
          );
          assert.match(s.stdout, /^target=win-02 state=skipped$/m);
          const hits = await journalHits(token);
          assert.deepEqual(hits, { "win-01": 1, "win-02": 0, "win-03": 0 });
        },
      );

      await t.step(
        "an unreachable host counts as an error (the rest skipped, exit 1) unless --ignore-unreachable (then exit 3)",
        async () => {
          await stopHostSshd("win-02");
          try {
            const run = async (extra: string[]) => {
              const id = await enqueueBatch(env, [
                "--targets",
                "all",
                "--max-concurrency",
                "1",
                "--max-errors",
                "0",
                ...extra,
                "--cmd",
                "hostname",
              ]);
              return await watchBatch(env, id, "3m");
            };
            const counted = await run([]);
            assert.equal(counted.code, 1, counted.stdout + counted.stderr);
            assert.match(counted.stdout, /^target=win-02 state=unreachable /m);
            assert.match(
              summaryOf(counted.stdout),
              /^summary targets=3 completed=1 failed=0 unreachable=1 timeout=0 skipped=1 /,
            );
            const ignored = await run(["--ignore-unreachable"]);
            assert.equal(ignored.code, 3, ignored.stdout + ignored.stderr);
            assert.match(
              summaryOf(ignored.stdout),
              /^summary targets=3 completed=2 failed=0 unreachable=1 timeout=0 skipped=0 /,
            );
          } finally {
            await startHostSshd("win-02");
          }
        },
      );

      await t.step(
        "jobs batch cancel: the running child and the targets not started end cancelled",
        async () => {
          const token = `b3-${crypto.randomUUID()}`;
          const id = await enqueueBatch(env, [
            "--targets",
            "all",
            "--max-concurrency",
            "1",
            "--cmd",
            `Write-Output ${token}; Start-Sleep -Seconds 60`,
          ]);
          // Wait until the first child runs on Windows.
          const deadline = Date.now() + 60_000;
          while ((await journalHits(token))["win-01"] === 0) {
            assert.ok(Date.now() < deadline, "the first child never started");
            await new Promise((r) => setTimeout(r, 500));
          }
          const c = await runCli(["jobs", "batch", "cancel", "--id", id], env);
          assert.equal(c.code, 0, c.stdout + c.stderr);
          assert.match(c.stdout, /^batch_id=\S+ state=cancelled$/m);
          const s = await watchBatch(env, id, "1m");
          assert.equal(s.code, 1, s.stdout + s.stderr);
          assert.match(
            summaryOf(s.stdout),
            /^summary targets=3 completed=0 failed=0 unreachable=0 timeout=0 skipped=0 cancelled=3 pending=0$/,
          );
          assert.deepEqual(await journalHits(token), {
            "win-01": 1,
            "win-02": 0,
            "win-03": 0,
          });
        },
      );

      await t.step(
        "the second guard: children started again for the same batch and targets collide on their idempotency key and re-attach; one run per target",
        async () => {
          // The parent's code as a retry runs it: same batch id (the parent's
          // run id), children started through the engine with the same keys.
          const token = `b4-${crypto.randomUUID()}`;
          const batchId = crypto.randomUUID();
          const input: BatchInput = {
            trace_id: `reattach-${batchId.slice(0, 8)}`,
            idempotency_key: `batch-${batchId}`,
            type: "windows.exec",
            children: HOSTS.map((target) => ({
              target,
              input: jobInputOf({
                type: "windows.exec",
                cmd: `Write-Output ${token}`,
                traceId: `reattach-${batchId.slice(0, 8)}`,
                target,
                host: target,
              } as never),
            })),
            max_concurrency: 3,
            max_errors: 0,
            ignore_unreachable: false,
          };
          const started: string[] = [];
          const ctxFor = () => ({
            workflowRunId: () => batchId,
            retryCount: () => 0,
            abortController: new AbortController(),
            runNoWaitChild: async (
              wf: string,
              childInput: never,
              opts: Record<string, unknown>,
            ) => {
              // Outside a parent run the same trigger goes through runNoWait:
              // what the engine dedupes on is the child's idempotency key.
              const ref = await hatchet.runNoWait(
                wf,
                childInput,
                opts as never,
              );
              started.push(await ref.getWorkflowRunId());
              return ref;
            },
          });
          const deps = {
            hatchet,
            logger: new Logger({ silent: true }),
            endpoint: config.hatchet.grpcAddress,
          };
          const first = await runBatch(input, ctxFor() as never, deps);
          assert.deepEqual(first.outcomes.map((o) => o.state), [
            "completed",
            "completed",
            "completed",
          ]);
          assert.equal(started.length, 3);
          const again = await runBatch(input, ctxFor() as never, deps);
          assert.deepEqual(again.outcomes, first.outcomes);
          // Negative control: the second run started nothing new.
          assert.equal(started.length, 3);
          assert.deepEqual(await journalHits(token), {
            "win-01": 1,
            "win-02": 1,
            "win-03": 1,
          });
        },
      );
      await t.step(
        "a parent whose worker was killed runs again on a new worker and re-attaches: no second child, one command per host",
        async () => {
          const token = `b5-${crypto.randomUUID()}`;
          const id = await enqueueBatch(env, [
            "--targets",
            "all",
            "--cmd",
            `Write-Output ${token}; Start-Sleep -Seconds 5`,
          ]);
          // Every child has reached Windows; then the worker dies.
          const deadline = Date.now() + 60_000;
          while (Object.values(await journalHits(token)).some((n) => n === 0)) {
            assert.ok(Date.now() < deadline, "the children never started");
            await new Promise((r) => setTimeout(r, 250));
          }
          const first = workers[0]!;
          const startedBy = (w: WorkerProcess) =>
            w.stderr().split("\n").filter((l) =>
              l.includes(`batch_id=${id}`) &&
              l.includes('msg="batch child started"')
            ).map((l) => l.match(/job_id=(\S+)/)![1]!).sort();
          const before = startedBy(first);
          assert.equal(before.length, 3, first.stderr().slice(-2000));
          await first.stop("SIGKILL");
          workers.shift();
          const second = await startWorker(env, ["--targets", HOSTS.join(",")]);
          workers.push(second);
          // The parent's new attempt, on the new worker, logs its end: the lines
          // read below are all there by then.
          await second.waitFor(
            new RegExp(`msg="batch ended".*batch_id=${id}`),
            180_000,
          );
          const s = await runCli(
            ["jobs", "batch", "status", "--id", id, "--watch"],
            env,
          );
          assert.equal(s.code, 0, s.stdout + s.stderr);
          assert.match(summaryOf(s.stdout), /^summary targets=3 completed=3 /);
          // It ran the parent again and got back the very children the first
          // worker started (the engine's child-spawn dedupe on the child
          // key), none new.
          assert.deepEqual(startedBy(second), before);
          const list = await runCli(
            ["jobs", "list", "--batch", id, "--json"],
            env,
          );
          const rows = JSON.parse(list.stdout) as { job_id: string }[];
          assert.deepEqual(rows.map((r) => r.job_id).sort(), before);
          // The children died with the first worker too; their retries
          // re-attach to the run already on Windows (same run id, the job
          // id): one Windows run per host, never a second one.
          for (const host of HOSTS) {
            const runs = new Set(
              (await readJournal({ host })).filter((e) =>
                JSON.stringify(e).includes(token)
              ).map((e) =>
                JSON.stringify(e).match(/run_id[^0-9a-f]+([0-9a-f-]{36})/)?.[1]
              ),
            );
            assert.equal(runs.size, 1, `${host}: ${[...runs].join(", ")}`);
            assert.ok(
              before.includes([...runs][0]!),
              `${host}'s run is its child job`,
            );
          }
          const attached = second.stderr().split("\n").filter((l) =>
            l.includes("attaching, not starting it again")
          ).map((l) => l.match(/job_id=(\S+)/)?.[1]).sort();
          assert.deepEqual(attached, before, second.stderr().slice(-3000));
        },
      );
    } finally {
      for (const w of workers) {
        const code = await w.stop("SIGTERM");
        assert.equal(code, 0, w.stderr().slice(-2000));
        assert.ok(
          !hasStackTrace(w.stderr()),
          "no stack trace in a worker's log",
        );
      }
    }
  },
);
