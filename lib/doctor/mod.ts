/**
 * `doctor`: ordered checks, each with a state, a duration and a fix; and the
 * probes they run, which the supervisor runs too.
 * @module
 */
export { runCheck, worstExitCode } from "./check.ts";
export type {
  CheckOutcome,
  CheckResult,
  CheckSpec,
  CheckState,
} from "./check.ts";
export {
  FIREWALL_NOT_NEEDED,
  hatchetCheck,
  runDoctor,
  workerOutcome,
} from "./checks.ts";
export { runFleetDoctor } from "./fleet.ts";
export type { DoctorTarget, FleetDoctorOptions } from "./fleet.ts";
export type { DoctorDeps } from "./checks.ts";
export {
  alohaEndpoint,
  firewallSpecOf,
  firewallSpecs,
  playwrightConfigured,
  playwrightTarget,
  probeAloha,
  probeFirewallRule,
  probeHatchet,
  probePlaywright,
  probeSsh,
} from "./probes.ts";
export type {
  AlohaEndpoint,
  AlohaSide,
  FirewallFinding,
  HatchetFinding,
  HatchetProbeOptions,
  ProbeDeps,
} from "./probes.ts";
