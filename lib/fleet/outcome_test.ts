import { assert } from "@test/assert";
import { encodeLine, parseLine } from "../log/mod.ts";
import {
  fleetExitCode,
  outcomeFields,
  outcomeOfError,
  summarize,
  summaryLine,
  type TargetOutcome,
  type TargetState,
} from "./mod.ts";

const of = (...states: TargetState[]): TargetOutcome[] =>
  states.map((state, i) => ({ target: `win-0${i + 1}`, state }));

Deno.test("the summary counts each state and prints the five fields, a batch three more", () => {
  const s = summarize(of("completed", "failed", "unreachable", "skipped"));
  assert.equal(
    summaryLine(s),
    "summary targets=4 completed=1 failed=1 unreachable=1 timeout=0",
  );
  const batch = parseLine(summaryLine(s, { batch: true }).slice(8));
  assert.deepEqual(batch, {
    targets: "4",
    completed: "1",
    failed: "1",
    unreachable: "1",
    timeout: "0",
    skipped: "1",
    cancelled: "0",
    pending: "0",
  });
});

Deno.test("exit codes: 0 all completed, 1 any failure, 3 only unreachable, 4 only timeouts", () => {
  const cases: [TargetState[], number][] = [
    [["completed", "completed", "completed"], 0],
    [[], 0],
    [["completed", "failed", "completed"], 1],
    [["failed", "unreachable"], 1],
    [["failed", "timeout"], 1],
    [["completed", "unreachable"], 3],
    [["unreachable", "unreachable"], 3],
    [["completed", "timeout"], 4],
    [["unreachable", "timeout"], 1],
    [["failed", "skipped", "skipped"], 1],
    [["unreachable", "skipped"], 1],
    [["cancelled", "completed"], 1],
    [["completed", "pending"], 0],
    [["unreachable", "pending"], 3],
  ];
  for (const [states, code] of cases) {
    assert.equal(fleetExitCode(summarize(of(...states))), code, states.join());
  }
});

Deno.test("a target's line leaves out what is not known and keeps the order", () => {
  assert.equal(
    encodeLine(outcomeFields({ target: "a", state: "unreachable" }, {
      run_id: "r",
    })),
    "target=a state=unreachable run_id=r",
  );
  assert.equal(
    encodeLine(outcomeFields({
      target: "a",
      state: "failed",
      exit_code: 2,
      duration_ms: 10,
    })),
    "target=a state=failed exit_code=2 duration_ms=10",
  );
});

Deno.test("outcomeOfError() maps exit 3 to unreachable, exit 4 to timeout, anything else to failed, keeping the run id", async () => {
  const { DependencyError, TimeoutError, OperationalError } = await import(
    "../errors/mod.ts"
  );
  const down = outcomeOfError(
    "a",
    new DependencyError("no route", { fields: { run_id: "r1" } }),
    5,
  );
  assert.deepEqual(down.outcome, {
    target: "a",
    state: "unreachable",
    duration_ms: 5,
  });
  assert.equal(down.runId, "r1");
  assert.equal(down.error, "no route");
  assert.equal(
    outcomeOfError("a", new TimeoutError("late")).outcome.state,
    "timeout",
  );
  assert.equal(
    outcomeOfError("a", new OperationalError("lost")).outcome.state,
    "failed",
  );
  const plain = outcomeOfError("a", new Error("bug"));
  assert.equal(plain.outcome.state, "failed");
  assert.equal(plain.runId, undefined);
});
