import { assert } from "@test/assert";
import { ArtifactRootError } from "../artifacts/mod.ts";
import {
  DependencyError,
  OperationalError,
  TimeoutError,
  UsageError,
} from "../errors/mod.ts";
import { RemoteExit, retryDecision } from "./job.ts";

Deno.test("retryDecision() retries a transient failure until the last attempt", () => {
  const transient = new OperationalError("ssh connection reset");
  assert.deepEqual(retryDecision(transient, 0, 2), {
    deterministic: false,
    final: false,
  });
  assert.deepEqual(retryDecision(transient, 1, 2).final, false);
  assert.deepEqual(retryDecision(transient, 2, 2), {
    deterministic: false,
    final: true,
  });
});

Deno.test("retryDecision() never retries what would fail again: a remote exit, a usage error, an artifact root", () => {
  for (
    const error of [
      new RemoteExit("remote command exited with code 3"),
      new UsageError("usage error: bad"),
      new ArtifactRootError('Cannot create the artifact root in "/x": denied'),
    ]
  ) {
    assert.deepEqual(retryDecision(error, 0, 5), {
      deterministic: true,
      final: true,
    }, error.message);
  }
});

Deno.test("retryDecision() retries a run whose outcome is unknown (the retry attaches) but not one that ended", () => {
  const unknown = new DependencyError("outcome unknown", {
    fields: { state: "unknown", run_id: "j" },
  });
  assert.equal(retryDecision(unknown, 0, 3).deterministic, false);
  for (const state of ["timeout", "killed", "lost", "not_found"]) {
    const ended = new OperationalError(`run ${state}`, {
      fields: { state, run_id: "j" },
    });
    assert.equal(retryDecision(ended, 0, 3).deterministic, true, state);
  }
  // Control: the same states without a run are not taken for a run's end.
  const plain = new TimeoutError("slow", { fields: { state: "timeout" } });
  assert.equal(retryDecision(plain, 0, 3).deterministic, false);
});
