/**
 * What a command over several targets reports: one outcome per target, a
 * summary line and one exit code, the same for a direct fan-out
 * (`windows exec --targets`) and for a batch of jobs (`jobs batch status`).
 * @module
 */
export {
  fleetExitCode,
  outcomeFields,
  summarize,
  summaryLine,
} from "./outcome.ts";
export type { Summary, TargetOutcome, TargetState } from "./outcome.ts";
