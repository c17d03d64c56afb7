/**
 * The emulated machine's restart: what `shutdown.exe /r /t <n>` asks of
 * Windows, and what the restart does to the emulated Windows. Sources are in
 * lab/README.md ("Restarts").
 *
 * - A restart request is remembered in `<lab>/state/power.json` (`pending`)
 *   and carried out by the lab's power program (`<lab>/lab-power`, started
 *   detached and outside every ssh session's job: Windows, not the session,
 *   owns a scheduled shutdown), after the time-out the request gave.
 * - A second request while one is pending fails with 1190
 *   (ERROR_SHUTDOWN_IS_SCHEDULED).
 * - The restart stops every emulated Windows process (whatever carries this
 *   lab's `WIN_LAB_DIR`, plus every record of `state/processes.json`), ends
 *   the console logon (nobody is logged on after a boot: `state/desktop.json`
 *   shows the logon screen), keeps the file system and every other state
 *   file, then boots: a new `LastBootUpTime` in `state/boot.json` and the
 *   tasks with an `AtStartup` trigger started. sshd itself is the lab's
 *   component: the power program stops and restarts the real process
 *   (lab/components/power.ts).
 * @module
 */
import {
  isAlive,
  readJson,
  signal,
  spawnDetached,
  waitUntil,
  withLock,
  writeJson,
} from "../linux/mod.ts";
import { JOB_ENV, pidsWithEnv } from "./job_objects.ts";
import { readWindowsKnobs } from "./knobs.ts";
import { stopProcesses } from "./processes.ts";
import { runTask, taskPid, type TaskRecord } from "./tasks.ts";

/** The variable that names the lab for every emulated Windows process. */
export const LAB_DIR_ENV = "WIN_LAB_DIR";

/** Win32 ERROR_SHUTDOWN_IS_SCHEDULED. */
export const ERROR_SHUTDOWN_IS_SCHEDULED = 1190;

/** A restart Windows was asked for and has not carried out yet. */
export interface PendingRestart {
  /** When the time-out ends and the shutdown starts (ISO 8601). */
  at: string;
  /** When it was asked for. */
  requested_at: string;
  /** The `/c` comment. */
  comment: string;
}

/** `state/power.json`. */
export interface PowerState {
  pending: PendingRestart | null;
  /** The power program carrying out `pending`. */
  pid?: number;
}

/** `state/power.json`'s path. */
export function powerStatePath(labDir: string): string {
  return `${labDir}/state/power.json`;
}

/** The lab's power program (written by lab/components/files.ts). */
export function powerProgram(labDir: string): string {
  return `${labDir}/lab-power`;
}

/** The restart request, if one is pending. */
export async function pendingRestart(
  labDir: string,
): Promise<PowerState> {
  return await readJson<PowerState>(powerStatePath(labDir), { pending: null });
}

/** Options of {@linkcode requestRestart}. */
export interface RestartRequest {
  /** `/t`: seconds before the shutdown starts. */
  delaySeconds: number;
  /** `/c`: the comment. @default "" */
  comment?: string;
}

/**
 * `shutdown /r`: schedules a restart `delaySeconds` from now and starts the
 * power program that carries it out. Returns the Win32 code: 0, or 1190 when a
 * restart is already pending (nothing is scheduled then).
 */
export async function requestRestart(
  labDir: string,
  request: RestartRequest,
): Promise<number> {
  const { delaySeconds, comment = "" } = request;
  const path = powerStatePath(labDir);
  return await withLock(`${path}.lock`, async () => {
    const state = await pendingRestart(labDir);
    if (state.pending && state.pid !== undefined && isAlive(state.pid)) {
      return ERROR_SHUTDOWN_IS_SCHEDULED;
    }
    const now = Date.now();
    const pending: PendingRestart = {
      at: new Date(now + delaySeconds * 1000).toISOString(),
      requested_at: new Date(now).toISOString(),
      comment,
    };
    await writeJson(path, { pending });
    const pid = await spawnDetached(powerProgram(labDir), [labDir], {
      stdoutPath: `${labDir}/power.log`,
      stderrPath: `${labDir}/power.log`,
      unsetEnv: [JOB_ENV, LAB_DIR_ENV],
    });
    await writeJson(path, { pending, pid });
    return 0;
  });
}

/** Forgets the pending restart (the power program is done or stopped). */
export async function clearRestart(labDir: string): Promise<void> {
  const path = powerStatePath(labDir);
  await withLock(`${path}.lock`, () => writeJson(path, { pending: null }));
}

/** Stops the power program, if one runs, and forgets its request (lab down). */
export async function stopPowerProgram(labDir: string): Promise<void> {
  const { pid } = await pendingRestart(labDir);
  if (pid !== undefined && isAlive(pid)) {
    signal(pid, "SIGKILL");
    await waitUntil(() => !isAlive(pid), 2_000);
  }
  await clearRestart(labDir);
}

/**
 * The shutdown half: every emulated Windows process dies (SIGKILL: a
 * time-out above 0 implies `/f`, applications are closed without asking),
 * the console logon ends. Returns the pids that were alive. sshd is the
 * caller's to stop.
 */
export async function shutDownWindows(
  labDir: string,
  options: { except?: number[] } = {},
): Promise<number[]> {
  const except = new Set([Deno.pid, ...(options.except ?? [])]);
  const recorded = await stopProcesses(labDir, () => true);
  const members = pidsWithEnv(LAB_DIR_ENV, labDir).filter((pid) =>
    !except.has(pid)
  );
  for (const pid of members) signal(pid, "SIGKILL");
  const killed = [...new Set([...recorded.map((r) => r.pid), ...members])];
  await waitUntil(() => killed.every((pid) => !isAlive(pid)), 5_000);
  // After a boot the console shows the logon screen: nobody is logged on
  // until someone logs on again (LogonUI runs, so the desktop reads locked).
  await writeJson(`${labDir}/state/desktop.json`, {
    locked: true,
    user: null,
  });
  return killed;
}

/** `LastBootUpTime.ToUniversalTime().ToString('o')` of a boot at `ms`. */
export function bootTimeText(ms: number): string {
  // .NET's round-trip format of a UTC DateTime: seven fractional digits.
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, ".$10000Z");
}

/**
 * The boot half: a new `LastBootUpTime` (unless the
 * `reboot_keeps_boot_time` knob says otherwise) and every `AtStartup` task
 * started, as the Task Scheduler does at boot. Returns the tasks started.
 */
export async function bootWindows(labDir: string): Promise<string[]> {
  const knobs = await readWindowsKnobs(labDir);
  if (!knobs.reboot_keeps_boot_time) {
    await writeJson(`${labDir}/state/boot.json`, {
      last_boot: bootTimeText(Date.now()),
    });
  }
  const { tasks } = await readJson<{ tasks: TaskRecord[] }>(
    `${labDir}/state/tasks.json`,
    { tasks: [] },
  );
  const started: string[] = [];
  // The Task Scheduler's processes are Windows processes: they carry the
  // lab's variable as everything started in the emulated Windows does.
  const had = Deno.env.get(LAB_DIR_ENV);
  Deno.env.set(LAB_DIR_ENV, labDir);
  try {
    for (const task of tasks.filter((t) => t.trigger === "AtStartup")) {
      // An Interactive task starts nothing while nobody is logged on.
      const error = await runTask(labDir, task.name);
      if (error === null && await taskPid(labDir, task.name) !== null) {
        started.push(task.name);
      }
    }
  } finally {
    if (had === undefined) Deno.env.delete(LAB_DIR_ENV);
    else Deno.env.set(LAB_DIR_ENV, had);
  }
  return started;
}
