import {
  isAlive,
  leadsGroup,
  processStartTime,
  readJson,
  signal,
  withLock,
  writeJson,
} from "../linux/mod.ts";

/** One process started by the emulated `Start-Process` or `schtasks /Run`. */
export interface ProcessRecord {
  name: string;
  pid: number;
  started_at: string;
  /** Kernel start time, so a reused pid is never mistaken for this one. */
  proc_start: number | null;
  /** The scheduled task that started it, if one did. */
  task?: string;
  /**
   * The job object (ssh session id) it belongs to, if it was started inside
   * an ssh session: it dies when that session ends.
   */
  job?: string;
  /** `wmi` for a process made by Win32_Process.Create (in no session's job). */
  creator?: "wmi";
}

interface ProcessesFile {
  processes: ProcessRecord[];
}

function paths(labDir: string) {
  const file = `${labDir}/state/processes.json`;
  return { file, lock: `${file}.lock` };
}

/** The recorded processes, live or not. */
export async function listProcesses(labDir: string): Promise<ProcessRecord[]> {
  const file = await readJson<ProcessesFile>(paths(labDir).file, {
    processes: [],
  });
  return file.processes;
}

/** Whether a record's process still runs. */
export function recordAlive(record: ProcessRecord): boolean {
  return isAlive(record.pid, record.proc_start ?? undefined);
}

/** Options of {@linkcode recordProcess}. */
export interface RecordOptions {
  /** The scheduled task that started it. @default undefined */
  task?: string;
  /** The ssh session's job it belongs to. @default undefined */
  job?: string;
  /** Who created it, when not a session or a task. @default undefined */
  creator?: "wmi";
}

/** Records a started process. */
export async function recordProcess(
  labDir: string,
  name: string,
  pid: number,
  { task, job, creator }: RecordOptions = {},
): Promise<void> {
  const { file, lock } = paths(labDir);
  const record: ProcessRecord = {
    name,
    pid,
    started_at: new Date().toISOString(),
    proc_start: processStartTime(pid),
    ...(task === undefined ? {} : { task }),
    ...(job === undefined ? {} : { job }),
    ...(creator === undefined ? {} : { creator }),
  };
  await withLock(lock, async () => {
    const data = await readJson<ProcessesFile>(file, { processes: [] });
    data.processes = data.processes.filter(recordAlive);
    data.processes.push(record);
    await writeJson(file, data);
  });
}

/**
 * Kills the recorded processes that `match` selects (their whole process
 * group: each was started in its own session), SIGKILL at once or SIGTERM then
 * SIGKILL after `graceMs`, and drops them from the file. Returns the records
 * that were alive.
 */
export async function stopProcesses(
  labDir: string,
  match: (record: ProcessRecord) => boolean,
  { graceMs = 0 }: { graceMs?: number } = {},
): Promise<ProcessRecord[]> {
  const { file, lock } = paths(labDir);
  const selected = await withLock(lock, async () => {
    const data = await readJson<ProcessesFile>(file, { processes: [] });
    const hit = data.processes.filter(match);
    data.processes = data.processes.filter((r) => !match(r) && recordAlive(r));
    await writeJson(file, data);
    return hit.filter(recordAlive);
  });
  await killRecords(selected, graceMs);
  return selected;
}

async function killRecords(records: ProcessRecord[], graceMs: number) {
  const first: Deno.Signal = graceMs > 0 ? "SIGTERM" : "SIGKILL";
  for (const r of records) killOne(r.pid, first);
  const deadline = Date.now() + graceMs;
  while (records.some(recordAlive) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  for (const r of records.filter(recordAlive)) killOne(r.pid, "SIGKILL");
}

function killOne(pid: number, sig: Deno.Signal): void {
  if (leadsGroup(pid)) signal(-pid, sig);
  signal(pid, sig);
}
