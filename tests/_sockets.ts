/**
 * Who holds which socket, from Linux's /proc: the TCP connections to a port
 * (`/proc/net/tcp*`), the process owning each (a `socket:[inode]` link in
 * `/proc/<pid>/fd`), and the unix sockets listening under a directory
 * (`/proc/net/unix`). Tests use it to prove which process really talks to a
 * service: the CLI itself, or sshd at the end of an ssh forward.
 * @module
 */

/** One TCP socket of `/proc/net/tcp` or `tcp6`. */
export interface TcpSocket {
  /** The local address as /proc writes it: hex, in the kernel's byte order. */
  localAddress: string;
  localPort: number;
  remotePort: number;
  /** `01` is ESTABLISHED, `0A` LISTEN. */
  state: string;
  inode: number;
}

/** Every TCP socket of the machine (IPv4 and IPv6). */
export function tcpSockets(): TcpSocket[] {
  const out: TcpSocket[] = [];
  for (const file of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    let text = "";
    try {
      text = Deno.readTextFileSync(file);
    } catch {
      continue;
    }
    for (const line of text.split("\n").slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length < 10) continue;
      out.push({
        localAddress: f[1]!.split(":")[0]!,
        localPort: parseInt(f[1]!.split(":")[1]!, 16),
        remotePort: parseInt(f[2]!.split(":")[1]!, 16),
        state: f[3]!,
        inode: Number(f[9]),
      });
    }
  }
  return out;
}

/** The socket inodes a process holds open. */
export function socketInodes(pid: number): Set<number> {
  const out = new Set<number>();
  let entries: Deno.DirEntry[] = [];
  try {
    entries = [...Deno.readDirSync(`/proc/${pid}/fd`)];
  } catch {
    return out;
  }
  for (const entry of entries) {
    try {
      const m = Deno.readLinkSync(`/proc/${pid}/fd/${entry.name}`).match(
        /^socket:\[(\d+)\]$/,
      );
      if (m) out.add(Number(m[1]));
    } catch { /* closed meanwhile */ }
  }
  return out;
}

/**
 * The pids holding each of `inodes`: `first` (likely owners) are looked at
 * before every other process, so a short-lived connection is still there
 * when its owner is found.
 */
export function socketOwners(
  inodes: Set<number>,
  first: number[] = [],
): Map<number, number[]> {
  const out = new Map<number, number[]>();
  const look = (pid: number) => {
    for (const inode of socketInodes(pid)) {
      if (!inodes.has(inode)) continue;
      const pids = out.get(inode) ?? [];
      if (!pids.includes(pid)) out.set(inode, [...pids, pid]);
    }
  };
  first.forEach(look);
  if ([...inodes].every((i) => out.has(i))) return out;
  for (const entry of Deno.readDirSync("/proc")) {
    const pid = Number(entry.name);
    if (Number.isInteger(pid) && !first.includes(pid)) look(pid);
  }
  return out;
}

/** The pids of running sshd processes (by command line). */
export function sshdPids(): number[] {
  const out: number[] = [];
  for (const entry of Deno.readDirSync("/proc")) {
    const pid = Number(entry.name);
    if (Number.isInteger(pid) && /^sshd[: ]/.test(commandOf(pid))) {
      out.push(pid);
    }
  }
  return out;
}

/**
 * The client ends of established TCP connections to `port` (their remote
 * port is it), with the pids that hold them.
 */
export function clientsOf(
  port: number,
  first: number[] = [],
): Array<TcpSocket & { pids: number[] }> {
  const ends = tcpSockets().filter((s) =>
    s.state === "01" && s.remotePort === port && s.inode !== 0
  );
  if (ends.length === 0) return [];
  const owners = socketOwners(new Set(ends.map((s) => s.inode)), first);
  return ends.map((s) => ({ ...s, pids: owners.get(s.inode) ?? [] }));
}

/** Whether a process holds any TCP socket from or to `port`. */
export function holdsTcpTo(pid: number, port: number): boolean {
  const mine = socketInodes(pid);
  return tcpSockets().some((s) =>
    (s.remotePort === port || s.localPort === port) && mine.has(s.inode)
  );
}

/** Paths of the unix sockets listening under `dir` (`/proc/net/unix`). */
export function unixListenersUnder(dir: string): string[] {
  const text = Deno.readTextFileSync("/proc/net/unix");
  const out: string[] = [];
  for (const line of text.split("\n").slice(1)) {
    const f = line.trim().split(/\s+/);
    // Num RefCount Protocol Flags Type St Inode Path; __SO_ACCEPTCON
    // (0x10000) in Flags marks a listening socket.
    const path = f[7];
    if (!path?.startsWith(`${dir}/`)) continue;
    if (parseInt(f[3]!, 16) & 0x10000) out.push(path);
  }
  return out;
}

