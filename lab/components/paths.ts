import { createHash } from "node:crypto";
import { userInfo } from "node:os";
import { fileURLToPath } from "node:url";
import { listeningPorts, readJson, withLock, writeJson } from "../linux/mod.ts";

/** The components `scripts/lab` starts and stops. */
export const COMPONENTS = [
  "sshd",
  "aloha-server",
  "aloha-client",
  "hatchet",
  "playwright",
  "pages",
] as const;

/** One of {@linkcode COMPONENTS}. */
export type Component = typeof COMPONENTS[number];

/** Loopback ports the lab picked once and keeps in `<lab>/ports.json`. */
export interface LabPorts {
  ssh: number;
  aloha_server: number;
  aloha_client: number;
  playwright: number;
  /** The lab's test pages (loopback HTTP), what Playwright runs browse. */
  pages: number;
  /** hatchet-lite's HTTP entry (`/api` and the static UI): SERVER_URL. */
  hatchet_http: number;
  /** The engine's gRPC port (workers, SDK). */
  hatchet_grpc: number;
  /** `/live` and `/ready`. */
  hatchet_health: number;
  /** The internal REST API server behind `hatchet_http` (SERVER_PORT). */
  hatchet_api: number;
  /** The internal static file server behind `hatchet_http`. */
  hatchet_frontend: number;
}

/** The ports Hatchet's own docs use; taken when free at first allocation. */
const HATCHET_PREFERRED = {
  hatchet_http: 8888,
  hatchet_grpc: 7077,
  hatchet_health: 8733,
} as const;

const HATCHET_KEYS = [
  "hatchet_http",
  "hatchet_grpc",
  "hatchet_health",
  "hatchet_api",
  "hatchet_frontend",
] as const;

/**
 * The browser the lab's Playwright server launches (Debian's Chromium): the
 * lab's "Windows" is Linux underneath, so this path is passed through as is.
 */
export const LAB_CHROMIUM = "/usr/bin/chromium";

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
    hatchet: `${dir}/hatchet`,
    hatchetConfig: `${dir}/hatchet/config`,
    hatchetStatic: `${dir}/hatchet/static`,
    hatchetLog: `${dir}/hatchet/hatchet-lite.log`,
    hatchetPid: `${dir}/hatchet/hatchet-lite.pid`,
    hatchetRunPorts: `${dir}/hatchet/hatchet-lite.ports.json`,
    hatchetSetup: `${dir}/hatchet/setup.json`,
    hatchetToken: `${dir}/hatchet/token`,
    hatchetTokenPorts: `${dir}/hatchet/token.json`,
    playwrightDir: `${dir}/fs/C:/ProgramData/win-automation/playwright`,
    playwrightWsPath: `${dir}/playwright_ws_path`,
    playwrightMismatch: `${dir}/playwright-mismatch`,
    pagesPid: `${dir}/pages.pid`,
    pagesLog: `${dir}/pages.log`,
    /** The power program: must be `powerProgram(dir)` of lab/windows. */
    power: `${dir}/lab-power`,
  };
}

/** What {@linkcode labPaths} returns. */
export type LabPaths = ReturnType<typeof labPaths>;

function freePorts(count: number, hostname = "127.0.0.1"): number[] {
  const listeners = Array.from(
    { length: count },
    () => Deno.listen({ hostname, port: 0 }),
  );
  const ports = listeners.map((l) => l.addr.port);
  for (const listener of listeners) listener.close();
  return ports;
}

/** Whether nothing listens on `port` and it can be bound on all interfaces. */
function portFree(port: number): boolean {
  if (listeningPorts().has(port)) return false;
  try {
    Deno.listen({ hostname: "0.0.0.0", port }).close();
    return true;
  } catch {
    return false;
  }
}

/**
 * Hatchet's ports: hatchet-lite binds its HTTP listeners on all interfaces,
 * so they are picked free there. The first three are Hatchet's usual ports
 * when those are free, else free ports too.
 */
function hatchetPorts(taken: Set<number>): Pick<LabPorts, HatchetKey> {
  const free = freePorts(HATCHET_KEYS.length, "0.0.0.0");
  const out = {} as Pick<LabPorts, HatchetKey>;
  HATCHET_KEYS.forEach((key, i) => {
    const preferred = (HATCHET_PREFERRED as Record<string, number>)[key];
    out[key] = preferred !== undefined && !taken.has(preferred) &&
        portFree(preferred)
      ? preferred
      : free[i]!;
  });
  return out;
}

