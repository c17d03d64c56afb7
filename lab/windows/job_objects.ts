/**
 * The lab's model of the job object Win32-OpenSSH puts each session's process
 * in (PowerShell/openssh-portable `contrib/win32/win32compat/w32-doexec.c`,
 * `do_exec_windows`: `JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE`, the job handle
 * duplicated into the session's shell so the job closes when the shell
 * exits; PowerShell/Win32-OpenSSH #1195 and #1642: by design).
 *
 * A job is a session id, exported to the session's processes as
 * `WIN_LAB_JOB`. Windows makes every child of a process in a job a member of
 * that job; the lab gets the same from Linux environment inheritance, so a
 * process is in a job when its environment holds `WIN_LAB_JOB=<id>`. The
 * emulated `Start-Process` also writes the job into `state/processes.json`.
 * The Task Scheduler starts processes outside any job: `schtasks /Run` drops
 * the variable.
 * @module
 */
import { isAlive, signal, waitUntil } from "../linux/mod.ts";
import { stopProcesses } from "./processes.ts";

/** The environment variable that names a process's job. */
export const JOB_ENV = "WIN_LAB_JOB";

/** The job the calling process belongs to, if it runs inside an ssh session. */
export function currentJob(): string | undefined {
  return Deno.env.get(JOB_ENV) || undefined;
}

/** Live pids whose environment places them in `job`. */
export function jobMembers(job: string): number[] {
  return pidsWithEnv(JOB_ENV, job);
}

/** Live pids whose environment holds `name=value` exactly. */
export function pidsWithEnv(name: string, value: string): number[] {
  const needle = new TextEncoder().encode(`${name}=${value}\0`);
  const out: number[] = [];
  for (const entry of Deno.readDirSync("/proc")) {
    const pid = Number(entry.name);
    if (!Number.isInteger(pid) || pid <= 0) continue;
    let environ: Uint8Array;
    try {
      environ = Deno.readFileSync(`/proc/${pid}/environ`);
    } catch {
      continue;
    }
    if (holds(environ, needle) && isAlive(pid)) out.push(pid);
  }
  return out;
}

function holds(haystack: Uint8Array, needle: Uint8Array): boolean {
  // Entries are NUL-separated; a match must start an entry.
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    if (i > 0 && haystack[i - 1] !== 0) continue;
    for (let j = 0; j < needle.length; j++) {
      if (haystack[i + j] !== needle[j]) continue outer;
    }
    return true;
  }
  return false;
}

/** Options of {@linkcode closeJob}. */
export interface CloseJobOptions {
  /** A pid to spare (the session program itself). @default Deno.pid */
  except?: number;
}

/**
 * Closes a job as `KILL_ON_JOB_CLOSE` does: every member dies at once
 * (SIGKILL, the counterpart of TerminateProcess), recorded or not. Returns the
 * pids that were alive.
 */
export async function closeJob(
  labDir: string,
  job: string,
  options: CloseJobOptions = {},
): Promise<number[]> {
  const { except = Deno.pid } = options;
  const recorded = await stopProcesses(labDir, (r) => r.job === job);
  const members = jobMembers(job).filter((pid) => pid !== except);
  for (const pid of members) signal(pid, "SIGKILL");
  const killed = [...new Set([...recorded.map((r) => r.pid), ...members])];
  await waitUntil(() => killed.every((pid) => !isAlive(pid)), 2_000);
  return killed;
}
