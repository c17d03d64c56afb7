import { assert } from "@test/assert";
import { limitCount, limitText, parseLimit } from "./mod.ts";

Deno.test("parseLimit() takes N (0-10000) and P% (0-100), nothing else", () => {
  assert.deepEqual(parseLimit("5"), { kind: "count", value: 5 });
  assert.deepEqual(parseLimit("0"), { kind: "count", value: 0 });
  assert.deepEqual(parseLimit("10000"), { kind: "count", value: 10000 });
  assert.deepEqual(parseLimit("25%"), { kind: "percent", value: 25 });
  assert.deepEqual(parseLimit("100%"), { kind: "percent", value: 100 });
  for (
    const bad of ["", "-1", "10001", "101%", "1.5", "5 %", "%", "ten", "1e3"]
  ) {
    assert.equal(parseLimit(bad), undefined, bad);
  }
  assert.equal(limitText({ kind: "percent", value: 10 }), "10%");
  assert.equal(limitText({ kind: "count", value: 3 }), "3");
});

Deno.test("limitCount(): concurrency rounds a percentage up (at least 1, at most the targets); errors round down", () => {
  const pc = (value: number) => ({ kind: "percent" as const, value });
  const n = (value: number) => ({ kind: "count" as const, value });
  // 10% of 15 = 1.5: concurrency 2, errors 1.
  assert.equal(limitCount(pc(10), 15, "concurrency"), 2);
  assert.equal(limitCount(pc(10), 15, "errors"), 1);
  // Exact percentages are exact either way (SSM: 10% of 50 is 5).
  assert.equal(limitCount(pc(10), 50, "concurrency"), 5);
  assert.equal(limitCount(pc(10), 50, "errors"), 5);
  // A batch always starts: 1% of 3 is concurrency 1, errors 0.
  assert.equal(limitCount(pc(1), 3, "concurrency"), 1);
  assert.equal(limitCount(pc(1), 3, "errors"), 0);
  assert.equal(limitCount(pc(0), 3, "concurrency"), 1);
  assert.equal(limitCount(pc(100), 3, "concurrency"), 3);
  // A count: concurrency capped at the targets, errors as given.
  assert.equal(limitCount(n(50), 3, "concurrency"), 3);
  assert.equal(limitCount(n(2), 3, "concurrency"), 2);
  assert.equal(limitCount(n(7), 3, "errors"), 7);
  assert.throws(() => limitCount(n(1), -1, "errors"), RangeError);
});
