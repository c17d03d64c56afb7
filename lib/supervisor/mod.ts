/**
 * The session supervisor: doctor's probes in a fixed order with the
 * supervisor's own remediations, a circuit breaker per endpoint, failpoints,
 * and the loop `supervisor run` runs.
 * @module
 */
export { CircuitBreaker } from "./breaker.ts";
export type { BreakerOptions, BreakerState } from "./breaker.ts";
export type {
  PassView,
  ProbeOutcome,
  Remediation,
  RemediationOutcome,
  SupervisedCheck,
} from "./check.ts";
export { supervisedChecks } from "./checks.ts";
export type { CheckDeps } from "./checks.ts";
export { PLAYWRIGHT_TASK } from "./remediations.ts";
export {
  CHECK_NAMES,
  type CheckName,
  FAILPOINT_ENV,
  parseFailpoint,
} from "./failpoint.ts";
export { superviseLoop } from "./loop.ts";
export type { LoopOptions } from "./loop.ts";
export { runPass } from "./pass.ts";
export type { CheckReport, PassLine, PassOptions, PassResult } from "./pass.ts";
