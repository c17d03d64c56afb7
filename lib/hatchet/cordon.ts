/**
 * Cordoning a target: its workers take none of its new jobs, their running
 * jobs go on, and the cordon is kept on the engine's own worker records.
 *
 * A worker serving target `t` carries the label `target.t`; every run asks
 * for `target.t` = 1 with `required: true` (routing.ts). A cordon sets the
 * label to 0 on every worker Hatchet lists for `t` (the dispatcher's
 * `UpsertWorkerLabels`, which the engine merges per key), so the scheduler,
 * which reloads the workers and their labels every 5 s
 * (`pkg/scheduling/v1/lease_manager.go`, `setWorkers` in `scheduler.go`),
 * no longer matches them for `t` (`computeWeight` in `worker.go`: a required
 * label that does not match excludes the worker). Unlike pausing the worker
 * (`workers.pause`), this cordons one target of a worker that serves several
 * and leaves its other targets running.
 *
 * A restarted worker registers as a new worker with new labels. It keeps a
 * cordon because it reads Hatchet's worker list before registering and
 * starts with `target.t` = 0 when the workers it replaces say so
 * ({@linkcode startCordons}); no state of our own is stored anywhere.
 * @module
 */
import type { HatchetClient } from "@hatchet-dev/typescript-sdk";
import { OperationalError } from "../errors/mod.ts";
import { delay } from "../retry/mod.ts";
import { hatchetError } from "./errors.ts";
import { CORDONED_VALUE, SERVING_VALUE, targetLabel } from "./routing.ts";
import { listWorkers, type WorkerInfo, workersServing } from "./workers.ts";

/**
 * A target's cordon as its workers' labels say: `yes` (every witness is
 * cordoned), `no` (none is, or no worker is listed) or `partial` (some are:
 * a cordon or uncordon that did not reach every worker; run it again).
 */
export type CordonState = "yes" | "no" | "partial";

/** The statuses of a worker that is connected (a heartbeat in the last 5 s). */
const LIVE = new Set(["ACTIVE", "PAUSED"]);

/**
 * The workers whose `target.<name>` says whether `target` is cordoned: the
 * live ones serving it; with none live, the one with the newest heartbeat
 * (the engine lists workers with a heartbeat in the last 24 h), so a cordon
 * outlives a worker that is down.
 */
export function cordonWitnesses(
  workers: readonly WorkerInfo[],
  target: string,
): WorkerInfo[] {
  const serving = workersServing(workers, target);
  const live = serving.filter((w) => LIVE.has(w.status));
  if (live.length > 0) return live;
  const newest =
    [...serving].sort((a, b) =>
      (b.lastHeartbeatAt ?? "").localeCompare(a.lastHeartbeatAt ?? "")
    )[0];
  return newest ? [newest] : [];
}

/** Whether `target` is cordoned, from Hatchet's worker list. */
export function cordonState(
  workers: readonly WorkerInfo[],
  target: string,
): CordonState {
  const witnesses = cordonWitnesses(workers, target);
  const n = witnesses.filter((w) => w.cordoned.includes(target)).length;
  return n === 0 ? "no" : n === witnesses.length ? "yes" : "partial";
}

/**
 * The targets a worker about to start keeps cordoned: each of its `targets`
 * whose cordon state is `yes` or `partial` (a half-done cordon keeps the
 * host out of work rather than into it).
 */
export function startCordons(
  workers: readonly WorkerInfo[],
  targets: readonly string[],
): string[] {
  return targets.filter((t) => cordonState(workers, t) !== "no");
}

/** What {@linkcode setCordon} needs of Hatchet. */
export interface CordonApi {
  /** Hatchet's worker list. */
  list: () => Promise<WorkerInfo[]>;
  /** Sets one label on one worker (the engine merges per key). */
  setLabel: (workerId: string, key: string, value: number) => Promise<void>;
  /** Waits `ms` (injected so tests do not sleep). */
  sleep: (ms: number) => Promise<void>;
}

/**
 * The real {@linkcode CordonApi}: the REST worker list, and the dispatcher's
 * `UpsertWorkerLabels` (gRPC), which the engine accepts for any worker of
 * the token's tenant (`internal/services/dispatcher/server.go`).
 */
