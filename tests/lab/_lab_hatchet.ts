/**
 * The lab's Hatchet: Hatchet's own `hatchet-lite` engine (built from its Go
 * module, see `_hatchet_build.ts`) on the machine's PostgreSQL, one database
 * and one state directory (`<lab>/hatchet/`) per lab.
 * @module
 */
import { ensureHatchetBinaries } from "./_hatchet_build.ts";
import {
  databaseUrl,
  ensureDatabase,
  ensurePostgres,
  labDatabase,
  pgAdminUrl,
  psqlOk,
  redact,
} from "./_hatchet_pg.ts";
import { readJson, writeJson } from "./_json_file.ts";
import { type LabPaths, type LabPorts, repoRoot } from "./_lab_paths.ts";
import {
  cmdline,
  isAlive,
  listeningPorts,
  terminate,
  waitUntilAsync,
} from "./_proc.ts";
import { spawnDetached } from "./_spawn_detached.ts";

/** The Hatchet engine version the lab runs: the single source of it. */
export const HATCHET_VERSION = "v0.105.0";

/** The engine binaries, built into the cache on first use. */
export function hatchetBinaries(): Promise<string> {
  return ensureHatchetBinaries(HATCHET_VERSION);
}

/**
 * Left in the database by a hatchet-lite that did not exit cleanly (its
 * main returns on SIGTERM without the engine's cleanup): partitions, leases,
 * dispatchers and tickers that look alive for up to a minute and make a new
 * engine schedule nothing, or assign to a dead dispatcher. Safe to drop
 * while no engine runs on the database (every FK is ON DELETE SET NULL).
 */
const STALE_STATE_SQL = 'BEGIN; DELETE FROM "SchedulerPartition"; ' +
  'DELETE FROM "ControllerPartition"; DELETE FROM "TenantWorkerPartition"; ' +
  'DELETE FROM "Lease"; DELETE FROM "Dispatcher"; DELETE FROM "Ticker"; COMMIT;';

const READY_TIMEOUT_MS = 60_000;

/** The lab's hatchet-lite pid, if it runs (checked against its command line). */
export function hatchetPid(paths: LabPaths): number | null {
  let text: string;
  try {
    text = Deno.readTextFileSync(paths.hatchetPid);
  } catch {
    return null;
  }
  const pid = Number(text.trim());
  const line = cmdline(pid);
  return isAlive(pid) && line.includes("hatchet-lite") &&
      line.includes(`--config ${paths.hatchetConfig}`)
    ? pid
    : null;
}

/** The engine's environment (read by hatchet-migrate, -admin and -lite). */
export function engineEnv(
  paths: LabPaths,
  ports: LabPorts,
): Record<string, string> {
  const grpc = `127.0.0.1:${ports.hatchet_grpc}`;
  return {
    DATABASE_URL: databaseUrl(pgAdminUrl(), labDatabase(paths.dir)),
    DATABASE_MAX_CONNS: "20",
    DATABASE_LOGGER_LEVEL: "warn",
    SERVER_MSGQUEUE_KIND: "postgres",
    // Baked into tokens (server_url) and checked on every authenticated call.
    SERVER_URL: `http://127.0.0.1:${ports.hatchet_http}`,
    SERVER_PORT: String(ports.hatchet_api),
    SERVER_GRPC_PORT: String(ports.hatchet_grpc),
    SERVER_GRPC_BIND_ADDRESS: "127.0.0.1",
    // Baked into tokens (grpc_broadcast_address): the SDK's default host.
    SERVER_GRPC_BROADCAST_ADDRESS: grpc,
    SERVER_GRPC_INSECURE: "t",
    SERVER_INTERNAL_CLIENT_INTERNAL_GRPC_BROADCAST_ADDRESS: grpc,
    SERVER_HEALTHCHECK_PORT: String(ports.hatchet_health),
    SERVER_AUTH_COOKIE_DOMAIN: "localhost",
    SERVER_AUTH_COOKIE_INSECURE: "t",
    SERVER_AUTH_SET_EMAIL_VERIFIED: "t",
    SERVER_ANALYTICS_POSTHOG_ENABLED: "f",
    SERVER_LOGGER_LEVEL: "warn",
    SERVER_LOGGER_FORMAT: "console",
    LITE_STATIC_ASSET_DIR: paths.hatchetStatic,
    LITE_FRONTEND_PORT: String(ports.hatchet_frontend),
    LITE_RUNTIME_PORT: String(ports.hatchet_http),
  };
}