type HatchetKey = typeof HATCHET_KEYS[number];

/**
 * The lab's ports, picked (free loopback ports) and saved on first use. A
 * `ports.json` from before a component existed gains that component's ports;
 * the ports it holds are kept.
 */
export async function labPorts(
  paths: LabPaths = labPaths(),
): Promise<LabPorts> {
  const complete = (p: Partial<LabPorts> | null): p is LabPorts =>
    p !== null && typeof p.pages === "number" &&
    HATCHET_KEYS.every((key) => typeof p[key] === "number");
  const first = await readJson<Partial<LabPorts> | null>(paths.ports, null)
    .catch(() => null);
  if (complete(first)) return first;
  await Deno.mkdir(paths.dir, { recursive: true });
  return await withLock(`${paths.ports}.lock`, async () => {
    const saved = await readJson<Partial<LabPorts> | null>(paths.ports, null);
    if (complete(saved)) return saved;
    let base = saved;
    if (!base) {
      const [ssh, aloha_server, aloha_client, playwright] = freePorts(4);
      base = {
        ssh: ssh!,
        aloha_server: aloha_server!,
        aloha_client: aloha_client!,
        playwright: playwright!,
      };
    }
    if (typeof base.pages !== "number") {
      const taken = new Set(Object.values(base));
      let pages = freePorts(1)[0]!;
      while (taken.has(pages)) pages = freePorts(1)[0]!;
      base = { ...base, pages };
    }
    const hasHatchet = HATCHET_KEYS.every((key) =>
      typeof base?.[key] === "number"
    );
    const ports = {
      ...base,
      ...(hasHatchet ? {} : hatchetPorts(new Set(Object.values(base)))),
    } as LabPorts;
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
  const token = (await Deno.readTextFile(paths.hatchetToken).catch(() => ""))
    .trim();
  const wsPath =
    (await Deno.readTextFile(paths.playwrightWsPath).catch(() => "")).trim();
  return {
    WIN_AUTOMATION_LAB_DIR: paths.dir,
    WIN_AUTOMATION_WINDOWS_SSH_HOST: "127.0.0.1",
    WIN_AUTOMATION_WINDOWS_SSH_PORT: String(ports.ssh),
    WIN_AUTOMATION_WINDOWS_SSH_USER: labUser(),
    WIN_AUTOMATION_WINDOWS_SSH_IDENTITY_FILE: paths.clientKey,
    WIN_AUTOMATION_STATE_DIR: paths.clientState,
    // Aloha and Playwright are reached through ssh forwards (the default):
    // their addresses below are the ones on the "Windows" side. Direct mode
    // would allow only the Linux host, which for the lab is its loopback.
    WIN_AUTOMATION_ALOHA_VIA: "ssh",
    WIN_AUTOMATION_PLAYWRIGHT_VIA: "ssh",
    WIN_AUTOMATION_WINDOWS_ALLOW_FROM: "127.0.0.1",
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
    WIN_AUTOMATION_PLAYWRIGHT_EXECUTABLE_PATH: LAB_CHROMIUM,
    ...(wsPath ? { WIN_AUTOMATION_PLAYWRIGHT_WS_PATH: wsPath } : {}),
    WIN_LAB_PAGE_URL: `http://127.0.0.1:${ports.pages}/`,
    WIN_AUTOMATION_ARTIFACT_OUT: paths.artifacts,
    WIN_AUTOMATION_HATCHET_HTTP_URL: `http://127.0.0.1:${ports.hatchet_http}`,
    WIN_AUTOMATION_HATCHET_GRPC_ADDRESS: `127.0.0.1:${ports.hatchet_grpc}`,
    WIN_AUTOMATION_HATCHET_HEALTH_URL:
      `http://127.0.0.1:${ports.hatchet_health}`,
    WIN_AUTOMATION_HATCHET_TLS_STRATEGY: "none",
    ...(token ? { WIN_AUTOMATION_HATCHET_TOKEN: token } : {}),
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
