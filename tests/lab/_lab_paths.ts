import { createHash } from "node:crypto";
import { userInfo } from "node:os";
import { fileURLToPath } from "node:url";
import { readJson, withLock, writeJson } from "./_json_file.ts";

/** The components `scripts/lab` starts and stops. */
export const COMPONENTS = ["sshd", "aloha-server", "aloha-client"] as const;

/** One of {@linkcode COMPONENTS}. */
export type Component = typeof COMPONENTS[number];

/** Loopback ports the lab picked once and keeps in `<lab>/ports.json`. */
export interface LabPorts {
  ssh: number;
  aloha_server: number;
  aloha_client: number;
  playwright: number;
}

/** Environment variables for the CLI against the lab (PATH included). */
export type LabEnv = Record<string, string>;

/** The checkout this lab belongs to. */
export function repoRoot(): string {
  return fileURLToPath(new URL("../..", import.meta.url)).replace(/\/$/, "");
}

/**
 * The lab directory: `${TMPDIR:-/tmp}/wa-lab-<first 10 hex of sha256(repo
 * root)>`, short so ssh control socket paths fit.
 */
export function labDir(): string {
  const hash = createHash("sha256").update(repoRoot()).digest("hex").slice(
    0,
    10,
  );
  const tmp = (Deno.env.get("TMPDIR") || "/tmp").replace(/\/$/, "");
  return `${tmp}/wa-lab-${hash}`;
}

/** The user the lab's sshd lets in: whoever runs the lab. */
export function labUser(): string {
  return userInfo().username;
}

/** Every path the lab uses. */
export function labPaths(dir: string = labDir()) {
  return {
    dir,
    fs: `${dir}/fs`,
    state: `${dir}/state`,
    winbin: `${dir}/winbin`,
    home: `${dir}/home`,
    bin: `${dir}/bin`,
    clientState: `${dir}/client-state`,
    artifacts: `${dir}/artifacts`,
    hostKey: `${dir}/ssh_host_ed25519_key`,
    clientKey: `${dir}/client_key`,
    authorizedKeys: `${dir}/authorized_keys`,
    knownHosts: `${dir}/known_hosts`,
    sshdConfig: `${dir}/sshd_config`,
    sshdPid: `${dir}/sshd.pid`,
    sshdLog: `${dir}/sshd.log`,
    ports: `${dir}/ports.json`,
    journal: `${dir}/journal.jsonl`,
    runDir: `${dir}/fs/C:/ProgramData/win-automation/run`,
    upLock: `${dir}/up.lock`,
  };
}

/** What {@linkcode labPaths} returns. */
export type LabPaths = ReturnType<typeof labPaths>;

function freePorts(count: number): number[] {
  const listeners = Array.from(
    { length: count },
    () => Deno.listen({ hostname: "127.0.0.1", port: 0 }),
  );
  const ports = listeners.map((l) => l.addr.port);
  for (const listener of listeners) listener.close();
  return ports;
}

/** The lab's ports, picked (free loopback ports) and saved on first use. */
export async function labPorts(
  paths: LabPaths = labPaths(),
): Promise<LabPorts> {
  await Deno.mkdir(paths.dir, { recursive: true });
  return await withLock(`${paths.ports}.lock`, async () => {
    const saved = await readJson<LabPorts | null>(paths.ports, null);
    if (saved) return saved;
    const [ssh, aloha_server, aloha_client, playwright] = freePorts(4);
    const ports = {
      ssh: ssh!,
      aloha_server: aloha_server!,
      aloha_client: aloha_client!,
      playwright: playwright!,
    };
    await writeJson(paths.ports, ports);
    return ports;
  });
}

/** The Windows log paths of the Aloha processes. */
export const ALOHA_LOGS = {
  "aloha-server": "C:\\aloha\\server.log",
  "aloha-client": "C:\\aloha\\client.log",
} as const;

/** The PowerShell command that starts an Aloha process on "Windows". */
export function alohaStartCommand(
  name: "aloha-server" | "aloha-client",
  port: number,
): string {
  return `Start-Process -FilePath ${name} -ArgumentList '--port','${port}' ` +
    `-RedirectStandardError '${ALOHA_LOGS[name]}' -WindowStyle Hidden`;
}

/** The environment that points the CLI at the lab. Starts nothing. */
export async function labEnv(paths: LabPaths = labPaths()): Promise<LabEnv> {
  const ports = await labPorts(paths);
  return {
    WIN_AUTOMATION_LAB_DIR: paths.dir,
    WIN_AUTOMATION_WINDOWS_SSH_HOST: "127.0.0.1",
    WIN_AUTOMATION_WINDOWS_SSH_PORT: String(ports.ssh),
    WIN_AUTOMATION_WINDOWS_SSH_USER: labUser(),
    WIN_AUTOMATION_WINDOWS_SSH_IDENTITY_FILE: paths.clientKey,
    WIN_AUTOMATION_STATE_DIR: paths.clientState,
    WIN_AUTOMATION_ALOHA_SERVER_URL: `http://127.0.0.1:${ports.aloha_server}`,
    WIN_AUTOMATION_ALOHA_CLIENT_URL: `http://127.0.0.1:${ports.aloha_client}`,
    WIN_AUTOMATION_ALOHA_SERVER_START_CMD: alohaStartCommand(
      "aloha-server",
      ports.aloha_server,
    ),
    WIN_AUTOMATION_ALOHA_CLIENT_START_CMD: alohaStartCommand(
      "aloha-client",
      ports.aloha_client,
    ),
    WIN_AUTOMATION_ALOHA_CLIENT_LOG_PATH: ALOHA_LOGS["aloha-client"],
    WIN_AUTOMATION_PLAYWRIGHT_PORT: String(ports.playwright),
    WIN_AUTOMATION_ARTIFACT_OUT: paths.artifacts,
    PATH: `${paths.bin}:${Deno.env.get("PATH") ?? "/usr/bin:/bin"}`,
  };
}

/** Quotes a value for a POSIX shell. */
export function shellQuote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

/** `export K='v'` lines for `eval`; PATH gains the lab's bin directory. */
export function envExports(env: LabEnv, paths: LabPaths = labPaths()): string {
  const lines = Object.entries(env)
    .filter(([key]) => key !== "PATH")
    .map(([key, value]) => `export ${key}=${shellQuote(value)}`);
  lines.push(`export PATH=${shellQuote(paths.bin)}:"$PATH"`);
  return lines.join("\n") + "\n";
}
