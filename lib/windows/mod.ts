/**
 * Windows over SSH: remote scripts, command execution, convergence probes and
 * idempotency checks.
 * @module
 */
export { decodeScriptRun, runJsonScript, runScript } from "./remote.ts";
export type {
  DecodeScriptRunOptions,
  ScriptCall,
  ScriptResult,
  ScriptRun,
} from "./remote.ts";
export {
  REBOOT_DELAY_S,
  REBOOT_EXIT_CODES,
  rebootAndWait,
  rebootForExit,
  requestReboot,
  waitForNewBoot,
} from "./reboot.ts";
export type {
  RebootForExitOptions,
  RebootOptions,
  RebootRequest,
  RebootResult,
  RequestRebootOptions,
  WaitForBootOptions,
} from "./reboot.ts";
export {
  attachRun,
  gcRuns,
  isRunId,
  listRuns,
  RUN_ID_PATTERN,
  RunHandedOver,
  START_MS,
  startRun,
  stopRemote,
  windowsExec,
} from "./run.ts";
export type {
  ExecOptions,
  ExecResult,
  FollowOptions,
  OnLine,
  RunGcEntry,
  RunInfo,
  RunStream,
  StartState,
} from "./run.ts";
export { execInSession } from "./exec.ts";
export type { InSessionOptions } from "./exec.ts";
export {
  defaultShellName,
  desktopLocked,
  ensureFirewallRule,
  firewallFixCommand,
  firewallProblem,
  firewallRule,
  firewallRuleName,
  portListening,
  remoteVersion,
  repairFirewallRule,
  runScheduledTask,
  taskExists,
} from "./probes.ts";
export type {
  FirewallRuleSpec,
  FirewallRuleState,
  ProbeOptions,
  RemoteVersion,
} from "./probes.ts";
export {
  aclCheck,
  aclFixCommand,
  aclOffenders,
  CHECKED_FOLDERS,
  lockRoot,
  TRUSTED_SIDS,
} from "./acl.ts";
export type { AclReport, AclWriter } from "./acl.ts";
export { idempotencyGate } from "./idempotency.ts";
export { requiredFirewallRules, urlPort } from "./firewall_rules.ts";
export type { FirewallRuleConfig } from "./firewall_rules.ts";
export type { IdempotencyOptions } from "./idempotency.ts";
export {
  PLAYWRIGHT_DIR,
  RUN_DIR,
  scpPath,
  TASK_NAMES,
  WINDOWS_ARTIFACT_DIR,
  WINDOWS_ROOT,
} from "../powershell/mod.ts";
export {
  addressListProblem,
  MAX_ALLOW_FROM,
  normalizeRemoteAddress,
  parseAddressList,
  sameAddresses,
} from "./remote_address.ts";