export function hatchetCordonApi(
  hatchet: HatchetClient,
  endpoints: { httpUrl: string; grpcAddress: string },
): CordonApi {
  return {
    list: () => listWorkers(hatchet, endpoints.httpUrl),
    setLabel: async (workerId, key, value) => {
      try {
        await hatchet.dispatcher.upsertWorkerLabels(workerId, { [key]: value });
      } catch (error) {
        throw hatchetError(
          `set ${key} on worker ${workerId}`,
          endpoints.grpcAddress,
          error,
        );
      }
    },
    sleep: (ms) => delay(ms),
  };
}

/** Options for {@linkcode setCordon}. */
export interface SetCordonOptions {
  /**
   * How long after a change before the worker list is read again: the
   * scheduler's 5 s reload and a margin, so that when a cordon returns no
   * new job of the target can start any more. @default 6000
   */
  settleMs?: number;
  /** How many times workers that appeared meanwhile are corrected. @default 3 */
  rounds?: number;
}

/** What {@linkcode setCordon} did. */
export interface CordonResult {
  target: string;
  /** The target's cordon state afterwards. */
  cordoned: CordonState;
  /** The workers Hatchet lists for the target (live or not). */
  workers: number;
  /** Label writes made (0: it already was so). */
  changed: number;
  /** The other targets its connected workers serve, which keep taking jobs. */
  sharedWith: string[];
}

/**
 * Cordons (`cordon: true`) or uncordons `target`: sets `target.<name>` to 0
 * or 1 on every worker Hatchet lists for it, live or not (an inactive
 * worker's label is what a restarted worker reads). After a change it waits
 * `settleMs` and reads the list again, correcting workers that started
 * meanwhile with the old value, until a read shows none left (at most
 * `rounds` times). Doing it twice is harmless: the second finds nothing to
 * change and returns at once.
 *
 * Cordoning a target no worker is listed for fails (exit 1): there is
 * nothing to cordon and nowhere to keep the cordon, and a worker started
 * later would take the target's jobs. Uncordoning one is a no-op.
 */
export async function setCordon(
  api: CordonApi,
  target: string,
  cordon: boolean,
  options: SetCordonOptions = {},
): Promise<CordonResult> {
  const { settleMs = 6_000, rounds = 3 } = options;
  if (settleMs < 0) throw new RangeError("settleMs must be >= 0");
  if (!Number.isInteger(rounds) || rounds < 1) {
    throw new RangeError("rounds must be an integer >= 1");
  }
  const key = targetLabel(target);
  const value = cordon ? CORDONED_VALUE : SERVING_VALUE;
  let serving = workersServing(await api.list(), target);
  if (serving.length === 0 && cordon) {
    throw new OperationalError(
      `Cannot cordon target "${target}": no worker serves it (none carries ${key} in Hatchet's worker list, which keeps workers seen in the last 24 h), so there is nothing to cordon and nowhere to keep the cordon; a worker started later would take its jobs. Start its worker (systemctl enable --now win-automation-worker@${target}) and cordon it then`,
      { fields: { target, workers: 0 } },
    );
  }
  let changed = 0;
  for (let round = 0;; round++) {
    const wrong = serving.filter((w) => w.cordoned.includes(target) !== cordon);
    for (const w of wrong) await api.setLabel(w.id, key, value);
    changed += wrong.length;
    // Nothing to change at first: it already was so. Nothing left after a
    // settle: every worker, old or new, says so.
    if (wrong.length === 0) break;
    if (round === rounds) {
      throw new OperationalError(
        `Cannot ${
          cordon ? "cordon" : "uncordon"
        } target "${target}": workers kept starting with ${key} unchanged after ${rounds} rounds; run it again`,
        { fields: { target, workers: serving.length } },
      );
    }
    await api.sleep(settleMs);
    serving = workersServing(await api.list(), target);
  }
  // Only connected workers go on taking the other targets' jobs; a stopped
  // worker's targets (an old unit, a test's worker) are not shared now.
  const sharedWith = [
    ...new Set(
      serving.filter((w) => LIVE.has(w.status)).flatMap((w) => w.targets)
        .filter((t) => t !== target),
    ),
  ].sort();
  return {
    target,
    cordoned: serving.length === 0 ? "no" : cordon ? "yes" : "no",
    workers: serving.length,
    changed,
    sharedWith,
  };
}
