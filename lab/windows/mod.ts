/**
 * The emulated Windows' state and rules that the session model, the PowerShell
 * emulator and the lab's components share: the Windows knobs and host facts,
 * paths and command lines, ACLs, processes, Win32 job objects and the Task
 * Scheduler. See ../README.md.
 * @module
 */
export {
  aclEntry,
  effectiveAcl,
  ensureLockedRoot,
  LOCKED_ROOT,
  plantAcl,
  RIGHTS,
  rightsOf,
  rightsText,
  ROOT,
  setAcl,
  sidName,
} from "./acl.ts";
export {
  programName,
  programToken,
  splitCommandLine,
  windowsArgs,
} from "./argv.ts";
export { Unsupported, unsupportedLine } from "./errors.ts";
export {
  DEFAULT_LAST_BOOT,
  EDGE_PATH,
  machineName,
  OS_FACTS,
  POWERSHELL_PATH,
  SERVICES,
  WINGET_PATH,
  WINGET_VERSION,
} from "./host_facts.ts";
export {
  type CimCreate,
  cimCreateProcess,
  CREATE_BREAKAWAY_FROM_JOB,
} from "./cim_process.ts";
export { closeJob, currentJob, JOB_ENV } from "./job_objects.ts";
export {
  bootTimeText,
  bootWindows,
  clearRestart,
  ERROR_SHUTDOWN_IS_SCHEDULED,
  pendingRestart,
  powerProgram,
  type PowerState,
  powerStatePath,
  requestRestart,
  shutDownWindows,
  stopPowerProgram,
} from "./power.ts";
export {
  DEFAULT_WINDOWS_KNOBS,
  readWindowsKnobs,
  type WindowsKnobs,
  writeWindowsKnobs,
} from "./knobs.ts";
export {
  listProcesses,
  type ProcessRecord,
  recordAlive,
  recordProcess,
  stopProcesses,
} from "./processes.ts";
export {
  consoleUser,
  endTask,
  getTask,
  putTask,
  runTask,
  taskPid,
  type TaskRecord,
} from "./tasks.ts";
export { encodeUtf16leBase64 } from "./utf16.ts";
export { mapWindowsPath } from "./win_path.ts";
