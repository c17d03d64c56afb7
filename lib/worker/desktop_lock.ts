/**
 * The worker's own hold on a Windows desktop, per target `desktop` (by
 * default `ssh_host:ssh_port`; two targets may name one): one Aloha task at a
 * time, held until that task has really ended. Hatchet's concurrency group
 * (`input.host`, one run) is the fleet-wide lock, but the engine frees it
 * when a run ends in its own record: at a cancellation (before the worker
 * has stopped the task) and at the execution timeout. This lock is held by
 * the job's body until Aloha's task ended (its completion line, or the
 * stop's confirmation), so a next `aloha.run` on this worker waits instead
 * of meeting `409 busy`. It covers the jobs of one worker process.
 */
export class DesktopLock {
  #tails = new Map<string, Promise<void>>();

  /**
   * Waits until `key` is free, then holds it; the returned function frees
   * it. An abort while waiting rejects with the signal's reason and takes
   * nothing.
   */
  async acquire(key: string, signal?: AbortSignal): Promise<() => void> {
    const before = this.#tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((resolve) => release = resolve);
    // The next holder waits for this one, and for the one before it.
    const tail = before.then(() => mine);
    this.#tails.set(key, tail);
    const free = () => {
      release();
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    };
    try {
      await abortable(before, signal);
    } catch (error) {
      free();
      throw error;
    }
    return free;
  }

  /** Whether someone holds or waits for `key`. */
  busy(key: string): boolean {
    return this.#tails.has(key);
  }
}

function abortable(p: Promise<void>, signal?: AbortSignal): Promise<void> {
  if (!signal) return p;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    p.then(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    });
  });
}
