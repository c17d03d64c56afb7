import { assert } from "@test/assert";
import { DesktopLock } from "./desktop_lock.ts";

Deno.test("DesktopLock holds a host until its holder frees it; other hosts run at once", async () => {
  const lock = new DesktopLock();
  const order: string[] = [];
  const freeA = await lock.acquire("h1");
  const second = lock.acquire("h1").then((free) => {
    order.push("second");
    return free;
  });
  const other = await lock.acquire("h2");
  order.push("other host");
  await new Promise((r) => setTimeout(r, 20));
  assert.deepEqual(order, ["other host"], "h1 still held");
  order.push("first freed");
  freeA();
  const freeB = await second;
  assert.deepEqual(order, ["other host", "first freed", "second"]);
  freeB();
  other();
  assert.equal(lock.busy("h1"), false);
  assert.equal(lock.busy("h2"), false);
});

Deno.test("DesktopLock: an abort while waiting takes nothing and the next waiter still follows the holder", async () => {
  const lock = new DesktopLock();
  const freeA = await lock.acquire("h");
  const ac = new AbortController();
  const waiting = lock.acquire("h", ac.signal);
  let third = false;
  const next = lock.acquire("h").then((f) => {
    third = true;
    return f;
  });
  ac.abort(new Error("cancelled"));
  await assert.rejects(() => waiting, /cancelled/);
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(third, false, "the holder still holds");
  freeA();
  (await next)();
  assert.equal(third, true);
  assert.equal(lock.busy("h"), false);
});
