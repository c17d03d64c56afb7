import { assert } from "@test/assert";
import { OperationalError } from "../errors/mod.ts";
import {
  type CordonApi,
  cordonState,
  cordonWitnesses,
  setCordon,
  startCordons,
} from "./cordon.ts";
import { type WorkerInfo, workerInfoOf } from "./workers.ts";

/** A worker row: `labels` maps a served target to its label value. */
const worker = (
  id: string,
  status: string,
  labels: Record<string, number>,
  heartbeat = "2026-12-07T05:00:00Z",
): WorkerInfo =>
  workerInfoOf({
    metadata: { id },
    name: id,
    status,
    lastHeartbeatAt: heartbeat,
    labels: Object.entries(labels).map(([t, v]) => ({
      key: `target.${t}`,
      value: String(v),
    })),
  });

/**
 * A fake engine: a worker list whose labels change as `setLabel` says, and
 * `arrivals[i]` joining the list at the i-th sleep (a worker starting while
 * a cordon runs).
 */
function fakeEngine(
  workers: WorkerInfo[],
  arrivals: WorkerInfo[][] = [],
) {
  const rows = new Map(workers.map((w) => [w.id, w]));
  const writes: string[] = [];
  const sleeps: number[] = [];
  const api: CordonApi = {
    list: () => Promise.resolve([...rows.values()]),
    setLabel: (id, key, value) => {
      writes.push(`${id} ${key}=${value}`);
      const w = rows.get(id)!;
      const target = key.slice("target.".length);
      const cordoned = w.cordoned.filter((t) => t !== target);
      if (value === 0) cordoned.push(target);
      rows.set(id, { ...w, cordoned });
      return Promise.resolve();
    },
    sleep: (ms) => {
      sleeps.push(ms);
      for (const w of arrivals.shift() ?? []) rows.set(w.id, w);
      return Promise.resolve();
    },
  };
  return { api, writes, sleeps, rows };
}

Deno.test("workerInfoOf() reads target.<name> = 0 as cordoned for that target only", () => {
  const w = worker("a", "ACTIVE", { "win-01": 0, "win-02": 1 });
  assert.deepEqual(w.targets, ["win-01", "win-02"]);
  assert.deepEqual(w.cordoned, ["win-01"]);
});

Deno.test("cordonState() reads the live workers' labels: yes, no, partial; none listed is no", () => {
  const all = [
    worker("a", "ACTIVE", { "win-01": 0, "win-02": 1 }),
    worker("b", "PAUSED", { "win-01": 0 }),
    worker("c", "ACTIVE", { "win-03": 0 }),
    worker("d", "ACTIVE", { "win-03": 1 }),
  ];
  assert.equal(cordonState(all, "win-01"), "yes");
  assert.equal(cordonState(all, "win-02"), "no");
  assert.equal(cordonState(all, "win-03"), "partial");
  assert.equal(cordonState(all, "win-04"), "no");
  // An inactive worker's old label does not outvote a live worker's.
  const restarted = [
    worker("old", "INACTIVE", { "win-01": 0 }, "2026-12-07T04:00:00Z"),
    worker("new", "ACTIVE", { "win-01": 1 }),
  ];
  assert.equal(cordonState(restarted, "win-01"), "no");
  assert.deepEqual(cordonWitnesses(restarted, "win-01").map((w) => w.id), [
    "new",
  ]);
});

Deno.test("cordonState() with every worker down asks the one with the newest heartbeat, so a cordon outlives a stopped worker", () => {
  const down = [
    worker("older", "INACTIVE", { "win-01": 1 }, "2026-12-07T03:00:00Z"),
    worker("newest", "INACTIVE", { "win-01": 0 }, "2026-12-07T04:00:00Z"),
    worker("never", "INACTIVE", { "win-01": 1 }, ""),
  ];
  assert.equal(cordonState(down, "win-01"), "yes");
  // Negative control: the newest one uncordoned, the target is not.
  const uncordoned = [
    worker("older", "INACTIVE", { "win-01": 0 }, "2026-12-07T03:00:00Z"),
    worker("newest", "INACTIVE", { "win-01": 1 }, "2026-12-07T04:00:00Z"),
  ];
  assert.equal(cordonState(uncordoned, "win-01"), "no");
});