/** The command line of a pid ("" when gone). */
export function commandOf(pid: number): string {
  try {
    return Deno.readTextFileSync(`/proc/${pid}/cmdline`).replaceAll("\0", " ")
      .trim();
  } catch {
    return "";
  }
}

/** What {@linkcode watchClients} saw while the program ran. */
export interface Watched {
  /** Exit code of the program. */
  code: number;
  stdout: string;
  stderr: string;
  /** Its pid. */
  pid: number;
  /** Command lines of the processes that opened a connection to the port. */
  clients: string[];
  /** Pids that opened a connection to the port. */
  clientPids: number[];
  /** Whether the program itself opened a connection to the port. */
  programHeldPort: boolean;
  /**
   * Unix sockets listening under `listenDir` when a connection to the port
   * ended (a forward cancelled once its connection was open is gone by then).
   */
  listenersAtClose: string[];
}

/**
 * Runs a program with a recording relay in front of `port`: the relay listens
 * on a free loopback port, which `env(relayPort)` must point the program at,
 * and forwards each connection to `port`. When a connection arrives, and
 * before a byte is relayed, the relay finds the process holding its client
 * end in /proc (the connection cannot be gone yet: the relay holds it), so a
 * short connection is never missed, whatever the machine's load. When a
 * connection ends it notes which unix sockets listen under `listenDir`.
 */
export async function watchClients(
  program: string,
  args: string[],
  options: {
    env: (relayPort: number) => Record<string, string>;
    port: number;
    listenDir?: string;
  },
): Promise<Watched> {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const relayPort = (listener.addr as Deno.NetAddr).port;
  const clientPids = new Set<number>();
  const listenersAtClose = new Set<string>();
  const relays: Promise<void>[] = [];
  const accepting = (async () => {
    for await (const conn of listener) {
      const peer = (conn.remoteAddr as Deno.NetAddr).port;
      const end = tcpSockets().find((s) =>
        s.localPort === peer && s.remotePort === relayPort && s.inode !== 0
      );
      const owners = end
        ? socketOwners(new Set([end.inode]), sshdPids()).get(end.inode) ?? []
        : [];
      for (const pid of owners) if (pid !== Deno.pid) clientPids.add(pid);
      relays.push(
        relay(conn, options.port).finally(() => {
          if (options.listenDir) {
            for (const l of unixListenersUnder(options.listenDir)) {
              listenersAtClose.add(l);
            }
          }
        }),
      );
    }
  })();
  const child = new Deno.Command(program, {
    args,
    env: options.env(relayPort),
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const done = await child.output();
  listener.close();
  await accepting.catch(() => {});
  await Promise.allSettled(relays);
  const decode = (b: Uint8Array) => new TextDecoder().decode(b);
  const pids = [...clientPids];
  return {
    code: done.code,
    stdout: decode(done.stdout),
    stderr: decode(done.stderr),
    pid: child.pid,
    clients: pids.map(commandOf),
    clientPids: pids,
    programHeldPort: pids.includes(child.pid),
    listenersAtClose: [...listenersAtClose],
  };
}

/** Copies one connection to `port` and back until either side ends. */
async function relay(conn: Deno.Conn, port: number): Promise<void> {
  let upstream: Deno.Conn;
  try {
    upstream = await Deno.connect({ hostname: "127.0.0.1", port });
  } catch {
    conn.close();
    return;
  }
  const pipe = async (from: Deno.Conn, to: Deno.Conn) => {
    try {
      await from.readable.pipeTo(to.writable, { preventClose: true });
    } catch { /* reset */ }
    try {
      await to.closeWrite();
    } catch { /* closed */ }
  };
  await Promise.all([pipe(conn, upstream), pipe(upstream, conn)]);
  try {
    conn.close();
  } catch { /* closed */ }
  try {
    upstream.close();
  } catch { /* closed */ }
}

/** The IPv4 loopback as /proc/net/tcp writes it (127.0.0.1, little-endian). */
export const LOOPBACK_V4 = "0100007F";

/** The local addresses that listen on a TCP port (`/proc` hex form). */
export function listenAddresses(port: number): string[] {
  return tcpSockets().filter((s) => s.localPort === port && s.state === "0A")
    .map((s) => s.localAddress);
}
