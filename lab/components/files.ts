import { CLI_PERMISSIONS } from "../../scripts/permissions.ts";
import { readJson, writeJson } from "../linux/mod.ts";
import {
  type LabPaths,
  type LabPorts,
  labUser,
  repoRoot,
  shellQuote,
} from "./paths.ts";

/** Windows folders that exist on any real machine the tool talks to. */
const WINDOWS_DIRS = [
  "C:/ProgramData/win-automation/run",
  "C:/aloha",
  "C:/Windows/System32",
];

/** OpenSSH's SFTP server, which serves the lab's sftp subsystem. */
export const SFTP_SERVER = "/usr/lib/openssh/sftp-server";

/**
 * The lab's sftp subsystem command. With `ForceCommand`, sshd runs the forced
 * command for a subsystem request too, with this string as
 * `SSH_ORIGINAL_COMMAND` (OpenSSH `session.c`, `do_exec`); the session wrapper
 * runs it when it sees exactly this string.
 */
export function sftpCommand(paths: LabPaths): string {
  return `${SFTP_SERVER} -d ${paths.fs}`;
}

/** Writes a file only when its content differs; returns whether it did. */
async function writeIfChanged(
  path: string,
  text: string,
  mode?: number,
): Promise<boolean> {
  const old = await Deno.readTextFile(path).catch(() => null);
  if (old === text) return false;
  await Deno.writeTextFile(path, text, mode === undefined ? {} : { mode });
  if (mode !== undefined) await Deno.chmod(path, mode);
  return true;
}

async function exists(path: string): Promise<boolean> {
  return await Deno.lstat(path).then(() => true, () => false);
}

