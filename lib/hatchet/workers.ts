import type { HatchetClient } from "@hatchet-dev/typescript-sdk";
import { hatchetError } from "./errors.ts";
import { CORDONED_VALUE } from "./routing.ts";

/** The label a worker carries for each target it serves: `target.<name>`. */
export const TARGET_LABEL_PREFIX = "target.";

/** The label a worker carries with its win-automation version. */
export const VERSION_LABEL = "version";

/** A worker as Hatchet's worker list shows it. */
export interface WorkerInfo {
  id: string;
  name: string;
  /**
   * `ACTIVE` (a heartbeat in the engine's last 5 s, not paused), `PAUSED`
   * or `INACTIVE`, as the engine computes it.
   */
  status: string;
  /** Its last heartbeat (RFC 3339), or null when it never sent one. */
  lastHeartbeatAt: string | null;
  /** Its slots over every slot type; null when the engine says nothing. */
  slots: { available: number | null; limit: number } | null;
  /** The `version` label's value; empty when it has none. */
  version: string;
  /** The Hatchet SDK version it reported. */
  sdkVersion: string;
  /** The targets it serves: its `target.<name>` labels, in label order. */
  targets: string[];
  /**
   * The served targets it is cordoned for: `target.<name>` = 0, which a
   * run's required `target.<name>` = 1 does not match (lib/hatchet/cordon.ts).
   */
  cordoned: string[];
}

/** The part of a REST worker row this module reads. */
export interface WorkerRow {
  metadata: { id: string };
  name: string;
  status?: string;
  lastHeartbeatAt?: string;
  slotConfig?: Record<string, { available?: number; limit: number }>;
  labels?: { key: string; value?: string }[];
  runtimeInfo?: { sdkVersion?: string };
}

/** One REST worker row as a {@linkcode WorkerInfo}. */
export function workerInfoOf(row: WorkerRow): WorkerInfo {
  const labels = row.labels ?? [];
  const targetLabels = labels.filter((l) =>
    l.key.startsWith(TARGET_LABEL_PREFIX)
  );
  const nameOf = (l: { key: string }) =>
    l.key.slice(TARGET_LABEL_PREFIX.length);
  const slotTypes = Object.values(row.slotConfig ?? {});
  const slots = slotTypes.length === 0 ? null : {
    limit: slotTypes.reduce((n, s) => n + s.limit, 0),
    available: slotTypes.every((s) => typeof s.available === "number")
      ? slotTypes.reduce((n, s) => n + (s.available ?? 0), 0)
      : null,
  };
  return {
    id: row.metadata.id,
    name: row.name,
    status: row.status ?? "INACTIVE",
    lastHeartbeatAt: row.lastHeartbeatAt ?? null,
    slots,
    version: labels.find((l) => l.key === VERSION_LABEL)?.value ?? "",
    sdkVersion: row.runtimeInfo?.sdkVersion ?? "",
    targets: targetLabels.map(nameOf),
    cordoned: targetLabels.filter((l) => l.value === String(CORDONED_VALUE))
      .map(nameOf),
  };
}

/** The workers that carry `target.<name>`, active ones first. */
export function workersServing(
  workers: readonly WorkerInfo[],
  target: string,
): WorkerInfo[] {
  const rank = (w: WorkerInfo) =>
    w.status === "ACTIVE" ? 0 : w.status === "PAUSED" ? 1 : 2;
  return workers.filter((w) => w.targets.includes(target))
    .sort((a, b) => rank(a) - rank(b));
}

/**
 * Every worker Hatchet knows (the engine lists those with a heartbeat in the
 * last 24 h) with its labels. Throws a DependencyError (exit 3) when Hatchet
 * cannot be reached.
 */
export async function listWorkers(
  hatchet: HatchetClient,
  endpoint: string,
): Promise<WorkerInfo[]> {
  try {
    const list = await hatchet.workers.list();
    return (list.rows ?? []).map((row) => workerInfoOf(row as WorkerRow));
  } catch (error) {
    throw hatchetError("list Hatchet's workers", endpoint, error);
  }
}
