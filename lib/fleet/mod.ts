/**
 * What a command over several targets reports: one outcome per target, a
 * summary line and one exit code, the same for a direct fan-out
 * (`windows exec --targets`) and for a batch of jobs (`jobs batch status`);
 * a batch's limits (`--max-concurrency`, `--max-errors`) and its pacing, and
 * the direct fan-out's `--forks` limit.
 * @module
 */
export { mapLimited } from "./limited.ts";
export {
  fleetExitCode,
  outcomeFields,
  outcomeOfError,
  summarize,
  summaryLine,
} from "./outcome.ts";
export type { Summary, TargetOutcome, TargetState } from "./outcome.ts";
export { LIMIT_MAX, limitCount, limitText, parseLimit } from "./limit.ts";
export type { Limit } from "./limit.ts";
export { paceBatch } from "./pace.ts";
export type { PaceOptions } from "./pace.ts";
