import { assert } from "@test/assert";
import { delay } from "./delay.ts";

Deno.test("delay() rejects with the signal's reason as soon as it aborts", async () => {
  const stop = new AbortController();
  const waiting = delay(3_600_000, { signal: stop.signal });
  stop.abort(new Error("stopped"));
  await assert.rejects(waiting, /stopped/);
  // Already aborted: rejects at once, no timer left behind.
  await assert.rejects(delay(3_600_000, { signal: stop.signal }), /stopped/);
});

Deno.test("delay() resolves after its time when nothing aborts", async () => {
  const stop = new AbortController();
  await delay(0, { signal: stop.signal });
  await delay(0);
  assert.throws(() => delay(-1), RangeError);
});
