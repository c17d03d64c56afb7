/**
 * Watches ssh and scp processes while they live: children of this test (the
 * CLI's and the worker's descendants) and ControlMasters whose control
 * socket lies under `controlDir` (they outlive the command, re-parented to
 * init). Each is read once from /proc: argv, environment and, for a master
 * (whose title overwrites its environ area), the `NAME=value` strings in
 * its writable memory, where OpenSSH keeps the environment it copied.
 * @module
 */

/** What was read of one process. */
export interface ProcSample {
  pid: number;
  comm: string;
  master: boolean;
  argv: string[];
  /** Environment entries `NAME=value`. */
  env: string[];
}

function read(path: string): string {
  try {
    return new TextDecoder("latin1").decode(Deno.readFileSync(path));
  } catch {
    return "";
  }
}

/** The `NAME=value` strings in a process's writable memory. */
export function memoryEnv(pid: number): string[] {
  const out = new Set<string>();
  let mem: Deno.FsFile | undefined;
  try {
    mem = Deno.openSync(`/proc/${pid}/mem`);
    for (const line of read(`/proc/${pid}/maps`).split("\n")) {
      const m = line.match(/^([0-9a-f]+)-([0-9a-f]+) rw/);
      if (!m) continue;
      const start = parseInt(m[1]!, 16);
      const size = parseInt(m[2]!, 16) - start;
      if (size > 64 * 1024 * 1024) continue;
      const buf = new Uint8Array(size);
      try {
        mem.seekSync(start, Deno.SeekMode.Start);
        let off = 0;
        while (off < size) {
          const n = mem.readSync(buf.subarray(off));
          if (!n) break;
          off += n;
        }
      } catch {
        continue;
      }
      const text = new TextDecoder("latin1").decode(buf);
      for (const e of text.matchAll(/[A-Z_][A-Z0-9_]{1,63}=[\x20-\x7e]*/g)) {
        out.add(e[0]);
      }
    }
  } catch {
    // Gone.
  } finally {
    mem?.close();
  }
  return [...out];
}

/** Reads one process now. */
export function sample(pid: number, master: boolean): ProcSample {
  return {
    pid,
    comm: read(`/proc/${pid}/comm`).trim(),
    master,
    argv: read(`/proc/${pid}/cmdline`).split("\0").filter((a) => a !== ""),
    env: master
      ? memoryEnv(pid)
      : read(`/proc/${pid}/environ`).split("\0").filter((e) => e !== ""),
  };
}

/** The ssh/scp processes that are this test's descendants or masters under `controlDir`. */
function candidates(controlDir: string): [number, boolean][] {
  // One pass over /proc: each process's name and parent, from its stat.
  const parent = new Map<number, number>();
  const named: number[] = [];
  for (const entry of Deno.readDirSync("/proc")) {
    const pid = Number(entry.name);
    if (!Number.isInteger(pid)) continue;
    const stat = read(`/proc/${pid}/stat`);
    const close = stat.lastIndexOf(")");
    if (close < 0) continue;
    parent.set(pid, Number(stat.slice(close + 2).split(" ")[1]));
    const comm = stat.slice(stat.indexOf("(") + 1, close);
    if (comm === "ssh" || comm === "scp") named.push(pid);
  }
  const mine = (pid: number) => {
    for (let p = parent.get(pid); p !== undefined && p > 1; p = parent.get(p)) {
      if (p === Deno.pid) return true;
    }
    return false;
  };
  const out: [number, boolean][] = [];
  for (const pid of named) {
    const argv = read(`/proc/${pid}/cmdline`);
    // A master titles itself "ssh: <socket> [mux]" (and so overwrites its
    // environ area); one started with -f has its own argv, but is no
    // descendant of ours.
    const ours = mine(pid);
    const master = argv.includes(`${controlDir}/`) &&
      (argv.startsWith("ssh: ") || !ours);
    if (master || ours) out.push([pid, master]);
  }
  return out;
}

/** A running watch: `stop()` returns every process seen. */
export interface ProcWatch {
  stop: () => Promise<ProcSample[]>;
}

/** Polls /proc every few milliseconds until stopped. */
export function watchProcesses(controlDir: string): ProcWatch {
  const seen = new Map<string, ProcSample>();
  let running = true;
  const loop = (async () => {
    while (running) {
      for (const [pid, master] of candidates(controlDir)) {
        // A client that turns into a master is read again as one.
        const key = `${pid}:${master}`;
        if (seen.has(key)) continue;
        const s = sample(pid, master);
        if (s.argv.length > 0) seen.set(key, s);
      }
      await new Promise((r) => setTimeout(r, 1));
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return [...seen.values()];
    },
  };
}
