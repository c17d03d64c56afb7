import { assert } from "@test/assert";
import { paceBatch, type TargetOutcome, type TargetState } from "./mod.ts";

/**
 * A batch over fake targets whose work ends when the test says: records
 * the order of starts and the most running at once.
 */
function fakeBatch(results: Record<string, TargetState>) {
  const started: string[] = [];
  let running = 0;
  let most = 0;
  const ends = new Map<string, () => void>();
  return {
    started,
    most: () => most,
    options: {
      targets: Object.keys(results),
      start: (target: string) => {
        started.push(target);
        running++;
        most = Math.max(most, running);
        return Promise.resolve(target);
      },
      wait: (target: string) =>
        new Promise<TargetOutcome>((resolve) => {
          ends.set(target, () => {
            running--;
            resolve({ target, state: results[target]! });
          });
          // Ends on the next turn: the pacer must wait for it.
          setTimeout(() => ends.get(target)!(), 0);
        }),
      isError: (o: TargetOutcome) => o.state !== "completed",
    },
  };
}

Deno.test("paceBatch() never runs more than maxConcurrency and starts every target when nothing fails", async () => {
  const targets = Object.fromEntries(
    Array.from({ length: 7 }, (_, i) => [`t${i}`, "completed" as const]),
  );
  for (const n of [1, 2, 3, 7, 10]) {
    const b = fakeBatch(targets);
    const out = await paceBatch({
      ...b.options,
      maxConcurrency: n,
      maxErrors: 0,
    });
    assert.deepEqual(out.map((o) => o.state), Array(7).fill("completed"));
    assert.deepEqual(b.started, Object.keys(targets));
    assert.equal(b.most(), Math.min(n, 7), `maxConcurrency ${n}`);
  }
});

Deno.test("paceBatch(): past maxErrors the targets not started are skipped; those running finish", async () => {
  const results: Record<string, TargetState> = {
    a: "failed",
    b: "completed",
    c: "completed",
  };
  // One at a time, no error allowed: the first failure stops the rest.
  let b = fakeBatch(results);
  let out = await paceBatch({ ...b.options, maxConcurrency: 1, maxErrors: 0 });
  assert.deepEqual(out.map((o) => o.state), ["failed", "skipped", "skipped"]);
  assert.deepEqual(b.started, ["a"]);
  // Negative control: one error allowed, everything runs.
  b = fakeBatch(results);
  out = await paceBatch({ ...b.options, maxConcurrency: 1, maxErrors: 1 });
  assert.deepEqual(out.map((o) => o.state), [
    "failed",
    "completed",
    "completed",
  ]);
  // Two at a time: b was already running when a failed; it finishes, c is skipped.
  b = fakeBatch(results);
  out = await paceBatch({ ...b.options, maxConcurrency: 2, maxErrors: 0 });
  assert.deepEqual(out.map((o) => o.state), ["failed", "completed", "skipped"]);
  // Unreachable counts only when isError says so (--ignore-unreachable).
  const unreachable = { a: "unreachable", b: "completed" } as const;
  b = fakeBatch(unreachable);
  out = await paceBatch({
    ...b.options,
    isError: (o) => o.state === "failed",
    maxConcurrency: 1,
    maxErrors: 0,
  });
  assert.deepEqual(out.map((o) => o.state), ["unreachable", "completed"]);
  b = fakeBatch(unreachable);
  out = await paceBatch({ ...b.options, maxConcurrency: 1, maxErrors: 0 });
  assert.deepEqual(out.map((o) => o.state), ["unreachable", "skipped"]);
});

Deno.test("paceBatch(): after an abort nothing more starts and the rest are cancelled", async () => {
  const b = fakeBatch({ a: "completed", b: "completed", c: "completed" });
  const controller = new AbortController();
  const out = await paceBatch({
    ...b.options,
    start: (t) => {
      controller.abort();
      return b.options.start(t);
    },
    signal: controller.signal,
    maxConcurrency: 1,
    maxErrors: 0,
  });
  assert.deepEqual(out.map((o) => o.state), [
    "completed",
    "cancelled",
    "cancelled",
  ]);
  await assert.rejects(
    () => paceBatch({ ...b.options, maxConcurrency: 0, maxErrors: 0 }),
    RangeError,
  );
});
