/**
 * `doctor`: ordered checks, each with a state, a duration and a fix.
 * @module
 */
export { runCheck, worstExitCode } from "./check.ts";
export type {
  CheckOutcome,
  CheckResult,
  CheckSpec,
  CheckState,
} from "./check.ts";
export { FIREWALL_NOT_NEEDED, runDoctor } from "./checks.ts";
export type { DoctorDeps } from "./checks.ts";
