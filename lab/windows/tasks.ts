/**
 * The lab's Task Scheduler: tasks in `<lab>/state/tasks.json`, and what
 * `schtasks /Run` and `/End` do with them. Running a task starts its action
 * for real (the program by its Windows name from `<lab>/winbin/`, Windows
 * paths in its arguments mapped into the lab file system), detached, recorded
 * in `state/processes.json` under the task's name, and outside any ssh
 * session's job (the Task Scheduler service starts it, not the session), so
 * it and what it starts survive the session that ran `schtasks /Run`.
 *
 * A task whose principal logs on `Interactive` runs only in that user's
 * existing interactive session (TASK_LOGON_INTERACTIVE_TOKEN: "User must
 * already be logged on. The task will be run only in an existing interactive
 * session.", https://learn.microsoft.com/en-us/windows/win32/api/taskschd/ne-taskschd-task_logon_type);
 * the lab's console user is `user` in `state/desktop.json`.
 * @module
 */
import { rightsOf } from "./acl.ts";
import { Unsupported } from "./errors.ts";
import { readJson, spawnDetached, withLock, writeJson } from "../linux/mod.ts";
import {
  listProcesses,
  recordAlive,
  recordProcess,
  stopProcesses,
} from "./processes.ts";
import { JOB_ENV } from "./job_objects.ts";
import { programName, splitCommandLine } from "./argv.ts";
import { mapWindowsPath } from "./win_path.ts";

/** How a task's principal logs on (the Task Scheduler's `LogonType`). */
export type LogonType = "S4U" | "Interactive" | "ServiceAccount" | "Password";

/** The logon types a task record may hold. */
export const LOGON_TYPES: readonly LogonType[] = [
  "S4U",
  "Interactive",
  "ServiceAccount",
  "Password",
];

/** One scheduled task, as `Register-ScheduledTask` left it. */
export interface TaskRecord {
  name: string;
  /** The action's program (a Windows path, or a name found on PATH). */
  execute: string;
  /** The action's argument string. */
  arguments: string;
  /**
   * The action's working directory (a Windows path); "" when none was given,
   * where the task starts in `C:\Windows\System32`.
   */
  working_dir: string;
  /**
   * The trigger: `AtStartup`, or `AtLogOn` (of the principal's user). The lab
   * does not boot or log on, so triggers never fire; `schtasks /Run` starts a
   * task whatever its trigger.
   */
  trigger: "AtStartup" | "AtLogOn";
  /** The principal's account (`SYSTEM` for a service account). */
  user: string;
  /** How the principal logs on. */
  logon_type: LogonType;
  /** The principal's run level; absent means `Limited`, the default. */
  run_level?: "Limited" | "Highest";
}

/** `state/desktop.json`: the console session. */
export interface DesktopState {
  /** Whether the console shows the lock screen. */
  locked: boolean;
  /**
   * The user logged on to the console (its interactive session), or null
   * when nobody is; a missing key means nobody.
   */
  user?: string | null;
}

/** The user logged on to the console, or null. */
export async function consoleUser(labDir: string): Promise<string | null> {
  const desktop = await readJson<DesktopState>(`${labDir}/state/desktop.json`, {
    locked: false,
  });
  return desktop.user ?? null;
}

interface TasksFile {
  tasks: TaskRecord[];
}

const file = (labDir: string) => `${labDir}/state/tasks.json`;

/** The task of this name, if it exists. */
export async function getTask(
  labDir: string,
  name: string,
): Promise<TaskRecord | null> {
  const data = await readJson<TasksFile>(file(labDir), { tasks: [] });
  return data.tasks.find((t) => t.name === name) ?? null;
}

/** Creates or replaces a task; returns whether anything changed. */
export async function putTask(
  labDir: string,
  task: TaskRecord,
): Promise<boolean> {
  const path = file(labDir);
  return await withLock(`${path}.lock`, async () => {
    const data = await readJson<TasksFile>(path, { tasks: [] });
    const old = data.tasks.find((t) => t.name === task.name);
    if (old && JSON.stringify(old) === JSON.stringify(task)) return false;
    data.tasks = [...data.tasks.filter((t) => t.name !== task.name), task];
    await writeJson(path, data);
    return true;
  });
}

/** The pid of the task's running process, or null. */
export async function taskPid(
  labDir: string,
  name: string,
): Promise<number | null> {
  const records = await listProcesses(labDir);
  return records.find((r) => r.task === name && recordAlive(r))?.pid ?? null;
}

