/**
 * The lab's Hatchet: Hatchet's own `hatchet-lite` engine (built from its Go
 * module, see `_build.ts`) on the machine's PostgreSQL, one database
 * and one state directory (`<lab>/hatchet/`) per lab.
 * @module
 */
import { ensureHatchetBinaries } from "./_build.ts";
import {
  connectionUse,
  ensureDatabase,
  ensurePostgres,
  headroomProblem,
  labDatabase,
  pgAdminUrl,
  psqlOk,
} from "./_pg.ts";
import {
  ENGINE_CONNECTION_BUDGET,
  engineEnv,
  ensureToken,
  setUp,
} from "./_setup.ts";
import {
  cmdline,
  isAlive,
  listeningPorts,
  readJson,
  spawnDetached,
  terminate,
  waitUntilAsync,
  writeJson,
} from "../linux/mod.ts";
import { type LabPaths, type LabPorts, repoRoot } from "../components/mod.ts";

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
  const own = [
    ports.hatchet_http,
    ports.hatchet_grpc,
    ports.hatchet_health,
    ports.hatchet_api,
    ports.hatchet_frontend,
  ];
  const running = hatchetPid(paths);
  if (running !== null) {
    const ran = await readJson<number[]>(paths.hatchetRunPorts, []);
    if (ran.join() === own.join()) {
      await waitReady(paths, ports, running, 0);
      await ensureToken(paths, ports, bin, env);
      return;
    }
    await stopHatchet(paths); // started for other ports
  }
  const listening = listeningPorts();
  const taken = own.filter((port) => listening.has(port));
  if (taken.length > 0) {
    throw new Error(
      `Cannot start hatchet: port ${
        taken.join(", ")
      } taken by another process (remove ${paths.ports} to pick new ports)`,
    );
  }
  const admin = pgAdminUrl();
  await ensurePostgres(admin);
  const problem = headroomProblem(
    await connectionUse(admin, labDatabase(paths.dir)),
    ENGINE_CONNECTION_BUDGET,
  );
  if (problem) throw new Error(`Cannot start hatchet: ${problem}`);
  const created = await ensureDatabase(admin, labDatabase(paths.dir));
  await setUp(paths, HATCHET_VERSION, bin, env, created);
  await ensureToken(paths, ports, bin, env);
  await psqlOk(env.DATABASE_URL!, STALE_STATE_SQL);
  const logFrom = (await Deno.stat(paths.hatchetLog).catch(() => null))?.size ??
    0;
  const pid = await spawnDetached(`${bin}/hatchet-lite`, [
    "--config",
    paths.hatchetConfig,
  ], {
    stdoutPath: paths.hatchetLog,
    stderrPath: paths.hatchetLog,
    env,
    cwd: paths.hatchet,
  });
  await Deno.writeTextFile(paths.hatchetPid, `${pid}\n`);
  await writeJson(paths.hatchetRunPorts, own);
  await waitReady(paths, ports, pid, logFrom);
}

/** Stops the lab's hatchet-lite (SIGTERM, SIGKILL after 10 s): our pid only. */
export async function stopHatchet(paths: LabPaths): Promise<void> {
  const pid = hatchetPid(paths);
  if (pid !== null) await terminate([pid], 10_000);
  await Deno.remove(paths.hatchetPid).catch(() => {});
  await Deno.remove(paths.hatchetRunPorts).catch(() => {});
}