Deno.test("startCordons() keeps the cordon (yes or partial) of the targets a starting worker serves, and only those", () => {
  const all = [
    worker("stopped", "INACTIVE", { "win-01": 0, "win-02": 1 }),
    worker("x", "ACTIVE", { "win-03": 0 }),
    worker("y", "ACTIVE", { "win-03": 1 }),
    worker("z", "ACTIVE", { "win-04": 0 }),
  ];
  assert.deepEqual(startCordons(all, ["win-01", "win-02", "win-03"]), [
    "win-01",
    "win-03",
  ]);
  assert.deepEqual(startCordons([], ["win-01"]), []);
});

Deno.test("setCordon() sets target.<name> = 0 on every worker listed for the target, live or not, and nothing else", async () => {
  const e = fakeEngine([
    worker("a", "ACTIVE", { "win-01": 1, "win-02": 1 }),
    worker("b", "INACTIVE", { "win-01": 1, "win-03": 1 }),
    worker("c", "ACTIVE", { "win-02": 1 }),
  ]);
  const r = await setCordon(e.api, "win-01", true, { settleMs: 7 });
  assert.deepEqual(e.writes, ["a target.win-01=0", "b target.win-01=0"]);
  assert.deepEqual(e.sleeps, [7]);
  assert.deepEqual(r, {
    target: "win-01",
    cordoned: "yes",
    workers: 2,
    changed: 2,
    // b is stopped: win-03 takes no jobs from it, so it is not shared.
    sharedWith: ["win-02"],
  });
  const after = [...e.rows.values()];
  assert.equal(cordonState(after, "win-01"), "yes");
  // Negative control: the shared worker's other target still takes jobs.
  assert.equal(cordonState(after, "win-02"), "no");
  // Uncordon puts 1 back.
  const u = await setCordon(e.api, "win-01", false, { settleMs: 7 });
  assert.equal(u.cordoned, "no");
  assert.equal(u.changed, 2);
  assert.equal(cordonState([...e.rows.values()], "win-01"), "no");
});

Deno.test("setCordon() twice: the second changes nothing and does not wait", async () => {
  const e = fakeEngine([worker("a", "ACTIVE", { "win-01": 1 })]);
  await setCordon(e.api, "win-01", true, { settleMs: 5 });
  e.writes.length = 0;
  e.sleeps.length = 0;
  const again = await setCordon(e.api, "win-01", true, { settleMs: 5 });
  assert.equal(again.changed, 0);
  assert.equal(again.cordoned, "yes");
  assert.deepEqual(e.writes, []);
  assert.deepEqual(e.sleeps, []);
});

Deno.test("setCordon() corrects a worker that registered with the old value while it waited", async () => {
  const late = worker("late", "ACTIVE", { "win-01": 1 });
  const e = fakeEngine([worker("a", "ACTIVE", { "win-01": 1 })], [[late]]);
  const r = await setCordon(e.api, "win-01", true, { settleMs: 1 });
  assert.deepEqual(e.writes, [
    "a target.win-01=0",
    "late target.win-01=0",
  ]);
  assert.equal(r.workers, 2);
  assert.equal(r.changed, 2);
  assert.deepEqual(e.sleeps, [1, 1]);
  // Workers that never stop arriving end in an error, not a false yes.
  const flood = Array.from(
    { length: 5 },
    (_, i) => [worker(`n${i}`, "ACTIVE", { "win-01": 1 })],
  );
  const f = fakeEngine([worker("a", "ACTIVE", { "win-01": 1 })], flood);
  await assert.rejects(
    () => setCordon(f.api, "win-01", true, { settleMs: 1, rounds: 2 }),
    (e) => e instanceof OperationalError && /after 2 rounds/.test(e.message),
  );
});

Deno.test("setCordon() on a target no worker is listed for: cordon fails (exit 1) naming the fix, uncordon is a no-op", async () => {
  const e = fakeEngine([worker("a", "ACTIVE", { "win-01": 1 })]);
  const err = await setCordon(e.api, "win-03", true).then(
    () => undefined,
    (error) => error,
  );
  assert.ok(err instanceof OperationalError, String(err));
  assert.equal(err.exitCode, 1);
  assert.match(err.message, /^Cannot cordon target "win-03": no worker/);
  assert.match(err.message, /win-automation-worker@win-03/);
  assert.deepEqual(e.writes, []);
  const u = await setCordon(e.api, "win-03", false);
  assert.deepEqual(u, {
    target: "win-03",
    cordoned: "no",
    workers: 0,
    changed: 0,
    sharedWith: [],
  });
  assert.deepEqual(e.sleeps, []);
});