/**
 * A task's logon type. Records written before the lab had the field (the
 * Playwright task, tests' fixtures) name `SYSTEM`, which can only log on as a
 * service account; any other record without a valid one is refused.
 */
function taskLogonType(task: TaskRecord): LogonType {
  const value = (task as Partial<TaskRecord>).logon_type;
  if (value === undefined && task.user.toUpperCase() === "SYSTEM") {
    return "ServiceAccount";
  }
  if (value === undefined || !LOGON_TYPES.includes(value)) {
    throw new Unsupported(
      `task "${task.name}" in state/tasks.json has no valid logon_type (${
        LOGON_TYPES.join(", ")
      })`,
    );
  }
  return value;
}

const WINDOWS_PATH = /^[A-Za-z]:[\\/]/;

/** Where a task without a working directory starts. */
export const DEFAULT_TASK_DIR = "C:\\Windows\\System32";

const PW = "C:\\ProgramData\\win-automation\\playwright";
/**
 * What a LOCAL SERVICE task's program opens, and the access it needs
 * (FILE_READ_DATA 0x1, FILE_APPEND_DATA 0x4): the lab runs every program as
 * one Linux user, so Windows' access check for the task's account is made
 * here, from `state/acl.json` (lab/windows/acl.ts). launch-server.js reads its
 * own text, server.json and ws_path.txt and appends to launch-server.log.
 */
const OPENS: Record<string, Array<[string, number]>> = {
  "WinAutomation-Playwright": [
    [`${PW}\\launch-server.js`, 0x1],
    [`${PW}\\server.json`, 0x1],
    [`${PW}\\ws_path.txt`, 0x1],
    [`${PW}\\launch-server.log`, 0x4],
  ],
};
const LOCAL_SERVICE = "S-1-5-19";

/** The first file the task's account may not open as it needs, if any. */
export async function deniedOpen(
  labDir: string,
  task: TaskRecord,
): Promise<string | null> {
  if (task.user !== LOCAL_SERVICE) return null;
  for (const [path, need] of OPENS[task.name] ?? []) {
    if ((await rightsOf(labDir, path, LOCAL_SERVICE) & need) !== need) {
      return path;
    }
  }
  return null;
}

/**
 * `schtasks /Run /TN <name>`: starts the task's action unless it runs.
 * Returns an error text as schtasks would print it, or null. An `Interactive`
 * task whose user is not logged on to the console starts nothing and still
 * returns null: schtasks only asks the service to run the task, and the lab
 * found no source for what it prints then, so it models the less convenient
 * case, `SUCCESS` with nothing started.
 */
export async function runTask(
  labDir: string,
  name: string,
): Promise<string | null> {
  const task = await getTask(labDir, name);
  if (!task) {
    return `ERROR: The system cannot find the file specified.`;
  }
  const logonType = taskLogonType(task);
  if (await taskPid(labDir, name) !== null) return null;
  if (logonType === "Interactive") {
    const user = await consoleUser(labDir);
    if (user === null || user.toLowerCase() !== task.user.toLowerCase()) {
      return null;
    }
  }
  const exe = programName(task.execute.split(/[\\/]/).pop() ?? "");
  const program = `${labDir}/winbin/${exe}`;
  if (!await Deno.stat(program).then((s) => s.isFile, () => false)) {
    return `ERROR: The task's program "${task.execute}" does not exist.`;
  }
  const args = splitCommandLine(task.arguments).map((arg) =>
    WINDOWS_PATH.test(arg) ? mapWindowsPath(labDir, arg) : arg
  );
  const log = `${labDir}/task-${name}.log`;
  const denied = await deniedOpen(labDir, task);
  if (denied) {
    // The process starts and ends at once with EPERM, as node would; the
    // Task Scheduler still reported success.
    await Deno.writeTextFile(
      log,
      `lab: ${task.user} cannot open ${denied}: access denied\n`,
      { append: true },
    );
    return null;
  }
  const pid = await spawnDetached(program, args, {
    cwd: mapWindowsPath(labDir, task.working_dir || DEFAULT_TASK_DIR),
    stdoutPath: log,
    stderrPath: log,
    unsetEnv: [JOB_ENV],
  });
  await recordProcess(labDir, exe, pid, { task: name });
  return null;
}

/** `schtasks /End /TN <name>`: stops the task's process (and its children). */
export async function endTask(labDir: string, name: string): Promise<void> {
  await stopProcesses(labDir, (r) => r.task === name, { graceMs: 3_000 });
}
