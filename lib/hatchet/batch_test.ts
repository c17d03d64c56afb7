import { assert } from "@test/assert";
import {
  childKey,
  childOutcome,
  type ChildView,
  isBatchError,
} from "./batch.ts";
import { exitMessage } from "./exit_message.ts";
import { jobRowOf, metadataPairs } from "./list.ts";

const child = (over: Partial<ChildView>): ChildView => ({
  target: "win-01",
  state: "completed",
  error: null,
  started_at: "2026-01-01T00:00:00.000Z",
  ended_at: "2026-01-01T00:00:01.500Z",
  ...over,
});

Deno.test("childOutcome(): completed with the output's exit code, failed with exitMessage's, duration from start to end", () => {
  assert.deepEqual(childOutcome(child({ output: { exit_code: 0 } })), {
    target: "win-01",
    state: "completed",
    exit_code: 0,
    duration_ms: 1500,
  });
  assert.deepEqual(
    childOutcome(child({ state: "failed", error: exitMessage(2) })),
    { target: "win-01", state: "failed", exit_code: 2, duration_ms: 1500 },
  );
  // The worker's duration wins over the run's timestamps when it has one.
  assert.equal(
    childOutcome(child({ output: { exit_code: 0, duration_ms: 40 } }))
      .duration_ms,
    40,
  );
  // Negative control: a failure that is not a command's exit has no exit code.
  assert.deepEqual(
    childOutcome(child({ state: "failed", error: "something else broke" })),
    { target: "win-01", state: "failed", duration_ms: 1500 },
  );
});

Deno.test("childOutcome(): an unreachable host's error and an undeliverable job are unreachable; a time limit is timeout", () => {
  for (
    const error of [
      "Cannot connect to root@127.0.0.1:2222: ssh: connect to host 127.0.0.1 port 2222: Connection refused",
      "Error: Cannot start an ssh control master for root@10.0.0.5:22: ssh exited 255 (Connection timed out)",
    ]
  ) {
    assert.equal(
      childOutcome(child({ state: "failed", error })).state,
      "unreachable",
      error,
    );
  }
  assert.equal(
    childOutcome(child({ state: "undeliverable", started_at: null })).state,
    "unreachable",
  );
  assert.equal(
    childOutcome(child({
      state: "failed",
      error:
        "Cannot finish run r1 on root@h:22: no result within 5000ms (its process tree was stopped)",
    })).state,
    "timeout",
  );
  assert.equal(childOutcome(child({ state: "cancelled" })).state, "cancelled");
  assert.deepEqual(childOutcome(child({ state: "running", ended_at: null })), {
    target: "win-01",
    state: "pending",
  });
});

Deno.test("isBatchError(): failures, timeouts and cancels count; unreachable unless ignored; completed never", () => {
  const o = (state: ChildView["state"]) => childOutcome(child({ state }));
  assert.equal(isBatchError(o("failed"), false), true);
  assert.equal(isBatchError(o("cancelled"), false), true);
  assert.equal(isBatchError(o("undeliverable"), false), true);
  assert.equal(isBatchError(o("undeliverable"), true), false);
  assert.equal(isBatchError(o("completed"), false), false);
  assert.equal(isBatchError(o("queued"), false), false);
  assert.equal(childKey("win-02", "b1"), "win-02/batch-b1");
});

Deno.test("jobs list: the filters become AND'ed metadata pairs, and none is sent for a filter not given", () => {
  const since = new Date(0);
  assert.deepEqual(
    metadataPairs({
      target: "win-01",
      batch_id: "b",
      type: "windows.exec",
      since,
      limit: 1,
    }),
    ["target:win-01", "batch_id:b", "type:windows.exec"],
  );
  assert.deepEqual(metadataPairs({ since, limit: 1 }), []);
  assert.deepEqual(metadataPairs({ batch_id: "b", since, limit: 1 }), [
    "batch_id:b",
  ]);
});

Deno.test("jobRowOf(): a REST row as a job row, its exit code read once (childOutcome), undeliverable recognised", () => {
  const base = {
    metadata: { id: "task-1" },
    workflowRunExternalId: "run-1",
    createdAt: "2026-01-01T00:00:00Z",
    additionalMetadata: {
      target: "win-02",
      batch_id: "b",
      type: "windows.exec",
      trace_id: "t",
    },
  };
  const done = jobRowOf({
    ...base,
    status: "COMPLETED",
    startedAt: "2026-01-01T00:00:01Z",
    finishedAt: "2026-01-01T00:00:02Z",
    output: { exit_code: 0, stdout: "WIN-02\n" },
  });
  assert.equal(done.job_id, "run-1");
  assert.equal(done.target, "win-02");
  assert.equal(done.batch_id, "b");
  assert.equal(done.state, "completed");
  assert.equal(done.exit_code, 0);
  assert.equal(done.finished, "2026-01-01T00:00:02Z");
  const failed = jobRowOf({
    ...base,
    status: "FAILED",
    startedAt: "2026-01-01T00:00:01Z",
    finishedAt: "2026-01-01T00:00:02Z",
    errorMessage: JSON.stringify({ message: exitMessage(3), stack: "at x" }),
  });
  assert.equal(failed.state, "failed");
  assert.equal(failed.exit_code, 3);
  const undeliverable = jobRowOf({
    ...base,
    status: "FAILED",
    startedAt: "0001-01-01T00:00:00Z",
  });
  assert.equal(undeliverable.state, "undeliverable");
  assert.equal(undeliverable.exit_code, null);
  // Negative control: a failure with an error is failed, not undeliverable.
  assert.equal(
    jobRowOf({ ...base, status: "FAILED", errorMessage: "boom" }).state,
    "failed",
  );
  const queued = jobRowOf({
    ...base,
    status: "QUEUED",
    additionalMetadata: {},
    displayName: "windows.exec",
  });
  assert.equal(queued.type, "windows.exec");
  assert.equal(queued.batch_id, "");
  assert.equal(queued.finished, null);
});
