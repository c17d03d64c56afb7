import { assert } from "@test/assert";
import { workerInfoOf, type WorkerRow, workersServing } from "./workers.ts";

const row = (over: Partial<WorkerRow>): WorkerRow => ({
  metadata: { id: "w" },
  name: "w",
  ...over,
});

Deno.test("workerInfoOf() reads the targets from target.<name> labels, the version label, the slots and the status", () => {
  const info = workerInfoOf(row({
    name: "default_win-automation",
    status: "ACTIVE",
    lastHeartbeatAt: "2026-12-07T03:00:00Z",
    slotConfig: { default: { available: 2, limit: 5 } },
    labels: [
      { key: "target.win-01", value: "1" },
      { key: "version", value: "1.4.0" },
      { key: "target.win-02", value: "1" },
      { key: "targets", value: "not a target label" },
    ],
    runtimeInfo: { sdkVersion: "1.33.2" },
  }));
  assert.deepEqual(info.targets, ["win-01", "win-02"]);
  assert.equal(info.version, "1.4.0");
  assert.deepEqual(info.slots, { available: 2, limit: 5 });
  assert.equal(info.status, "ACTIVE");
  assert.equal(info.sdkVersion, "1.33.2");
  // A row without labels, slots or status serves nothing and is not active.
  const bare = workerInfoOf(row({}));
  assert.deepEqual(bare.targets, []);
  assert.equal(bare.slots, null);
  assert.equal(bare.status, "INACTIVE");
  assert.equal(bare.lastHeartbeatAt, null);
});

Deno.test("workersServing() keeps the workers with the target's label, active first", () => {
  const w = (id: string, status: string, targets: string[]) =>
    workerInfoOf(row({
      metadata: { id },
      name: id,
      status,
      labels: targets.map((t) => ({ key: `target.${t}`, value: "1" })),
    }));
  const all = [
    w("a", "INACTIVE", ["win-01"]),
    w("b", "ACTIVE", ["win-02"]),
    w("c", "PAUSED", ["win-01", "win-02"]),
    w("d", "ACTIVE", ["win-01"]),
  ];
  assert.deepEqual(workersServing(all, "win-01").map((x) => x.id), [
    "d",
    "c",
    "a",
  ]);
  assert.deepEqual(workersServing(all, "win-02").map((x) => x.id), ["b", "c"]);
  assert.deepEqual(workersServing(all, "win-0"), []);
});
