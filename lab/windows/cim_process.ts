/**
 * The lab's `Invoke-CimMethod -ClassName Win32_Process -MethodName Create`:
 * the WMI provider host (WmiPrvSE.exe), not the calling session, creates the
 * process, so it is in no ssh session's job object and outlives the session
 * (windows-facts.md "What survives"; PowerShell/Win32-OpenSSH #1642, where a
 * maintainer points to WMI for exactly this). Microsoft's page of the method
 * says a process it creates is limited by the provider host's job object
 * unless `CREATE_BREAKAWAY_FROM_JOB` is given
 * (https://learn.microsoft.com/en-us/windows/win32/cimwin32prov/create-method-in-class-win32-process);
 * the lab does not model that job's quotas, so it refuses a Create without
 * the flag instead of starting a process whose limits it would get wrong.
 *
 * The process gets no pipes back to the caller (stdin, stdout and stderr are
 * the null device here); it is recorded in `state/processes.json` with
 * `"creator":"wmi"`.
 * @module
 */
import { spawnDetached } from "../linux/mod.ts";
import { Unsupported } from "./errors.ts";
import { JOB_ENV } from "./job_objects.ts";
import { programName, splitCommandLine } from "./argv.ts";
import { recordProcess } from "./processes.ts";
import { mapWindowsPath } from "./win_path.ts";

/** `CREATE_BREAKAWAY_FROM_JOB` (Win32_ProcessStartup.CreateFlags). */
export const CREATE_BREAKAWAY_FROM_JOB = 0x01000000;

/** What Win32_Process.Create is given. */
export interface CimCreate {
  /** `CommandLine`: the program (a name found on the path, or a path) and its arguments. */
  commandLine: string;
  /** `CurrentDirectory`, a Windows path. */
  currentDirectory: string;
  /** `ProcessStartupInformation.CreateFlags`. */
  createFlags: number;
}

/**
 * Creates the process as the WMI provider host would: outside any ssh
 * session's job. Returns its pid (`ProcessId`).
 */
export async function cimCreateProcess(
  labDir: string,
  request: CimCreate,
): Promise<number> {
  if ((request.createFlags & CREATE_BREAKAWAY_FROM_JOB) === 0) {
    throw new Unsupported(
      "Win32_Process.Create without CREATE_BREAKAWAY_FROM_JOB (the provider host's job quotas are not modeled)",
    );
  }
  const [exe, ...args] = splitCommandLine(request.commandLine);
  const name = programName((exe ?? "").split(/[\\/]/).pop() ?? "");
  const program = `${labDir}/winbin/${name}`;
  if (!name || !await Deno.stat(program).then((s) => s.isFile, () => false)) {
    throw new Unsupported(`Win32_Process.Create of "${exe}"`);
  }
  const pid = await spawnDetached(program, args, {
    cwd: mapWindowsPath(labDir, request.currentDirectory),
    stdoutPath: `${labDir}/wmi.log`,
    stderrPath: `${labDir}/wmi.log`,
    unsetEnv: [JOB_ENV],
  });
  await recordProcess(labDir, name, pid, { creator: "wmi" });
  return pid;
}
