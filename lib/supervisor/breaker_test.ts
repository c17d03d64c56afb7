import { assert } from "@test/assert";
import { CircuitBreaker } from "./breaker.ts";

function clocked() {
  let t = 1_000;
  const breaker = new CircuitBreaker({ now: () => t });
  return { breaker, advance: (ms: number) => t += ms };
}

Deno.test("CircuitBreaker stays closed below 3 consecutive failures", () => {
  const { breaker } = clocked();
  breaker.failure();
  breaker.failure();
  assert.equal(breaker.state, "closed");
  assert.ok(breaker.allows);
  breaker.success();
  breaker.failure();
  breaker.failure();
  assert.equal(breaker.state, "closed");
});

Deno.test("CircuitBreaker opens after 3 consecutive failures and refuses attempts for 60 s", () => {
  const { breaker, advance } = clocked();
  for (let i = 0; i < 3; i++) breaker.failure();
  assert.equal(breaker.state, "open");
  assert.equal(breaker.allows, false);
  advance(59_999);
  assert.equal(breaker.state, "open");
  advance(1);
  assert.equal(breaker.state, "half_open");
  assert.ok(breaker.allows);
});

Deno.test("CircuitBreaker closes when the half-open trial succeeds", () => {
  const { breaker, advance } = clocked();
  for (let i = 0; i < 3; i++) breaker.failure();
  advance(60_000);
  breaker.success();
  assert.equal(breaker.state, "closed");
  assert.equal(breaker.failures, 0);
  breaker.failure();
  assert.equal(breaker.state, "closed");
});

Deno.test("CircuitBreaker re-opens for another 60 s when the half-open trial fails", () => {
  const { breaker, advance } = clocked();
  for (let i = 0; i < 3; i++) breaker.failure();
  advance(60_000);
  breaker.failure();
  assert.equal(breaker.state, "open");
  advance(59_000);
  assert.equal(breaker.state, "open");
  advance(1_000);
  assert.equal(breaker.state, "half_open");
});

Deno.test("CircuitBreaker rejects a threshold that is not a positive integer", () => {
  assert.throws(() => new CircuitBreaker({ threshold: 0 }), RangeError);
});
