import type { WorkerInfo } from "../hatchet/mod.ts";
import type { CheckResult } from "./check.ts";
import { hatchetCheck, runDoctor } from "./checks.ts";
import type { ProbeDeps } from "./probes.ts";

/** One target of a fleet doctor run: its name and its own probes' deps. */
export interface DoctorTarget {
  name: string;
  deps: ProbeDeps;
}

/** Options for {@linkcode runFleetDoctor}. */
export interface FleetDoctorOptions {
  /** The targets, in order; at least one. */
  targets: DoctorTarget[];
  /** Hatchet's workers; asked once for every target's `worker` check. */
  listWorkers: () => Promise<WorkerInfo[]>;
  /** Called with each result as soon as it is known. @default undefined */
  onResult?: (result: CheckResult) => void;
}

/**
 * Doctor for targets of a config that names them. One target: today's checks
 * in today's order, each line with `target=`, then the `worker` check. Several:
 * Hatchet is checked once, first (`targets=` on its line, no `target=`), then
 * each target's checks in turn without it. The workers are listed once.
 */
export async function runFleetDoctor(
  options: FleetDoctorOptions,
): Promise<CheckResult[]> {
  const { targets, onResult } = options;
  if (targets.length === 0) {
    throw new RangeError("runFleetDoctor needs at least one target");
  }
  let workers: Promise<WorkerInfo[]> | undefined;
  const listWorkers = () => workers ??= options.listWorkers();
  const results: CheckResult[] = [];
  let hatchetResult: CheckResult | undefined;
  if (targets.length > 1) {
    hatchetResult = await hatchetCheck(targets[0]!.deps);
    hatchetResult.fields = {
      targets: targets.map((t) => t.name).join(","),
      ...hatchetResult.fields,
    };
    results.push(hatchetResult);
    onResult?.(hatchetResult);
  }
  for (const { name, deps } of targets) {
    results.push(
      ...await runDoctor({
        ...deps,
        target: name,
        hatchetResult,
        listWorkers,
        onResult,
      }),
    );
  }
  return results;
}
