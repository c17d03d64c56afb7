import type { ScopedLogger } from "../lib/log/mod.ts";

/** Where signal listeners are added; `Deno` by default, a fake in tests. */
export interface SignalSource {
  addSignalListener(signal: Deno.Signal, handler: () => void): void;
  removeSignalListener(signal: Deno.Signal, handler: () => void): void;
}

/** A shutdown request by SIGTERM or SIGINT, and how to stop listening. */
export interface Shutdown {
  /** Aborts at the first SIGTERM or SIGINT. */
  signal: AbortSignal;
  /** Removes the listeners. */
  dispose: () => void;
}

/**
 * Listens for SIGTERM and SIGINT: the first one logs `signal received` with
 * the signal's name and aborts the returned signal.
 */
export function onShutdown(
  log: ScopedLogger,
  source: SignalSource = Deno,
): Shutdown {
  const controller = new AbortController();
  const handler = (name: Deno.Signal) => () => {
    if (controller.signal.aborted) return;
    log.info("signal received", { signal: name });
    controller.abort();
  };
  const handlers = (["SIGTERM", "SIGINT"] as const).map((name) =>
    [name, handler(name)] as const
  );
  for (const [name, h] of handlers) source.addSignalListener(name, h);
  return {
    signal: controller.signal,
    dispose: () => {
      for (const [name, h] of handlers) source.removeSignalListener(name, h);
    },
  };
}
