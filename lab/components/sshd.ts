import {
  descendants,
  isAlive,
  listeningPorts,
  pidFromFile,
  runText,
  spawnDetached,
  terminate,
  waitUntil,
} from "../linux/mod.ts";
import { type LabPaths, type LabPorts, labUser } from "./paths.ts";

const SSHD = "/usr/sbin/sshd";

/** The lab sshd's pid, if it runs (checked against its command line). */
export function sshdPid(paths: LabPaths): number | null {
  return pidFromFile(paths.sshdPid, paths.sshdConfig);
}

async function lastLogLine(paths: LabPaths): Promise<string> {
  const text = await Deno.readTextFile(paths.sshdLog).catch(() => "");
  return text.trim().split("\n").at(-1) || "no log";
}

/** Starts the lab sshd unless it runs and listens; waits until it accepts. */
export async function startSshd(
  paths: LabPaths,
  ports: LabPorts,
): Promise<void> {
  const listening = () => listeningPorts().has(ports.ssh);
  const config = await Deno.readTextFile(paths.sshdConfig);
  const startedWith = `${paths.sshdPid}.config`;
  let running = sshdPid(paths);
  if (
    running !== null &&
    await Deno.readTextFile(startedWith).catch(() => null) !== config
  ) {
    // A checkout that changed sshd_config (the session model, say) must not
    // keep talking to an sshd started with the old one.
    await stopSshd(paths);
    running = null;
    await waitUntil(() => !listening(), 5_000);
  }
  if (running !== null) {
    if (await waitUntil(listening, 5_000)) return;
    throw new Error(
      `Cannot start sshd: pid ${running} runs but port ${ports.ssh} never listened`,
    );
  }
  if (listening()) {
    throw new Error(
      `Cannot start sshd: port ${ports.ssh} is taken by another process (remove ${paths.ports} to pick new ports)`,
    );
  }
  if (Deno.uid() === 0) await Deno.mkdir("/run/sshd", { recursive: true });
  const check = await new Deno.Command(SSHD, {
    args: ["-t", "-f", paths.sshdConfig],
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!check.success) {
    const why = new TextDecoder().decode(check.stderr).trim();
    throw new Error(
      `Cannot start sshd: "${paths.sshdConfig}" is invalid: ${why}`,
    );
  }
  await Deno.remove(paths.sshdPid).catch(() => {});
  await Deno.writeTextFile(startedWith, config);
  const pid = await spawnDetached(SSHD, [
    "-D",
    "-f",
    paths.sshdConfig,
    "-E",
    paths.sshdLog,
  ]);
  await waitUntil(
    () => (listening() && sshdPid(paths) !== null) || !isAlive(pid),
    10_000,
  );
  if (!isAlive(pid)) {
    throw new Error(
      `Cannot start sshd: it exited: ${await lastLogLine(paths)}`,
    );
  }
  if (!listening()) {
    throw new Error(
      `Cannot start sshd: port ${ports.ssh} did not listen within 10s`,
    );
  }
}

/** Stops the lab sshd and every process under it (sessions, their commands). */
export async function stopSshd(
  paths: LabPaths,
  graceMs = 2_000,
): Promise<void> {
  const pid = sshdPid(paths);
  if (pid !== null) await terminate([pid, ...descendants(pid)], graceMs);
  await Deno.remove(paths.sshdPid).catch(() => {});
}

/** ssh arguments that reach the lab as its user, checking its host key. */
export function sshArgs(paths: LabPaths, ports: LabPorts): string[] {
  const o = (value: string) => ["-o", value];
  return [
    "-i",
    paths.clientKey,
    "-p",
    String(ports.ssh),
    ...o(`UserKnownHostsFile=${paths.knownHosts}`),
    ...o("StrictHostKeyChecking=accept-new"),
    ...o("BatchMode=yes"),
    ...o("IdentitiesOnly=yes"),
    ...o("ConnectTimeout=10"),
    ...o("LogLevel=ERROR"),
    `${labUser()}@127.0.0.1`,
  ];
}

/**
 * ssh/scp `-o` options built only from what `labEnv()` exports (as a user of
 * the lab would), with the given known_hosts file.
 */
export function sshOptionsFromEnv(
  env: Record<string, string | undefined>,
  knownHosts: string,
): string[] {
  const o = (value: string) => ["-o", value];
  return [
    "-i",
    env.WIN_AUTOMATION_WINDOWS_SSH_IDENTITY_FILE!,
    ...o(`Port=${env.WIN_AUTOMATION_WINDOWS_SSH_PORT}`),
    ...o(`User=${env.WIN_AUTOMATION_WINDOWS_SSH_USER}`),
    ...o(`UserKnownHostsFile=${knownHosts}`),
    ...o("StrictHostKeyChecking=accept-new"),
    ...o("BatchMode=yes"),
    ...o("IdentitiesOnly=yes"),
    ...o("LogLevel=ERROR"),
  ];
}

/** Runs one remote command through the lab's real sshd. */
export async function runOverSsh(
  paths: LabPaths,
  ports: LabPorts,
  remoteCommand: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return await runText("ssh", [...sshArgs(paths, ports), remoteCommand]);
}

/**
 * Closes the ssh control masters whose sockets live under the lab's client
 * state (`ssh -O exit`), and removes sockets that no master answers.
 */
export async function closeControlMasters(paths: LabPaths): Promise<void> {
  const sockets: string[] = [];
  const walk = async (dir: string) => {
    for await (const entry of Deno.readDir(dir)) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory) await walk(path);
      else if ((await Deno.lstat(path)).isSocket) sockets.push(path);
    }
  };
  await walk(paths.clientState).catch(() => {});
  await Promise.all(sockets.map(async (socket) => {
    await new Deno.Command("ssh", {
      args: ["-S", socket, "-O", "exit", "lab"],
      stdin: "null",
      stdout: "null",
      stderr: "null",
      signal: AbortSignal.timeout(3_000),
    }).output().catch(() => {});
    await Deno.remove(socket).catch(() => {});
  }));
}
