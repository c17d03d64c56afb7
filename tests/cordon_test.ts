/**
 * `targets cordon|uncordon` against the lab's real Hatchet-lite with three
 * emulated hosts: `win-01` served by a worker of its own, `win-02` and
 * `win-03` by one worker serving both. A spare target naming win-03's host
 * (a fresh name each run) is served by no worker.
 *
 * Proven here: a job for a cordoned target stays `queued` across several of
 * the scheduler's 5 s worker reloads while a job for an uncordoned target
 * completes in the same window, and it completes after `uncordon`; a job
 * for a cordoned target ends undeliverable past `hatchet.schedule_timeout`; cordoning one target of a shared worker leaves its other
 * target running; a restarted worker keeps the cordon; `targets list` and
 * `doctor` show it; cordoning twice is harmless; an unknown name is exit 2
 * and a target no worker serves is exit 1.
 * @module
 */
import { assert } from "@test/assert";
import { parseLine } from "../lib/log/mod.ts";
import { labUp } from "../lab/mod.ts";
import { hasStackTrace, runCli } from "./_cli.ts";
import { jobIdOf } from "./_jobs.ts";
import { labOnly } from "./_target.ts";
import { startWorker, type WorkerProcess } from "./_worker.ts";

/** Long enough that no job in this test times out waiting for a worker. */
const SCHEDULE_TIMEOUT = "5m";

/** How long a cordoned job is watched: more than two scheduler reloads. */
const OBSERVE_MS = 12_000;

const lines = (stdout: string) =>
  stdout.trim().split("\n").filter((l) => l !== "").map(parseLine);

async function fleetEnv() {
  const lab = await labUp({ hosts: 3 });
  const file = JSON.parse(
    await Deno.readTextFile(lab.WIN_AUTOMATION_CONFIG!),
  ) as { targets: Record<string, unknown> };
  const spare = `spare-${crypto.randomUUID().slice(0, 8)}`;
  const dir = await Deno.makeTempDir({ prefix: "wa-cordon-" });
  const config = `${dir}/config.json`;
  await Deno.writeTextFile(
    config,
    JSON.stringify({
      ...file,
      targets: { ...file.targets, [spare]: file.targets["win-03"] },
    }),
  );
  const env = {
    ...lab,
    WIN_AUTOMATION_CONFIG: config,
    WIN_AUTOMATION_HATCHET_SCHEDULE_TIMEOUT: SCHEDULE_TIMEOUT,
    WIN_AUTOMATION_ARTIFACT_OUT: `${dir}/artifacts`,
  };
  return { env, spare, dir };
}

