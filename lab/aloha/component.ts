/**
 * The lab's Aloha server and client, run the Windows way: each is a scheduled
 * task (docs/CONTEXT.md (Delivery of PowerShell), "Service tasks") whose action is
 * `powershell.exe -NoProfile -NonInteractive -WindowStyle Hidden
 * -EncodedCommand <its start command>`, seeded into `state/tasks.json` as the
 * tool's `aloha install` will leave it and started with `schtasks /Run` over
 * real ssh. A task runs outside the ssh session's job, so what its action
 * starts outlives the session (a `Start-Process` run in the session itself
 * would die with it).
 * @module
 */
import {
  ALOHA_LOGS,
  alohaStartCommand,
  type LabPaths,
  type LabPorts,
  labUser,
  runOverSsh,
} from "../components/mod.ts";
import { listeningPorts, waitUntil, waitUntilAsync } from "../linux/mod.ts";
import {
  consoleUser,
  encodeUtf16leBase64,
  listProcesses,
  mapWindowsPath,
  type ProcessRecord,
  putTask,
  recordAlive,
  stopProcesses,
  taskPid,
  type TaskRecord,
} from "../windows/mod.ts";

/** The two emulated Aloha processes. */
export type AlohaName = "aloha-server" | "aloha-client";

/** The scheduled task that runs each Aloha process. */
export const ALOHA_TASKS = {
  "aloha-server": "WinAutomation-AlohaServer",
  "aloha-client": "WinAutomation-AlohaClient",
} as const;

/**
 * The task as `aloha install` registers it: the server as the desktop user
 * with an S4U logon at startup, the client as the desktop user in its
 * interactive session at its logon (it must reach the user's desktop).
 */
export function alohaTask(
  name: AlohaName,
  port: number,
  user: string = labUser(),
): TaskRecord {
  const server = name === "aloha-server";
  return {
    name: ALOHA_TASKS[name],
    execute: "powershell.exe",
    arguments:
      "-NoProfile -NonInteractive -WindowStyle Hidden -EncodedCommand " +
      encodeUtf16leBase64(alohaStartCommand(name, port)),
    working_dir: "",
    trigger: server ? "AtStartup" : "AtLogOn",
    user,
    logon_type: server ? "S4U" : "Interactive",
  };
}

/** The port an Aloha process serves on. */
export function alohaPort(ports: LabPorts, name: AlohaName): number {
  return name === "aloha-server" ? ports.aloha_server : ports.aloha_client;
}

/** The live record of an Aloha process, if it runs. */
export async function alohaRecord(
  paths: LabPaths,
  name: AlohaName,
): Promise<ProcessRecord | null> {
  const records = await listProcesses(paths.dir);
  return records.find((r) => r.name === name && recordAlive(r)) ?? null;
}

async function logTail(paths: LabPaths, name: AlohaName): Promise<string> {
  const path = mapWindowsPath(paths.dir, ALOHA_LOGS[name]);
  const text = await Deno.readTextFile(path).catch(() => "");
  return text.trim().split("\n").slice(-3).join(" | ") || "empty log";
}

async function taskLogTail(paths: LabPaths, task: string): Promise<string> {
  const text = await Deno.readTextFile(`${paths.dir}/task-${task}.log`)
    .catch(() => "");
  return text.trim().split("\n").slice(-3).join(" | ") || "empty task log";
}

/**
 * Waits for the task's action to start the Aloha process: its record appears,
 * or the action ended without one.
 */
async function waitForStart(
  paths: LabPaths,
  name: AlohaName,
): Promise<ProcessRecord | null> {
  let record: ProcessRecord | null = null;
  let actionDone = false;
  await waitUntilAsync(async () => {
    record = await alohaRecord(paths, name);
    if (record || actionDone) return true;
    actionDone = await taskPid(paths.dir, ALOHA_TASKS[name]) === null;
    return false;
  }, 20_000);
  return record;
}

/**
 * Starts an Aloha process unless it runs and listens, the way it runs on
 * Windows: its scheduled task (seeded or updated first), run with
 * `schtasks /Run` through `powershell -NoProfile -Command` over ssh.
 */
export async function startAloha(
  paths: LabPaths,
  ports: LabPorts,
  name: AlohaName,
): Promise<void> {
  const port = alohaPort(ports, name);
  const listening = () => listeningPorts().has(port);
  const task = alohaTask(name, port);
  await putTask(paths.dir, task);
  let record = await alohaRecord(paths, name);
  if (!record) {
    if (listening()) {
      throw new Error(
        `Cannot start ${name}: port ${port} is taken by another process`,
      );
    }
    const command =
      `powershell -NoProfile -Command "schtasks /Run /TN ${task.name}"`;
    const run = await runOverSsh(paths, ports, command);
    if (run.code !== 0) {
      throw new Error(
        `Cannot start ${name}: ssh exited ${run.code}: ${run.stderr.trim()}`,
      );
    }
    record = await waitForStart(paths, name);
    if (!record) {
      const user = await consoleUser(paths.dir);
      const why = task.logon_type === "Interactive" &&
          user?.toLowerCase() !== task.user.toLowerCase()
        ? `task "${task.name}" runs only while "${task.user}" is logged on to the console, and state/desktop.json says ${
          user === null ? "nobody is" : `"${user}" is`
        }`
        : `task "${task.name}" did not start it: ${await taskLogTail(
          paths,
          task.name,
        )}; ${await logTail(paths, name)}`;
      throw new Error(`Cannot start ${name}: ${why}`);
    }
  }
  const live = record;
  await waitUntil(() => listening() || !recordAlive(live), 20_000);
  if (!listening()) {
    throw new Error(
      `Cannot start ${name}: port ${port} never listened: ${await logTail(
        paths,
        name,
      )}`,
    );
  }
}

/** Stops an Aloha process (SIGTERM, SIGKILL after 2s). */
export async function stopAloha(
  paths: LabPaths,
  name: AlohaName,
): Promise<void> {
  await stopProcesses(paths.dir, (r) => r.name === name, { graceMs: 2_000 });
}
