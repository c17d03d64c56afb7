import { assert, rejects } from "@test/assert";
import { retry } from "./retry.ts";

Deno.test("retry() stops after 3 retries of a transient failure, waiting 500ms, 1s, 2s", async () => {
  const waits: number[] = [];
  let calls = 0;
  const error = await rejects(() =>
    retry(() => {
      calls++;
      throw new Error("connection refused");
    }, {
      shouldRetry: () => true,
      sleep: (ms) => (waits.push(ms), Promise.resolve()),
    })
  );
  assert.equal((error as Error).message, "connection refused");
  assert.equal(calls, 4);
  assert.deepEqual(waits, [500, 1000, 2000]);
});

Deno.test("retry() never retries a failure that is not transient", async () => {
  let calls = 0;
  await rejects(() =>
    retry(() => {
      calls++;
      throw new Error("exit 3");
    }, { shouldRetry: () => false, sleep: () => Promise.resolve() })
  );
  assert.equal(calls, 1);
});

Deno.test("retry() returns the first success", async () => {
  let calls = 0;
  const value = await retry(() => {
    calls++;
    if (calls < 3) throw new Error("flaky");
    return Promise.resolve("ok");
  }, { shouldRetry: () => true, sleep: () => Promise.resolve() });
  assert.equal(value, "ok");
  assert.equal(calls, 3);
});
