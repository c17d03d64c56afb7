import { assert } from "@test/assert";
import { isJobId, isTraceId, newJobId, newTraceId } from "./ids.ts";

Deno.test("isJobId() accepts a UUID in either case and refuses paths and near misses", () => {
  assert.equal(isJobId("7d0c1a52-3b4e-4f6a-8c9d-0e1f2a3b4c5d"), true);
  assert.equal(isJobId("7D0C1A52-3B4E-4F6A-8C9D-0E1F2A3B4C5D"), true);
  assert.equal(isJobId(newJobId()), true);
  for (
    const bad of ["", "../x", "7d0c1a52-3b4e-4f6a-8c9d-0e1f2a3b4c5", "/tmp"]
  ) {
    assert.equal(isJobId(bad), false, bad);
  }
});

Deno.test("isTraceId() accepts new trace ids and refuses separators", () => {
  assert.equal(isTraceId(newTraceId()), true);
  assert.equal(newTraceId().length, 32);
  assert.equal(isTraceId("a/b"), false);
  assert.equal(isTraceId("x".repeat(129)), false);
});
