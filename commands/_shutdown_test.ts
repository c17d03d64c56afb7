import { assert } from "@test/assert";
import { Logger } from "../lib/log/mod.ts";
import { onShutdown, type SignalSource } from "./_shutdown.ts";

function fakeSignals() {
  const listeners = new Map<string, Set<() => void>>();
  const source: SignalSource = {
    addSignalListener: (s, h) => {
      listeners.set(s, (listeners.get(s) ?? new Set()).add(h));
    },
    removeSignalListener: (s, h) => void listeners.get(s)?.delete(h),
  };
  const send = (s: string) => listeners.get(s)?.forEach((h) => h());
  const count = () => [...listeners.values()].reduce((n, l) => n + l.size, 0);
  return { source, send, count };
}

Deno.test("onShutdown() aborts on the first SIGTERM, logs it once, and removes its listeners", () => {
  const lines: string[] = [];
  const logger = new Logger({ write: (l) => lines.push(l) });
  const fake = fakeSignals();
  const shutdown = onShutdown(
    logger.scope("supervisor", "supervisor"),
    fake.source,
  );
  assert.equal(fake.count(), 2);
  assert.equal(shutdown.signal.aborted, false);
  fake.send("SIGTERM");
  fake.send("SIGINT");
  assert.ok(shutdown.signal.aborted);
  assert.equal(lines.length, 1);
  assert.match(
    lines[0]!,
    /component=supervisor op=supervisor msg="signal received".* signal=SIGTERM/,
  );
  shutdown.dispose();
  assert.equal(fake.count(), 0);
});

Deno.test("onShutdown() aborts on SIGINT too", () => {
  const fake = fakeSignals();
  const shutdown = onShutdown(
    new Logger({ write: () => {} }).scope("hatchet", "worker"),
    fake.source,
  );
  fake.send("SIGINT");
  assert.ok(shutdown.signal.aborted);
});
