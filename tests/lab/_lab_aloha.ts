import {
  ALOHA_LOGS,
  alohaStartCommand,
  type LabPaths,
  type LabPorts,
} from "./_lab_paths.ts";
import { runOverSsh } from "./_lab_sshd.ts";
import { listeningPorts, waitUntil } from "./_proc.ts";
import {
  listProcesses,
  type ProcessRecord,
  recordAlive,
  stopProcesses,
} from "./_processes.ts";
import { mapWindowsPath } from "./_win_path.ts";

/** The two emulated Aloha processes. */
export type AlohaName = "aloha-server" | "aloha-client";

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

/**
 * Starts an Aloha process unless it runs and listens, the way the tool does
 * on Windows: its start command through `powershell -Command` over ssh.
 */
export async function startAloha(
  paths: LabPaths,
  ports: LabPorts,
  name: AlohaName,
): Promise<void> {
  const port = alohaPort(ports, name);
  const listening = () => listeningPorts().has(port);
  let record = await alohaRecord(paths, name);
  if (!record) {
    if (listening()) {
      throw new Error(
        `Cannot start ${name}: port ${port} is taken by another process`,
      );
    }
    const command = `powershell -NoProfile -Command "${
      alohaStartCommand(name, port)
    }"`;
    const run = await runOverSsh(paths, ports, command);
    if (run.code !== 0) {
      throw new Error(
        `Cannot start ${name}: ssh exited ${run.code}: ${run.stderr.trim()}`,
      );
    }
    record = await alohaRecord(paths, name);
    if (!record) {
      throw new Error(`Cannot start ${name}: ${await logTail(paths, name)}`);
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
