import { readJson, withLock, writeJson } from "../linux/mod.ts";
import {
  ALOHA_LOGS,
  alohaStartCommand,
  LAB_CHROMIUM,
  type LabEnv,
  labEnv,
  type LabPaths,
  labPaths,
  type LabPorts,
  labPorts,
  labUser,
} from "./paths.ts";

/** The most hosts a lab runs (`win-01` … `win-09`). */
export const MAX_HOSTS = 9;

/** The first host: the lab directory itself, the only host of a plain lab. */
export const FIRST_HOST = "win-01";

/** The group the fleet config puts every host in. */
export const LAB_GROUP = "lab";

/** The name of host `i` (1-based): `win-01` … `win-09`. */
export function hostName(i: number): string {
  if (!Number.isInteger(i) || i < 1 || i > MAX_HOSTS) {
    throw new RangeError(
      `Cannot name host ${i}: hosts are numbered 1 to ${MAX_HOSTS}`,
    );
  }
  return `win-0${i}`;
}

/** The names of the first `count` hosts. */
export function hostNames(count: number): string[] {
  checkHostCount(count);
  return Array.from({ length: count }, (_, i) => hostName(i + 1));
}

/** Throws a RangeError unless `count` is a host count the lab runs. */
export function checkHostCount(count: number): void {
  if (!Number.isInteger(count) || count < 1 || count > MAX_HOSTS) {
    throw new RangeError(
      `Cannot run ${count} hosts: the lab runs 1 to ${MAX_HOSTS} hosts`,
    );
  }
}

function hostIndex(name: string): number {
  const match = /^win-0([1-9])$/.exec(name);
  if (!match) {
    throw new RangeError(
      `Cannot find host "${name}": hosts are named win-01 to win-0${MAX_HOSTS}`,
    );
  }
  return Number(match[1]);
}

/**
 * The computer name a host's `hostname` prints: its target name upper-cased
 * (`win-02` is `WIN-02`), as Windows setup and `Rename-Computer` leave it.
 */
export function computerName(host: string): string {
  hostIndex(host);
  return host.toUpperCase();
}

/** Where host `name`'s own files live; `win-01` is the lab directory. */
export function hostDir(name: string, main: LabPaths = labPaths()): string {
  return hostIndex(name) === 1 ? main.dir : `${main.dir}/hosts/${name}`;
}

/**
 * The paths of one host. Its "Windows" side (file system, state, journal,
 * sessions, sshd, host key, power program) is its own; what belongs to the
 * Linux client (the client key, the CLI's state and artifacts, `bin/`) and
 * what is shared (Hatchet, the test pages, the lab's lock) is the lab's.
 */
export function hostPaths(name: string, main: LabPaths = labPaths()): LabPaths {
  const dir = hostDir(name, main);
  if (dir === main.dir) return main;
  const own = labPaths(dir);
  return {
    ...own,
    bin: main.bin,
    clientState: main.clientState,
    artifacts: main.artifacts,
    clientKey: main.clientKey,
    upLock: main.upLock,
    hatchet: main.hatchet,
    hatchetConfig: main.hatchetConfig,
    hatchetStatic: main.hatchetStatic,
    hatchetLog: main.hatchetLog,
    hatchetPid: main.hatchetPid,
    hatchetRunPorts: main.hatchetRunPorts,
    hatchetSetup: main.hatchetSetup,
    hatchetToken: main.hatchetToken,
    hatchetTokenPorts: main.hatchetTokenPorts,
    pagesPid: main.pagesPid,
    pagesLog: main.pagesLog,
    playwrightWsPath: main.playwrightWsPath,
    playwrightMismatch: main.playwrightMismatch,
  };
}

/** The hosts other than win-01 whose directories exist, by name. */
export async function extraHosts(
  main: LabPaths = labPaths(),
): Promise<string[]> {
  const names: string[] = [];
  const entries = await Array.fromAsync(Deno.readDir(`${main.dir}/hosts`))
    .catch(() => []);
  for (const entry of entries) {
    if (entry.isDirectory && /^win-0[2-9]$/.test(entry.name)) {
      names.push(entry.name);
    }
  }
  return names.sort();
}

function freePort(taken: Set<number>): number {
  for (;;) {
    const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    const port = listener.addr.port;
    listener.close();
    if (!taken.has(port)) return port;
  }
}

/**
 * One host's ports, saved in its own `ports.json`: `ssh`, `aloha_server` and
 * `aloha_client` of its own (free loopback ports, none another host of the
 * lab holds), the rest (Playwright, pages, Hatchet) the lab's. The power
 * program reads this file as it reads a plain lab's.
 */
