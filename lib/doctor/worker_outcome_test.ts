import { assert } from "@test/assert";
import { workerInfoOf } from "../hatchet/mod.ts";
import { workerOutcome } from "./checks.ts";

const worker = (name: string, status: string, targets: string[], slots = 5) =>
  workerInfoOf({
    metadata: { id: name },
    name,
    status,
    slotConfig: { default: { available: slots, limit: slots } },
    labels: targets.map((t) => ({ key: `target.${t}`, value: "1" })),
  });

Deno.test("workerOutcome() is ok with the active workers carrying target.<name>, their names and slots", () => {
  const out = workerOutcome([
    worker("a", "ACTIVE", ["win-01"], 5),
    worker("b", "ACTIVE", ["win-01", "win-02"], 3),
    worker("c", "PAUSED", ["win-01"]),
    worker("d", "ACTIVE", ["win-02"], 7),
  ], "win-01");
  assert.equal(out.state, "ok");
  assert.deepEqual(out.fields, { workers: 2, worker: "a,b", slots: 8 });
});

Deno.test("workerOutcome() fails with the worker unit's fix when none is active, counting paused and inactive ones", () => {
  const fix = "systemctl enable --now win-automation-worker@win-02";
  const none = workerOutcome([worker("a", "ACTIVE", ["win-01"])], "win-02");
  assert.equal(none.state, "error");
  assert.equal(none.fix, fix);
  assert.equal(
    none.msg,
    "no active worker serves this target: its jobs would end undeliverable",
  );
  const idle = workerOutcome([
    worker("a", "PAUSED", ["win-02"]),
    worker("b", "INACTIVE", ["win-02"]),
    worker("c", "INACTIVE", ["win-02"]),
    worker("d", "ACTIVE", ["win-01"]),
  ], "win-02");
  assert.equal(idle.state, "error");
  assert.equal(idle.fix, fix);
  assert.match(idle.msg, /\(1 paused, 2 inactive\)/);
  // An empty list (a fresh engine) is the same error, not an ok.
  assert.equal(workerOutcome([], "win-02").state, "error");
});

Deno.test("workerOutcome() warns on a cordoned target with the way back, and on a partly cordoned one; a cordon of another target does not count", () => {
  const cordoned = (name: string, cordon: string[], serves: string[]) =>
    workerInfoOf({
      metadata: { id: name },
      name,
      status: "ACTIVE",
      slotConfig: { default: { available: 5, limit: 5 } },
      labels: serves.map((t) => ({
        key: `target.${t}`,
        value: cordon.includes(t) ? "0" : "1",
      })),
    });
  const yes = workerOutcome([cordoned("a", ["win-01"], ["win-01"])], "win-01");
  assert.equal(yes.state, "warn");
  assert.equal(yes.fix, "win-automation targets uncordon win-01");
  assert.equal(yes.fields?.cordoned, "yes");
  assert.match(yes.msg, /cordoned: its new jobs wait/);
  const partial = workerOutcome([
    cordoned("a", ["win-01"], ["win-01"]),
    cordoned("b", [], ["win-01"]),
  ], "win-01");
  assert.equal(partial.state, "warn");
  assert.equal(partial.fields?.cordoned, "partial");
  // Negative control: the shared worker is cordoned for win-02 only, so
  // win-01 is ok and its line has no cordoned field.
  const other = workerOutcome(
    [cordoned("a", ["win-02"], ["win-01", "win-02"])],
    "win-01",
  );
  assert.equal(other.state, "ok");
  assert.equal(other.fields?.cordoned, undefined);
});
