/**
 * Fleet routing with Hatchet's worker labels: a worker serving target `t`
 * carries the label `target.t` (value 1); every run asks for its target's
 * label with `required: true`. The engine treats a desired label without
 * `required` as a preference only (it defaults to false in
 * `pkg/repository/trigger.go`), so a run could land on another target's
 * worker: `required` is always sent. No sticky strategy (it turns label
 * routing off, hatchet #4936) and no `desiredWorkerId`.
 * @module
 */

/** The target of a run that names none: the one target of a config without `targets`. */
export const DEFAULT_TARGET = "default";

/** The value of `target.<name>` on a worker that takes the target's jobs. */
export const SERVING_VALUE = 1;

/**
 * The value of `target.<name>` on a worker cordoned for that target: the
 * worker still carries the key (it serves the target, its running jobs go
 * on), but a run's required `target.<name>` = 1 no longer matches it, so
 * the engine assigns it none of the target's new runs (lib/hatchet/cordon.ts).
 */
export const CORDONED_VALUE = 0;

/** The worker label that says a worker serves `target`: `target.<name>`. */
export function targetLabel(target: string): string {
  return `target.${target}`;
}

/** A run's desired worker labels, as the SDK's `RunOpts` takes them. */
export type DesiredLabels = Record<
  string,
  { value: number; required: true }
>;

/**
 * The desired worker labels that route a run to `target`'s workers only:
 * `{ "target.<name>": { value: 1, required: true } }`. The task declarations
 * carry the same for `default` (a run enqueued without labels); a run's own
 * labels replace the task's (`pkg/scheduling/v1/scheduler.go`), never merge.
 */
export function routeTo(target: string): DesiredLabels {
  if (target === "") throw new RangeError("routeTo() needs a target name");
  return { [targetLabel(target)]: { value: SERVING_VALUE, required: true } };
}

/**
 * The labels a worker registers with (the worker itself never calls the
 * SDK's `upsertLabels`, which the engine merges and the SDK replaces): one
 * `target.<name>` per served target, 1, or 0 for a target in `cordoned`
 * (a cordon the worker keeps from the workers it replaces), and `version`.
 * Only `targets cordon|uncordon` change a `target.<name>` value afterwards.
 */
export function workerLabels(
  targets: readonly string[],
  version: string,
  cordoned: readonly string[] = [],
): Record<string, string | number> {
  if (targets.length === 0) {
    throw new RangeError("workerLabels() needs at least one target");
  }
  const labels: Record<string, string | number> = { version };
  for (const t of targets) {
    labels[targetLabel(t)] = cordoned.includes(t)
      ? CORDONED_VALUE
      : SERVING_VALUE;
  }
  return labels;
}