Deno.test(
  labOnly(
    "targets cordon: a cordoned target's job stays queued while another target's completes, completes after uncordon; shared workers, restarts, list, doctor, bad names",
  ),
  async (t) => {
    const { env, spare, dir } = await fleetEnv();
    const cli = (args: string[], extra: Record<string, string> = {}) =>
      runCli(args, { ...env, ...extra });
    const enqueue = async (target: string, extra = {}) => {
      const r = await cli([
        "jobs",
        "enqueue",
        "--target",
        target,
        "--type",
        "windows.exec",
        "--cmd",
        "hostname",
      ], extra);
      assert.equal(r.code, 0, r.stderr);
      return jobIdOf(r.stdout);
    };
    const status = async (id: string) =>
      parseLine((await cli(["jobs", "status", "--id", id])).stdout.trim())
        .state;
    const watch = async (id: string) => {
      const r = await cli([
        "jobs",
        "status",
        "--id",
        id,
        "--watch",
        "--timeout",
        "90s",
      ]);
      return { code: r.code, line: parseLine(r.stdout.trim()), r };
    };
    /** Polls `id` for `ms`: every state seen. */
    const observe = async (id: string, ms: number) => {
      const seen = new Set<string>();
      const until = Date.now() + ms;
      while (Date.now() < until) {
        seen.add((await status(id)) ?? "none");
        await new Promise((r) => setTimeout(r, 1_000));
      }
      return [...seen];
    };
    const listed = async () => {
      const r = await cli(["targets", "list"]);
      assert.equal(r.code, 0, r.stderr);
      return Object.fromEntries(lines(r.stdout).map((l) => [l.target, l]));
    };
    const cordon = async (verb: "cordon" | "uncordon", name: string) => {
      const r = await cli(["targets", verb, name]);
      assert.equal(r.code, 0, r.stdout + r.stderr);
      return parseLine(r.stdout.trim());
    };
    // A cordon left by an earlier run that failed half-way would be kept by
    // the workers started below: start from none.
    for (const name of ["win-01", "win-02", "win-03"]) {
      await cordon("uncordon", name);
    }
    const workers: WorkerProcess[] = [];
    try {
      await t.step(
        "bad names: unknown target exit 2, before any request",
        async () => {
          for (const verb of ["cordon", "uncordon"]) {
            const r = await cli(["targets", verb, "nope"]);
            assert.equal(r.code, 2, r.stderr);
            assert.equal(r.stdout, "");
            assert.match(
              r.stderr,
              new RegExp(
                `^usage error: targets ${verb}: unknown target "nope" \\(known: win-01, win-02, win-03, ${spare}\\)\\n$`,
              ),
            );
          }
        },
      );

      await t.step(
        "with Hatchet unreachable: targets list says cordoned=unknown (JSON null), cordon exits 3",
        async () => {
          const down = {
            WIN_AUTOMATION_HATCHET_HTTP_URL: "http://127.0.0.1:9",
            WIN_AUTOMATION_HATCHET_GRPC_ADDRESS: "127.0.0.1:9",
          };
          const text = await cli(["targets", "list"], down);
          assert.equal(text.code, 3, text.stderr);
          assert.deepEqual(
            lines(text.stdout).map((l) => l.cordoned),
            ["unknown", "unknown", "unknown", "unknown"],
          );
          const json = await cli(["targets", "list", "--json"], down);
          const parsed = JSON.parse(json.stdout) as {
            targets: { cordoned: unknown }[];
          };
          assert.deepEqual(parsed.targets.map((x) => x.cordoned), [
            null,
            null,
            null,
            null,
          ]);
          const c = await cli(["targets", "cordon", "win-01"], down);
          assert.equal(c.code, 3, c.stderr);
          assert.equal(c.stdout, "");
          assert.match(c.stderr, /unreachable/);
        },
      );

      await t.step(
        "a target no worker serves: cordon exit 1 with the fix, uncordon a no-op",
        async () => {
          const r = await cli(["targets", "cordon", spare]);
          assert.equal(r.code, 1, r.stdout + r.stderr);
          assert.equal(r.stdout, "");
          assert.match(
            r.stderr,
            /Cannot cordon target .*: no worker serves it/,
          );
          assert.ok(r.stderr.includes(`win-automation-worker@${spare}`));
          assert.ok(!hasStackTrace(r.stderr), r.stderr);
          const u = await cordon("uncordon", spare);
          assert.equal(u.cordoned, "no");
          assert.equal(u.workers, "0");
        },
      );

      const w1 = await startWorker(env, ["--target", "win-01"]);
      workers.push(w1);
      const w23 = await startWorker(env, ["--targets", "win-02,win-03"]);
      workers.push(w23);
      // Negative control for the restart step: workers of uncordoned
      // targets start without a cordon.
      for (const w of [w1, w23]) {
        assert.doesNotMatch(w.stderr(), /cordoned=/, w.stderr());
      }

      let queued = "";
      await t.step(
        "cordon win-01: its job stays queued over several scheduler reloads while win-02's completes",
        async () => {
          const c = await cordon("cordon", "win-01");
          assert.equal(c.target, "win-01");
          assert.equal(c.cordoned, "yes");
          assert.ok(Number(c.changed) >= 1, JSON.stringify(c));
          assert.equal(c.shared_with, undefined);
          // Twice is harmless: nothing left to change.
          const again = await cordon("cordon", "win-01");
          assert.equal(again.cordoned, "yes");
          assert.equal(again.changed, "0");

          const list = await listed();
          assert.equal(list["win-01"]!.cordoned, "yes");
          assert.match(list["win-01"]!.served_by!, / cordoned/);
          assert.equal(list["win-02"]!.cordoned, "no");
          assert.equal(list["win-01"]!.active, "1");

          queued = await enqueue("win-01");
          const control = await enqueue("win-02");
          const done = await watch(control);
          assert.equal(done.code, 0, done.r.stdout + done.r.stderr);
          assert.equal(done.line.state, "completed");
          assert.deepEqual(await observe(queued, OBSERVE_MS), ["queued"]);
          assert.ok(!w1.stderr().includes(queued), "win-01's worker saw it");
        },
      );

      await t.step(
        "doctor --target win-01 warns that it is cordoned, with the way back",
        async () => {
          const r = await cli(["doctor", "--target", "win-01"]);
          const w = lines(r.stdout).find((l) => l.check === "worker")!;
          assert.equal(w.state, "warn", r.stdout);
          assert.equal(w.cordoned, "yes");
          assert.equal(w.fix, "win-automation targets uncordon win-01");
          const other = await cli(["doctor", "--target", "win-02"]);
          const o = lines(other.stdout).find((l) => l.check === "worker")!;
          assert.equal(o.state, "ok", other.stdout);
        },
      );

      await t.step(
        "cordon win-02 on the worker shared with win-03: win-02's job waits, win-03's runs on the same worker",
        async () => {
          const c = await cordon("cordon", "win-02");
          assert.equal(c.cordoned, "yes");
          assert.equal(c.shared_with, "win-03");
          const held = await enqueue("win-02");
          const runs = await enqueue("win-03");
          const done = await watch(runs);
          assert.equal(done.line.state, "completed", done.r.stderr);
          assert.ok(
            w23.stderr().includes(runs),
            "win-03 ran on the shared worker",
          );
          assert.deepEqual(await observe(held, OBSERVE_MS), ["queued"]);
          const list = await listed();
          assert.equal(list["win-02"]!.cordoned, "yes");
          assert.equal(list["win-03"]!.cordoned, "no");
          await cordon("uncordon", "win-02");
          const after = await watch(held);
          assert.equal(after.line.state, "completed", after.r.stderr);
        },
      );

      await t.step(
        "a restarted worker keeps win-01's cordon: it registers cordoned, the job still waits, a new one ends undeliverable past schedule_timeout, uncordon runs the first",
        async () => {
          assert.equal(await w1.stop("SIGTERM"), 0, w1.stderr().slice(-2000));
          workers.splice(workers.indexOf(w1), 1);
          // It declares the tasks with an 8 s schedule_timeout (the last
          // worker to start sets the task options): runs enqueued from now on
          // wait 8 s for a worker, the queued one keeps the 5 m it got.
          const again = await startWorker(
            { ...env, WIN_AUTOMATION_HATCHET_SCHEDULE_TIMEOUT: "8s" },
            ["--target", "win-01"],
          );
          workers.push(again);
          const ready = parseLine(
            again.stderr().split("\n").find((l) =>
              l.includes('msg="worker ready"')
            )!,
          );
          assert.equal(ready.cordoned, "win-01");
          const list = await listed();
          assert.equal(list["win-01"]!.cordoned, "yes");
          assert.equal(list["win-01"]!.active, "1");
          // A job for the cordoned target ends undeliverable past its
          // schedule_timeout; the one enqueued before is still queued.
          const short = await enqueue("win-01");
          const gone = await watch(short);
          assert.equal(gone.code, 1, gone.r.stdout + gone.r.stderr);
          assert.equal(gone.line.state, "undeliverable");
          assert.deepEqual(await observe(queued, OBSERVE_MS), ["queued"]);
          for (const id of [queued, short]) {
            assert.ok(!again.stderr().includes(id), `the new worker saw ${id}`);
          }

          const u = await cordon("uncordon", "win-01");
          assert.equal(u.cordoned, "no");
          const done = await watch(queued);
          assert.equal(done.code, 0, done.r.stdout + done.r.stderr);
          assert.equal(done.line.state, "completed");
          assert.ok(again.stderr().includes(queued), "the new worker ran it");
          const end = await listed();
          for (const name of ["win-01", "win-02", "win-03"]) {
            assert.equal(end[name]!.cordoned, "no", name);
          }
        },
      );
    } finally {
      for (const name of ["win-01", "win-02", "win-03"]) {
        await cli(["targets", "uncordon", name]);
      }
      for (const w of workers) {
        const code = await w.stop("SIGTERM");
        assert.equal(code, 0, w.stderr().slice(-2000));
        assert.ok(!hasStackTrace(w.stderr()), "no stack trace in a worker log");
      }
      await Deno.remove(dir, { recursive: true });
      await labUp();
    }
  },
);
