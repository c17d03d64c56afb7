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
}

/**
 * The `-o` options shared by ssh and scp: host keys checked (accept-new into
 * the tool's own known_hosts, never `StrictHostKeyChecking=no`), batch mode,
 * connect timeout, and connection multiplexing through a control socket in a
 * 0700 directory.
 */
export function sshOptions(target: SshTarget): string[] {
  const o = (value: string) => ["-o", value];
  const args = [
    ...o(`Port=${target.port}`),
    ...o(`User=${target.user}`),
    ...o("BatchMode=yes"),
    ...o("StrictHostKeyChecking=accept-new"),
    ...o(`UserKnownHostsFile=${knownHostsPath(target)}`),
    ...o(
      `ConnectTimeout=${
        Math.max(1, Math.ceil(target.connectTimeoutMs / 1000))
      }`,
    ),
    ...o("ControlMaster=auto"),
    ...o(`ControlPath=${controlDir(target)}/%C`),
    ...o("ControlPersist=60"),
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

/** The tool's own known_hosts file. */
export function knownHostsPath(target: SshTarget): string {
  return `${target.stateDir}/known_hosts`;
}

/** The private directory holding control sockets. */
export function controlDir(target: SshTarget): string {
  return `${target.stateDir}/cm`;
}

/** The host as scp wants it in `host:path` (IPv6 in brackets). */
export function scpHost(host: string): string {
  return host.includes(":") ? `[${host}]` : host;
}

/** Creates the state and control directories with mode 0700. */
export async function ensureStateDirs(target: SshTarget): Promise<void> {
  for (const dir of [target.stateDir, controlDir(target)]) {
    await Deno.mkdir(dir, { recursive: true, mode: 0o700 });
    await Deno.chmod(dir, 0o700);
  }
}
