/**
 * Process and socket facts from Linux's /proc: whether a pid is alive (and is
 * still the process that was recorded), its children, and listening ports.
 * @module
 */

interface ProcStat {
  state: string;
  ppid: number;
  pgrp: number;
  startTime: number;
}

function readStat(pid: number): ProcStat | null {
  let text: string;
  try {
    text = Deno.readTextFileSync(`/proc/${pid}/stat`);
  } catch {
    return null;
  }
  // Fields after the command name, which is in parentheses and may hold spaces.
  const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
  return {
    state: fields[0] ?? "",
    ppid: Number(fields[1]),
    pgrp: Number(fields[2]),
    startTime: Number(fields[19]),
  };
}

/** The kernel start time of a pid (clock ticks after boot), or null if gone. */
export function processStartTime(pid: number): number | null {
  return readStat(pid)?.startTime ?? null;
}

/**
 * Whether `pid` runs (zombies count as dead). With `startTime`, also whether it
 * is still the same process, not a reused pid.
 */
export function isAlive(pid: number, startTime?: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  const stat = readStat(pid);
  if (!stat || stat.state === "Z" || stat.state === "X") return false;
  return startTime === undefined || stat.startTime === startTime;
}

/** The command line of a pid, arguments joined by spaces ("" if gone). */
export function cmdline(pid: number): string {
  try {
    return Deno.readTextFileSync(`/proc/${pid}/cmdline`).replaceAll("\0", " ");
  } catch {
    return "";
  }
}

/** Every live descendant of `pid` (children first, then theirs). */
export function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of Deno.readDirSync("/proc")) {
    const child = Number(entry.name);
    if (!Number.isInteger(child)) continue;
    const stat = readStat(child);
    if (!stat) continue;
    const list = children.get(stat.ppid) ?? [];
    list.push(child);
    children.set(stat.ppid, list);
  }
  const out: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    for (const child of children.get(queue.shift()!) ?? []) {
      out.push(child);
      queue.push(child);
    }
  }
  return out;
}

/** Whether `pid` leads its own process group. */
export function leadsGroup(pid: number): boolean {
  return readStat(pid)?.pgrp === pid;
}

/** Sends a signal, ignoring a process that is already gone. */
export function signal(pid: number, sig: Deno.Signal): void {
  try {
    Deno.kill(pid, sig);
  } catch {
    // Already gone.
  }
}

/** The local TCP ports in LISTEN state, from /proc/net/tcp and tcp6. */
export function listeningPorts(): Set<number> {
  const ports = new Set<number>();
  for (const file of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    let text: string;
    try {
      text = Deno.readTextFileSync(file);
    } catch {
      continue;
    }
    for (const line of text.split("\n").slice(1)) {
      const cols = line.trim().split(/\s+/);
      const local = cols[1];
      if (!local || cols[3] !== "0A") continue;
      ports.add(parseInt(local.slice(local.lastIndexOf(":") + 1), 16));
    }
  }
  return ports;
}

/**
 * Sends SIGTERM to each pid, waits up to `graceMs` for them to go, then
 * SIGKILLs what is left.
 */
export async function terminate(
  pids: number[],
  graceMs: number,
): Promise<void> {
  for (const pid of pids) signal(pid, "SIGTERM");
  const deadline = Date.now() + graceMs;
  while (pids.some((pid) => isAlive(pid)) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  for (const pid of pids.filter((pid) => isAlive(pid))) signal(pid, "SIGKILL");
}

/** Polls `check` every 50ms until true or `timeoutMs` passes. */
export async function waitUntil(
  check: () => boolean,
  timeoutMs: number,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return true;
}

/** Polls async `check` every 100ms until true or `timeoutMs` passes. */
export async function waitUntilAsync(
  check: () => Promise<boolean>,
  timeoutMs: number,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!await check()) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return true;
}

/**
 * The pid a pid file names, if that process runs and its command line
 * includes `marker` (so a reused pid is not mistaken for it); else null.
 */
export function pidFromFile(path: string, marker: string): number | null {
  let text: string;
  try {
    text = Deno.readTextFileSync(path);
  } catch {
    return null;
  }
  const pid = Number(text.trim());
  return isAlive(pid) && cmdline(pid).includes(marker) ? pid : null;
}