export async function hostPorts(
  name: string,
  main: LabPaths = labPaths(),
): Promise<LabPorts> {
  const shared = await labPorts(main);
  const paths = hostPaths(name, main);
  if (paths === main) return shared;
  const saved = await readJson<LabPorts | null>(paths.ports, null)
    .catch(() => null);
  if (saved) return saved;
  await Deno.mkdir(paths.dir, { recursive: true });
  return await withLock(`${main.ports}.lock`, async () => {
    const again = await readJson<LabPorts | null>(paths.ports, null);
    if (again) return again;
    const taken = new Set(Object.values(shared));
    for (const other of await extraHosts(main)) {
      const p = await readJson<Partial<LabPorts> | null>(
        hostPaths(other, main).ports,
        null,
      ).catch(() => null);
      for (const port of Object.values(p ?? {})) taken.add(port as number);
    }
    const pick = () => {
      const port = freePort(taken);
      taken.add(port);
      return port;
    };
    const ports: LabPorts = {
      ...shared,
      ssh: pick(),
      aloha_server: pick(),
      aloha_client: pick(),
    };
    await writeJson(paths.ports, ports);
    return ports;
  });
}

/** The public host key of a host, `<type> <base64>` (no comment). */
async function hostKeyText(paths: LabPaths): Promise<string | undefined> {
  const text = await Deno.readTextFile(`${paths.hostKey}.pub`).catch(() =>
    null
  );
  return text?.trim().split(/\s+/).slice(0, 2).join(" ") || undefined;
}

/** A target's name as its secret variables spell it (`WIN_01`). */
export function envName(host: string): string {
  return host.toUpperCase().replaceAll("-", "_");
}

/**
 * The fleet config `scripts/lab env --hosts N` points `WIN_AUTOMATION_CONFIG`
 * at: shared defaults at the top level, each host as a target with only the
 * settings a target may set itself, every host in the group `lab`, `win-01`
 * the default. Playwright runs on `win-01` only.
 */
export async function fleetConfig(
  count: number,
  main: LabPaths = labPaths(),
): Promise<Record<string, unknown>> {
  const names = hostNames(count);
  const targets: Record<string, unknown> = {};
  for (const name of names) {
    const paths = hostPaths(name, main);
    const ports = await hostPorts(name, main);
    const hostKey = await hostKeyText(paths);
    targets[name] = {
      windows: {
        ssh_host: "127.0.0.1",
        ssh_port: ports.ssh,
        ...(hostKey ? { ssh_host_key: hostKey } : {}),
      },
      aloha: {
        server_url: `http://127.0.0.1:${ports.aloha_server}`,
        client_url: `http://127.0.0.1:${ports.aloha_client}`,
        server_start_cmd: alohaStartCommand("aloha-server", ports.aloha_server),
        client_start_cmd: alohaStartCommand("aloha-client", ports.aloha_client),
        client_log_path: ALOHA_LOGS["aloha-client"],
      },
      ...(name === FIRST_HOST
        ? {
          playwright: {
            port: ports.playwright,
            executable_path: LAB_CHROMIUM,
          },
        }
        : {}),
      tags: name === FIRST_HOST ? ["lab", "playwright"] : ["lab"],
    };
  }
  return {
    windows: {
      ssh_user: labUser(),
      ssh_identity_file: main.clientKey,
    },
    targets,
    groups: { [LAB_GROUP]: names },
    default_target: FIRST_HOST,
  };
}

/** Where the lab writes the fleet config. */
export function fleetConfigPath(main: LabPaths = labPaths()): string {
  return `${main.dir}/targets.json`;
}

/**
 * The lab's environment for `count` hosts: today's variables (they point at
 * `win-01`), plus `WIN_AUTOMATION_CONFIG` (the fleet config, written here)
 * and each Playwright host's ws path as its target's secret. One host: the
 * plain environment, unchanged.
 */
export async function fleetEnv(
  count: number,
  main: LabPaths = labPaths(),
): Promise<LabEnv> {
  checkHostCount(count);
  const env = await labEnv(main);
  if (count === 1) return env;
  const path = fleetConfigPath(main);
  await writeJson(path, await fleetConfig(count, main));
  const wsPath = env.WIN_AUTOMATION_PLAYWRIGHT_WS_PATH;
  return {
    ...env,
    WIN_AUTOMATION_CONFIG: path,
    ...(wsPath
      ? {
        [`WIN_AUTOMATION_TARGET_${envName(FIRST_HOST)}_PLAYWRIGHT_WS_PATH`]:
          wsPath,
      }
      : {}),
  };
}

/**
 * The plain variables pointed at one host (its ssh port, Aloha addresses and
 * start commands), without `WIN_AUTOMATION_CONFIG`: how a test selects a host
 * with today's CLI. Playwright variables stay `win-01`'s.
 */
export async function hostEnv(
  name: string,
  main: LabPaths = labPaths(),
): Promise<LabEnv> {
  const env = await labEnv(main);
  const ports = await hostPorts(name, main);
  return {
    ...env,
    WIN_AUTOMATION_WINDOWS_SSH_PORT: String(ports.ssh),
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
  };
}

/** `<lab>/hosts.json`: how many hosts the last `up` started. */
export function hostCountPath(main: LabPaths = labPaths()): string {
  return `${main.dir}/hosts.json`;
}

/** How many hosts the last `up` started (1 when never said). */
export async function savedHostCount(
  main: LabPaths = labPaths(),
): Promise<number> {
  const saved = await readJson<{ hosts?: number } | null>(
    hostCountPath(main),
    null,
  ).catch(() => null);
  const n = saved?.hosts;
  return typeof n === "number" && Number.isInteger(n) && n >= 1 &&
      n <= MAX_HOSTS
    ? n
    : 1;
}
