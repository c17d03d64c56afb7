/**
 * The lab's Task Scheduler: tasks in `<lab>/state/tasks.json`, and what
 * `schtasks /Run` and `/End` do with them. Running a task starts its action
 * for real (the program by its Windows name from `<lab>/winbin/`, Windows
 * paths in its arguments mapped into the lab file system), detached, recorded
 * in `state/processes.json` under the task's name.
 * @module
 */
import { readJson, withLock, writeJson } from "./_json_file.ts";
import {
  listProcesses,
  recordAlive,
  recordProcess,
  stopProcesses,
} from "./_processes.ts";
import { spawnDetached } from "./_spawn_detached.ts";
import { programName, splitCommandLine } from "./_start_process.ts";
import { mapWindowsPath } from "./_win_path.ts";

/** One scheduled task, as `Register-ScheduledTask` left it. */
export interface TaskRecord {
  name: string;
  /** The action's program (a Windows path). */
  execute: string;
  /** The action's argument string. */
  arguments: string;
  /** The action's working directory (a Windows path). */
  working_dir: string;
  /** `AtStartup` for every task the tool creates. */
  trigger: string;
  /** The account it runs as. */
  user: string;
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

const WINDOWS_PATH = /^[A-Za-z]:[\\/]/;

/**
 * `schtasks /Run /TN <name>`: starts the task's action unless it runs.
 * Returns an error text as schtasks would print it, or null.
 */
export async function runTask(
  labDir: string,
  name: string,
): Promise<string | null> {
  const task = await getTask(labDir, name);
  if (!task) {
    return `ERROR: The system cannot find the file specified.`;
  }
  if (await taskPid(labDir, name) !== null) return null;
  const exe = programName(task.execute.split(/[\\/]/).pop() ?? "");
  const program = `${labDir}/winbin/${exe}`;
  if (!await Deno.stat(program).then((s) => s.isFile, () => false)) {
    return `ERROR: The task's program "${task.execute}" does not exist.`;
  }
  const args = splitCommandLine(task.arguments).map((arg) =>
    WINDOWS_PATH.test(arg) ? mapWindowsPath(labDir, arg) : arg
  );
  const log = `${labDir}/task-${name}.log`;
  const pid = await spawnDetached(program, args, {
    cwd: mapWindowsPath(labDir, task.working_dir),
    stdoutPath: log,
    stderrPath: log,
  });
  await recordProcess(labDir, exe, pid, { task: name });
  return null;
}

/** `schtasks /End /TN <name>`: stops the task's process (and its children). */
export async function endTask(labDir: string, name: string): Promise<void> {
  await stopProcesses(labDir, (r) => r.task === name, { graceMs: 3_000 });
}
