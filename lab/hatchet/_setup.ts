/**
 * Setting up the lab's Hatchet engine: its environment, the database
 * migration and quickstart (keys and seed tenant in `<lab>/hatchet/config`),
 * and the API token.
 * @module
 */
import { databaseUrl, labDatabase, pgAdminUrl, redact } from "./_pg.ts";
import { readJson, writeJson } from "../linux/mod.ts";
import type { LabPaths, LabPorts } from "../components/mod.ts";

/** `DATABASE_MAX_CONNS` of the lab's engine (per main pool). */
export const ENGINE_POOL_MAX_CONNS = 10;

/**
 * The most PostgreSQL connections the lab's hatchet-lite was seen to hold
 * (measured under the load test: see lab/README.md), plus a margin.
 */
export const ENGINE_CONNECTION_BUDGET = 40;

/** The engine's environment (read by hatchet-migrate, -admin and -lite). */
export function engineEnv(
  paths: LabPaths,
  ports: LabPorts,
): Record<string, string> {
  const grpc = `127.0.0.1:${ports.hatchet_grpc}`;
  return {
    DATABASE_URL: databaseUrl(pgAdminUrl(), labDatabase(paths.dir)),
    // hatchet-lite runs the API server and the engine in one process, each
    // with its own pools (main, DDL, pub/sub): the total is a few times
    // these numbers, see ENGINE_CONNECTION_BUDGET.
    DATABASE_MAX_CONNS: String(ENGINE_POOL_MAX_CONNS),
    DATABASE_DDL_POOL_MAX_CONNS: "2",
    SERVER_MSGQUEUE_PUBSUB_POSTGRES_MAX_CONNS: "4",
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
export async function setUp(
  paths: LabPaths,
  version: string,
  bin: string,
  env: Record<string, string>,
  created: boolean,
): Promise<void> {
  const marker = {
    version,
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
export async function ensureToken(
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
