import { assert } from "@test/assert";
import { superviseLoop } from "./loop.ts";
import type { PassResult } from "./pass.ts";

const healthy: PassResult = { healthy: true, failed: [], checks: [] };

Deno.test("superviseLoop() runs passes at the interval until the signal aborts", async () => {
  const stop = new AbortController();
  const sleeps: number[] = [];
  let passes = 0;
  const count = await superviseLoop({
    pass: () => {
      if (++passes === 3) stop.abort();
      return Promise.resolve(healthy);
    },
    intervalMs: 5_000,
    signal: stop.signal,
    sleep: (ms) => (sleeps.push(ms), Promise.resolve()),
  });
  assert.equal(count, 3);
  assert.deepEqual(sleeps, [5_000, 5_000]);
});

Deno.test("superviseLoop() keeps going after an unhealthy pass", async () => {
  const stop = new AbortController();
  let passes = 0;
  await superviseLoop({
    pass: () => {
      if (++passes === 2) stop.abort();
      return Promise.resolve({ healthy: false, failed: ["ssh"], checks: [] });
    },
    intervalMs: 1_000,
    signal: stop.signal,
    sleep: () => Promise.resolve(),
  });
  assert.equal(passes, 2);
});

Deno.test("superviseLoop() ends as soon as the signal aborts during the wait", async () => {
  const stop = new AbortController();
  const passes = superviseLoop({
    pass: () => {
      queueMicrotask(() => stop.abort());
      return Promise.resolve({ healthy: true, failed: [], checks: [] });
    },
    intervalMs: 3_600_000,
    signal: stop.signal,
  });
  assert.equal(await passes, 1);
});
