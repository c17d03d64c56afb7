import { assert, rejects } from "@test/assert";
import { mapLimited } from "./mod.ts";

/** Work that records how many items run at once, released by the test. */
function gauge() {
  let running = 0;
  let most = 0;
  const started: number[] = [];
  const work = async (item: number) => {
    started.push(item);
    running++;
    most = Math.max(most, running);
    // Yield a few turns so that other lanes could start if allowed.
    for (let i = 0; i < 5; i++) await Promise.resolve();
    running--;
    return item * 10;
  };
  return { work, most: () => most, started };
}

Deno.test("mapLimited() runs at most limit items at once and keeps the items' order", async () => {
  for (const limit of [1, 2, 5]) {
    const g = gauge();
    const out = await mapLimited([1, 2, 3, 4, 5, 6], limit, g.work);
    assert.deepEqual(out, [10, 20, 30, 40, 50, 60]);
    assert.equal(g.most(), Math.min(limit, 6), `limit ${limit}`);
    assert.deepEqual(g.started, [1, 2, 3, 4, 5, 6]);
  }
});

Deno.test("mapLimited() starts no item after a rejection and rejects with it", async () => {
  const started: number[] = [];
  const error = await rejects(() =>
    mapLimited([1, 2, 3, 4], 1, (n) => {
      started.push(n);
      return n === 2 ? Promise.reject(new Error("two")) : Promise.resolve(n);
    })
  );
  assert.equal((error as Error).message, "two");
  assert.deepEqual(started, [1, 2]);
  await rejects(() => mapLimited([1], 0, () => Promise.resolve(1)));
});
