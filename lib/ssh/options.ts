import { ConfigError } from "../errors/mod.ts";
import { ensurePrivateDir, resolve, writeFileAtomic } from "../fs/mod.ts";
import { parseHostKey, pinnedKnownHosts } from "./host_key.ts";

/** Where and how to reach the Windows host over SSH. */
export interface SshTarget {
  /** Host name or address. */
  host: string;
  /** TCP port. */
  port: number;
  /** Login user. */
  user: string;
  /** Private key file; empty uses ssh's defaults. */
  identityFile: string;
  /** Connect timeout in milliseconds. */
  connectTimeoutMs: number;
  /** Private directory for known_hosts and control sockets. */
  stateDir: string;
  /**
   * A pinned public host key line (`windows.ssh_host_key`): when set, ssh
   * trusts exactly this key (`StrictHostKeyChecking=yes`, a dedicated
   * known_hosts); when empty, the first key seen is accepted and kept.
   * @default ""
   */
  hostKey?: string;
}

/** Longest unix socket path (Linux `sun_path` is 108 bytes with its NUL). */
export const UNIX_SOCKET_PATH_MAX = 107;

/**
 * What ssh adds to a control socket path while it sets the master up: a dot
 * and 16 random characters (OpenSSH's `muxserver_listen`).
 */
const CONTROL_TEMP_SUFFIX = 17;

/** `%C` expands to a 40-hex-digit hash. */
const CONTROL_NAME_LENGTH = 40;

/**
 * Why a state dir cannot hold ssh's control sockets, or undefined when it
 * can: the socket path `<state_dir>/cm/<%C>` plus ssh's temporary suffix
 * must fit a unix socket address.
 */
export function controlPathProblem(stateDir: string): string | undefined {
  const bytes = new TextEncoder().encode(
    `${resolve(stateDir)}/cm/`,
  ).length + CONTROL_NAME_LENGTH + CONTROL_TEMP_SUFFIX;
  if (bytes <= UNIX_SOCKET_PATH_MAX) return undefined;
  const room = UNIX_SOCKET_PATH_MAX - CONTROL_NAME_LENGTH -
    CONTROL_TEMP_SUFFIX - "/cm/".length;
  return `is too long for ssh's control sockets: "<state_dir>/cm/<40 hex>" plus ssh's 17-byte temporary suffix is ${bytes} bytes, over the unix socket limit of ${UNIX_SOCKET_PATH_MAX}; use an absolute state_dir of at most ${room} bytes`;
}

/**
 * The `-o` options shared by ssh and scp: host keys checked (accept-new into
 * the tool's own known_hosts, never `StrictHostKeyChecking=no`), batch mode,
 * connect timeout, and connection multiplexing through a control socket in a
 * 0700 directory.
 */
export function sshOptions(target: SshTarget): string[] {
  const o = (value: string) => ["-o", value];
  const pinned = !!target.hostKey;
  const args = [
    ...o(`Port=${target.port}`),
    ...o(`User=${target.user}`),
    ...o("BatchMode=yes"),
    ...o(`StrictHostKeyChecking=${pinned ? "yes" : "accept-new"}`),
    ...o(`UserKnownHostsFile=${knownHostsPath(target)}`),
    ...(pinned
      ? [
        // Only the pinned key counts: not the system's known hosts, and ssh
        // must not add keys or addresses to the pinned file.
        ...o("GlobalKnownHostsFile=/dev/null"),
        ...o("UpdateHostKeys=no"),
        ...o("CheckHostIP=no"),
      ]
      : []),
    ...o(
      `ConnectTimeout=${
        Math.max(1, Math.ceil(target.connectTimeoutMs / 1000))
      }`,
    ),
    ...o("ControlMaster=auto"),
    ...o(`ControlPath=${controlDir(target)}/%C`),
    ...o("ControlPersist=60"),
    // Forward sockets (lib/ssh/forward.ts) are created 0600, in a 0700 dir.
    ...o("StreamLocalBindMask=0177"),
    ...o("ServerAliveInterval=15"),
    ...o("ServerAliveCountMax=3"),
    ...o("LogLevel=ERROR"),
  ];
  if (target.identityFile) {
    args.push(
      ...o(`IdentityFile=${target.identityFile}`),
      ...o("IdentitiesOnly=yes"),
    );
  }
  return args;
}

/**
 * The tool's own known_hosts file: `known_hosts` (trust on first use), or
 * `known_hosts.pinned.<host>.<port>` holding exactly the pinned key of that
 * host. One file per host: targets (a worker serving several, or one
 * worker per target) share a state dir, and one file for all would hold
 * only the key its last writer pinned.
 */
export function knownHostsPath(target: SshTarget): string {
  return target.hostKey
    ? `${target.stateDir}/known_hosts.pinned.${
      target.host.replace(/[^A-Za-z0-9.-]/g, "_")
    }.${target.port}`
    : `${target.stateDir}/known_hosts`;
}

/** The private directory holding control sockets. */
export function controlDir(target: SshTarget): string {
  return `${target.stateDir}/cm`;
}

/** The host as scp wants it in `host:path` (IPv6 in brackets). */
export function scpHost(host: string): string {
  return host.includes(":") ? `[${host}]` : host;
}

/**
 * Makes sure the state and control directories are private (created 0700,
 * an existing one checked and left untouched: a ConfigError naming
 * `state_dir` when another user owns it or others may write it), and with a
 * pinned key writes the dedicated known_hosts holding exactly that key.
 */
export async function ensureStateDirs(target: SshTarget): Promise<void> {
  for (const dir of [target.stateDir, controlDir(target)]) {
    await ensurePrivateDir(dir, { field: "state_dir" });
  }
  if (target.hostKey) {
    const key = parseHostKey(target.hostKey);
    if (typeof key === "string") {
      throw new ConfigError("windows.ssh_host_key", key);
    }
    await writeFileAtomic(
      knownHostsPath(target),
      pinnedKnownHosts(target.host, target.port, key),
    );
  }
}