async function runTool(
  program: string,
  args: string[],
  env: Record<string, string>,
  cwd: string,
): Promise<string> {
  const output = await new Deno.Command(program, {
    args,
    env,
    cwd,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  if (!output.success) {
    const why = (text(output.stderr) || text(output.stdout)).trim().split("\n")
      .slice(-10).join("\n");
    throw new Error(`Cannot set up hatchet: ${program} failed: ${why}`);
  }
  return text(output.stdout);
}

/**
 * Migrates the database and runs quickstart (keys into `config/`, seed
 * tenant) when not yet done for this version and database. A new setup
 * invalidates the token.
 */
async function setUp(
  paths: LabPaths,
  bin: string,
  env: Record<string, string>,
  created: boolean,
): Promise<void> {
  const marker = {
    version: HATCHET_VERSION,
    database: redact(env.DATABASE_URL!),
  };
  const saved = await readJson<typeof marker | null>(paths.hatchetSetup, null);
  const done = !created && saved?.version === marker.version &&
    saved.database === marker.database &&
    await Deno.stat(`${paths.hatchetConfig}/server.yaml`).then(
      () => true,
      () => false,
    );
  if (done) return;
  await runTool(`${bin}/hatchet-migrate`, [], env, paths.hatchet);
  await runTool(
    `${bin}/hatchet-admin`,
    [
      "quickstart",
      "--skip",
      "certs",
      "--config",
      paths.hatchetConfig,
      "--generated-config-dir",
      paths.hatchetConfig,
      "--overwrite=false",
    ],
    env,
    paths.hatchetConfig,
  );
  await Deno.remove(paths.hatchetToken).catch(() => {});
  await writeJson(paths.hatchetSetup, marker);
}

/**
 * Creates the API token (default tenant, 10 years) unless the one on file
 * was made for the current HTTP and gRPC ports, which it carries. Mode 0600.
 */
async function ensureToken(
  paths: LabPaths,
  ports: LabPorts,
  bin: string,
  env: Record<string, string>,
): Promise<void> {
  const want = { http: ports.hatchet_http, grpc: ports.hatchet_grpc };
  const made = await readJson<typeof want | null>(
    paths.hatchetTokenPorts,
    null,
  );
  const token = await Deno.readTextFile(paths.hatchetToken).catch(() => "");
  if (token.trim() && made?.http === want.http && made.grpc === want.grpc) {
    return;
  }
  const out = await runTool(
    `${bin}/hatchet-admin`,
    [
      "token",
      "create",
      "--config",
      paths.hatchetConfig,
      "--name",
      "wa-lab",
      "--expiresIn",
      "87600h",
    ],
    env,
    paths.hatchetConfig,
  );
  const jwt = out.trim().split("\n").at(-1)?.trim() ?? "";
  if (!/^[\w-]+\.[\w-]+\.[\w-]+$/.test(jwt)) {
    throw new Error("Cannot set up hatchet: token create printed no token");
  }
  const tmp = `${paths.hatchetToken}.${Deno.pid}.tmp`;
  await Deno.writeTextFile(tmp, jwt + "\n", { mode: 0o600 });
  await Deno.chmod(tmp, 0o600);
  await Deno.rename(tmp, paths.hatchetToken);
  await writeJson(paths.hatchetTokenPorts, want);
}

async function httpOk(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
    await response.body?.cancel();
    return response.status === 200;
  } catch {
    return false;
  }
}

async function tcpAccepts(port: number): Promise<boolean> {
  try {
    (await Deno.connect({ hostname: "127.0.0.1", port })).close();
    return true;
  } catch {
    return false;
  }
}

/**
 * Ready: health `/ready` is 200, the gRPC port accepts and `/api/ready` is
 * 200. Health `/ready` alone can be 200 before the others listen.
 */
export async function hatchetReady(ports: LabPorts): Promise<boolean> {
  return await httpOk(`http://127.0.0.1:${ports.hatchet_health}/ready`) &&
    await tcpAccepts(ports.hatchet_grpc) &&
    await httpOk(`http://127.0.0.1:${ports.hatchet_http}/api/ready`);
}

async function logTail(paths: LabPaths, from: number): Promise<string> {
  const bytes = await Deno.readFile(paths.hatchetLog).catch(() => null);
  const text = bytes ? new TextDecoder().decode(bytes.subarray(from)) : "";
  const lines = text.trim().split("\n").slice(-20).join("\n");
  return lines
    ? `; last log lines (${paths.hatchetLog}):\n${lines}`
    : "; empty log";
}

async function waitReady(
  paths: LabPaths,
  ports: LabPorts,
  pid: number,
  logFrom: number,
): Promise<void> {
  const ready = await waitUntilAsync(
    async () => !isAlive(pid) || await hatchetReady(ports),
    READY_TIMEOUT_MS,
  );
  if (!isAlive(pid)) {
    throw new Error(
      `Cannot start hatchet: hatchet-lite (pid ${pid}) exited${await logTail(
        paths,
        logFrom,
      )}`,
    );
  }
  if (!ready) {
    throw new Error(
      `Cannot start hatchet: not ready within ${READY_TIMEOUT_MS / 1000}s ` +
        `(health /ready, gRPC port ${ports.hatchet_grpc}, /api/ready)${await logTail(
          paths,
          logFrom,
        )}`,
    );
  }
}

async function ensureDirs(paths: LabPaths): Promise<void> {
  for (const dir of [paths.hatchet, paths.hatchetConfig]) {
    await Deno.mkdir(dir, { recursive: true, mode: 0o700 });
    await Deno.chmod(dir, 0o700);
  }
  const real = await Deno.realPath(paths.hatchet);
  const repo = await Deno.realPath(repoRoot());
  if (real === repo || real.startsWith(`${repo}/`)) {
    throw new Error(
      `Refusing to keep Hatchet's keys and token inside the checkout (${real}); set TMPDIR outside ${repo}`,
    );
  }
  await Deno.mkdir(paths.hatchetStatic, { recursive: true });
  const index = `${paths.hatchetStatic}/index.html`;
  if (!await Deno.stat(index).then(() => true, () => false)) {
    await Deno.writeTextFile(
      index,
      "<!doctype html><title>hatchet-lite (lab, no UI built)</title>\n",
    );
  }
}

/**
 * Starts the lab's hatchet-lite unless it runs and is ready: PostgreSQL and
 * the lab's database, migrate and quickstart (once), the token (once per
 * HTTP/gRPC port pair), the stale-state cleanup, then the engine, detached.
 * `bin` is {@linkcode hatchetBinaries}.
 */
export async function startHatchet(
  paths: LabPaths,
  ports: LabPorts,
  bin: string,
): Promise<void> {
  await ensureDirs(paths);
  const env = engineEnv(paths, ports);
  const running = hatchetPid(paths);
  if (running !== null) {
    await waitReady(paths, ports, running, 0);
    await ensureToken(paths, ports, bin, env);
    return;
  }
  const listening = listeningPorts();
  const taken = [
    ports.hatchet_http,
    ports.hatchet_grpc,
    ports.hatchet_health,
    ports.hatchet_api,
    ports.hatchet_frontend,
  ].filter((port) => listening.has(port));
  if (taken.length > 0) {
    throw new Error(
      `Cannot start hatchet: port ${
        taken.join(", ")
      } taken by another process (remove ${paths.ports} to pick new ports)`,
    );
  }
  const admin = pgAdminUrl();
  await ensurePostgres(admin);
  const created = await ensureDatabase(admin, labDatabase(paths.dir));
  await setUp(paths, bin, env, created);
  await ensureToken(paths, ports, bin, env);
  await psqlOk(env.DATABASE_URL!, STALE_STATE_SQL);
  const logFrom = (await Deno.stat(paths.hatchetLog).catch(() => null))?.size ??
    0;
  const pid = await spawnDetached(`${bin}/hatchet-lite`, [
    "--config",
    paths.hatchetConfig,
  ], { stdoutPath: paths.hatchetLog, stderrPath: paths.hatchetLog, env });
  await Deno.writeTextFile(paths.hatchetPid, `${pid}\n`);
  await waitReady(paths, ports, pid, logFrom);
}

/** Stops the lab's hatchet-lite (SIGTERM, SIGKILL after 10 s): our pid only. */
export async function stopHatchet(paths: LabPaths): Promise<void> {
  const pid = hatchetPid(paths);
  if (pid !== null) await terminate([pid], 10_000);
  await Deno.remove(paths.hatchetPid).catch(() => {});
}