async function keygen(path: string, comment: string): Promise<void> {
  await Deno.remove(path).catch(() => {});
  await Deno.remove(`${path}.pub`).catch(() => {});
  const output = await new Deno.Command("ssh-keygen", {
    args: ["-q", "-t", "ed25519", "-N", "", "-C", comment, "-f", path],
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!output.success) {
    const why = new TextDecoder().decode(output.stderr).trim();
    throw new Error(`Cannot generate ssh key "${path}": ${why}`);
  }
}

/** The Deno cache the lab's programs use: the caller's. */
function denoDir(): string {
  return Deno.env.get("DENO_DIR") ||
    `${Deno.env.get("HOME") ?? "/root"}/.cache/deno`;
}

/**
 * The lab sshd's configuration. A host of a fleet lab passes its computer
 * name, which sshd sets as `WIN_LAB_HOSTNAME` for every session (what
 * `hostname` prints); a plain lab's host keeps the default.
 */
export function sshdConfig(
  paths: LabPaths,
  ports: LabPorts,
  computerName?: string,
): string {
  const name = computerName === undefined
    ? ""
    : ` WIN_LAB_HOSTNAME=${computerName}`;
  return [
    "# Written by lab/main.ts for the win-automation lab.",
    `Port ${ports.ssh}`,
    "ListenAddress 127.0.0.1",
    `HostKey ${paths.hostKey}`,
    `AuthorizedKeysFile ${paths.authorizedKeys}`,
    `PidFile ${paths.sshdPid}`,
    "StrictModes no",
    "PasswordAuthentication no",
    "KbdInteractiveAuthentication no",
    "PubkeyAuthentication yes",
    "UsePAM no",
    "PermitRootLogin prohibit-password",
    `AllowUsers ${labUser()}`,
    "PrintMotd no",
    "MaxSessions 50",
    "MaxStartups 100:30:200",
    // Every exec and subsystem request goes through the lab's model of
    // Win32-OpenSSH's session handling (lab/session/main.ts).
    `ForceCommand ${paths.winbin}/ssh-session`,
    `Subsystem sftp ${sftpCommand(paths)}`,
    // HOME points into the lab so the session shell does not source the
    // developer's ~/.bashrc (bash does so for sshd sessions); DENO_DIR keeps
    // the emulator on the developer's Deno cache.
    `SetEnv PATH=${paths.winbin}:/usr/local/bin:/usr/bin:/bin WIN_LAB_DIR=${paths.dir} HOME=${paths.home} DENO_DIR=${denoDir()}${name}`,
    "",
  ].join("\n");
}

/** A shell word: as is when plain, else single-quoted. */
function word(value: string): string {
  return /^[\w=,./:@+-]+$/.test(value) ? value : shellQuote(value);
}

function denoWrapper(name: string, flags: string[], script: string): string {
  const deno = word(Deno.execPath());
  return [
    "#!/bin/bash",
    `# The lab's ${name}; written by lab/main.ts.`,
    "export DENO_NO_UPDATE_CHECK=1",
    `exec ${deno} run ${flags.map(word).join(" ")} ${word(script)} "$@"`,
    "",
  ].join("\n");
}

/**
 * sshd's forced command: the sftp subsystem goes to OpenSSH's sftp-server,
 * every other request to the session model.
 */
function sessionWrapper(paths: LabPaths, script: string): string {
  const sftp = sftpCommand(paths);
  return [
    "#!/bin/bash",
    "# The lab's Win32-OpenSSH session handling (sshd's ForceCommand); written by lab/main.ts.",
    `if [ "\${SSH_ORIGINAL_COMMAND-}" = ${shellQuote(sftp)} ]; then`,
    `  exec ${SFTP_SERVER} -d ${word(paths.fs)}`,
    "fi",
    "export DENO_NO_UPDATE_CHECK=1",
    `exec ${word(Deno.execPath())} run --allow-all --no-prompt --no-config ${
      word(script)
    }`,
    "",
  ].join("\n");
}

/** The lab's programs: `winbin/` is "Windows" (sshd's PATH), `bin/` the CLI. */
export function wrappers(paths: LabPaths): Record<string, string> {
  const lab = `${repoRoot()}/lab`;
  const service = [
    "--allow-read",
    "--allow-write",
    "--allow-env",
    "--allow-net",
  ];
  return {
    // All: the session reads /proc (its parent, job members' environments).
    [`${paths.winbin}/ssh-session`]: sessionWrapper(
      paths,
      `${lab}/session/main.ts`,
    ),
    [`${paths.winbin}/powershell`]: denoWrapper(
      "powershell",
      // All: Deno reads /proc (process and socket tables) only with --allow-all.
      ["--allow-all", "--no-prompt", "--no-config"],
      `${lab}/powershell/main.ts`,
    ),
    [`${paths.winbin}/aloha-server`]: denoWrapper(
      "aloha-server",
      [...service, "--no-prompt", "--no-config"],
      `${lab}/aloha/server.ts`,
    ),
    [`${paths.winbin}/aloha-client`]: denoWrapper(
      "aloha-client",
      [...service, "--no-prompt", "--no-config"],
      `${lab}/aloha/client.ts`,
    ),
    // All: the restart reads /proc and signals every emulated process.
    [paths.power]: denoWrapper(
      "power program (restarts the emulated Windows)",
      ["--allow-all", "--no-prompt", "--no-config"],
      `${lab}/components/power.ts`,
    ),
    [`${paths.bin}/win-automation`]: denoWrapper(
      "win-automation (this checkout's CLI)",
      [...CLI_PERMISSIONS, "--config", `${repoRoot()}/deno.json`],
      `${repoRoot()}/main.ts`,
    ),
  };
}

/**
 * "Windows" has Node.js: `<lab>/winbin/node` is the machine's node, which the
 * emulated `Get-Command node` and the Playwright task run.
 */
async function linkNode(paths: LabPaths): Promise<void> {
  const which = await new Deno.Command("bash", {
    args: ["-c", "command -v node"],
    stdout: "piped",
    stderr: "null",
  }).output();
  const node = new TextDecoder().decode(which.stdout).trim();
  if (!node) throw new Error("Cannot set up the lab: node is not on PATH");
  const link = `${paths.winbin}/node`;
  if (await Deno.readLink(link).catch(() => null) === node) return;
  await Deno.remove(link).catch(() => {});
  await Deno.symlink(node, link);
}

/** The initial Windows state; files that exist are kept. */
export function seedState(ports: LabPorts): Record<string, unknown> {
  return {
    "firewall.json": {
      rules: [
        {
          name: `Aloha-${ports.aloha_server}`,
          port: ports.aloha_server,
          enabled: true,
        },
        {
          name: `Aloha-${ports.aloha_client}`,
          port: ports.aloha_client,
          enabled: true,
        },
        {
          name: `Playwright-${ports.playwright}`,
          port: ports.playwright,
          enabled: true,
        },
      ],
    },
    "desktop.json": { locked: false, user: labUser() },
    "tasks.json": { tasks: [] },
  };
}

/**
 * Creates every directory, key, config file and wrapper the lab needs. Keys
 * are made once; other files are rewritten only when their content changes.
 */
export async function ensureFiles(
  paths: LabPaths,
  ports: LabPorts,
  options: {
    /** The host's computer name (a fleet lab's host). @default "WIN-LAB" */
    computerName?: string;
  } = {},
): Promise<void> {
  for (
    const dir of [
      paths.fs,
      paths.state,
      paths.winbin,
      paths.home,
      paths.bin,
      paths.artifacts,
    ]
  ) {
    await Deno.mkdir(dir, { recursive: true });
  }
  await Deno.mkdir(paths.clientState, { recursive: true, mode: 0o700 });
  await Deno.chmod(paths.clientState, 0o700);
  for (const dir of [...WINDOWS_DIRS, `C:/Users/${labUser()}`]) {
    await Deno.mkdir(`${paths.fs}/${dir}`, { recursive: true });
  }
  if (!await exists(paths.hostKey)) {
    await keygen(paths.hostKey, "wa-lab-host");
    await Deno.remove(paths.knownHosts).catch(() => {});
  }
  if (!await exists(paths.clientKey)) {
    await keygen(paths.clientKey, "wa-lab-client");
  }
  await writeIfChanged(
    paths.authorizedKeys,
    await Deno.readTextFile(`${paths.clientKey}.pub`),
  );
  await writeIfChanged(
    paths.sshdConfig,
    sshdConfig(paths, ports, options.computerName),
  );
  for (const [path, text] of Object.entries(wrappers(paths))) {
    await writeIfChanged(path, text, 0o755);
  }
  await linkNode(paths);
  if (!await exists(SFTP_SERVER)) {
    throw new Error(
      `Cannot set up the lab: ${SFTP_SERVER} is missing (Debian: apt-get install openssh-sftp-server)`,
    );
  }
  for (const [name, value] of Object.entries(seedState(ports))) {
    const path = `${paths.state}/${name}`;
    if (await readJson(path, null) === null) await writeJson(path, value);
  }
  await addConsoleUser(paths);
}

/**
 * A `desktop.json` from before the lab modeled the console session has no
 * `user` key: the lab user is logged on there, as in a fresh seed. A `user`
 * that is null (logged off) is kept.
 */
async function addConsoleUser(paths: LabPaths): Promise<void> {
  const path = `${paths.state}/desktop.json`;
  const desktop = await readJson<Record<string, unknown>>(path, {});
  if ("user" in desktop) return;
  await writeJson(path, { ...desktop, user: labUser() });
}
