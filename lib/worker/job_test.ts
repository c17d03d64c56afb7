import { assert } from "@test/assert";
import { ArtifactRootError } from "../artifacts/mod.ts";
import { OperationalError, UsageError } from "../errors/mod.ts";
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
