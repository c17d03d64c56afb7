/**
 * What a command over several targets reports: one outcome per target, a
 * summary line and one exit code, the same for a direct fan-out
 * (`windows exec --targets`) and for a batch of jobs (`jobs batch status`);
 * and the direct fan-out's `--forks` limit.
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
