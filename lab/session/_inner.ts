/**
 * What both session shells share: the session's context, and starting the
 * inner `powershell.exe` (the lab's emulator, `<lab>/winbin/powershell`) in
 * the session's job, its stdin the session's own.
 * @module
 */
import { JOB_ENV } from "../windows/job_objects.ts";
import type { WindowsKnobs } from "../windows/knobs.ts";
import type { SessionOutput } from "./_output.ts";

/** One ssh session, as its shell sees it. */
export interface SessionContext {
  labDir: string;
  /** The session's id, which is also its job's. */
  job: string;
  /** The command line ssh sent (`SSH_ORIGINAL_COMMAND`). */
  line: string;
  knobs: WindowsKnobs;
  stdout: SessionOutput;
  stderr: SessionOutput;
}

/** Starts the emulated `powershell.exe` with `args` in the session's job. */
export function spawnInnerPowerShell(
  ctx: SessionContext,
  args: string[],
): Deno.ChildProcess {
  return new Deno.Command(`${ctx.labDir}/winbin/powershell`, {
    args,
    env: { [JOB_ENV]: ctx.job },
    stdin: "inherit",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
}

/**
 * A finished process's exit code as Windows would report it. A process the
 * lab killed with a signal stands for one ended by TerminateProcess, which
 * `Stop-Process`/`Process.Kill` call with exit code -1 (0xFFFFFFFF); ssh
 * reports its low byte, 255.
 */
export function windowsExitCode(status: Deno.CommandStatus): number {
  return status.signal === null ? status.code : 255;
}
