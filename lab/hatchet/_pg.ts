/**
 * The machine's PostgreSQL for the lab's Hatchet engine: reached with `psql`
 * at `WIN_AUTOMATION_LAB_PG_URL`, started (and installed) when we are root.
 * @module
 */
import { createHash } from "node:crypto";
import { basename } from "node:path";
import { waitUntilAsync } from "../linux/mod.ts";

const DEFAULT_ADMIN_URL =
  "postgresql://postgres@127.0.0.1:5432/postgres?sslmode=disable";

/** The URL of a database that lets us create databases. */
export function pgAdminUrl(): string {
  return Deno.env.get("WIN_AUTOMATION_LAB_PG_URL") || DEFAULT_ADMIN_URL;
}

/**
 * The lab's database: `wa_lab_<10 hex>`, the hash in the lab directory's
 * name (`wa-lab-<10 hex>`), else of its path.
 */
export function labDatabase(labDir: string): string {
  const named = /^wa-lab-([0-9a-f]{10})$/.exec(basename(labDir))?.[1];
  return `wa_lab_${
    named ?? createHash("sha256").update(labDir).digest("hex").slice(0, 10)
  }`;
}

/** `adminUrl` with its database replaced by `database`. */
export function databaseUrl(adminUrl: string, database: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/** A URL safe to print: without its password. */
export function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "<invalid URL>";
  }
}

interface PsqlResult {
  ok: boolean;
  stdout: string;
  stderr: string;
}

/** Runs SQL with psql (stops at the first error). null: psql is missing. */
export async function psql(
  url: string,
  sql: string,
): Promise<PsqlResult | null> {
  let output: Deno.CommandOutput;
  try {
    output = await new Deno.Command("psql", {
      args: [url, "-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1", "-c", sql],
      env: { PGCONNECT_TIMEOUT: "5" },
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).output();
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return null;
    throw error;
  }
  const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes).trim();
  return {
    ok: output.success,
    stdout: text(output.stdout),
    stderr: text(output.stderr),
  };
}

/** Runs SQL that must succeed; returns its output. */
export async function psqlOk(url: string, sql: string): Promise<string> {
  const result = await psql(url, sql);
  if (!result?.ok) {
    throw new Error(
      `psql at ${redact(url)} failed: ${result?.stderr ?? "psql is missing"}`,
    );
  }
  return result.stdout;
}

async function run(program: string, args: string[]): Promise<string> {
  const output = await new Deno.Command(program, {
    args,
    env: { DEBIAN_FRONTEND: "noninteractive" },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(output.stderr).trim();
  if (!output.success) {
    throw new Error(`${program} ${args.join(" ")} failed: ${text}`);
  }
  return text;
}

async function clusterVersions(): Promise<string[]> {
  const entries = await Array.fromAsync(Deno.readDir("/etc/postgresql"))
    .catch(() => []);
  return entries.filter((e) => e.isDirectory && /^\d+(\.\d+)?$/.test(e.name))
    .map((e) => e.name).sort((a, b) => Number(b) - Number(a));
}

function progress(line: string): void {
  Deno.stderr.writeSync(new TextEncoder().encode(`hatchet: ${line}\n`));
}

/**
 * Makes sure PostgreSQL answers at `adminUrl`. When it does not and the URL
 * is local: as root, installs PostgreSQL (apt) if it is missing and starts
 * its cluster; otherwise a clear error.
 */
export async function ensurePostgres(adminUrl: string): Promise<void> {
  const first = await psql(adminUrl, "select 1");
  if (first?.ok) return;
  if (first?.stderr.includes("too many clients")) {
    throw new Error(
      `PostgreSQL at ${
        redact(adminUrl)
      } has no connection left (${first.stderr}). ` +
        `Stop other labs (scripts/lab down in their checkouts) or raise max_connections.`,
    );
  }
  // FATAL: the server answered and refused (auth, missing database).
  if (first?.stderr.includes("FATAL")) {
    throw new Error(
      `PostgreSQL at ${redact(adminUrl)} refused us: ${first.stderr}. ` +
        `Let that user in (e.g. "host all postgres 127.0.0.1/32 trust" in pg_hba.conf) ` +
        `or set WIN_AUTOMATION_LAB_PG_URL to a superuser URL.`,
    );
  }
  const host = new URL(adminUrl).hostname;
  const local = ["", "127.0.0.1", "localhost", "[::1]"].includes(host);
  const why = first?.stderr ?? "psql is not installed";
  if (!local) {
    throw new Error(
      `PostgreSQL at ${redact(adminUrl)} does not answer: ${why}. ` +
        `Start it or set WIN_AUTOMATION_LAB_PG_URL.`,
    );
  }
  if (Deno.uid() !== 0) {
    throw new Error(
      `PostgreSQL at ${redact(adminUrl)} does not answer: ${why}. ` +
        `Install and start it (sudo apt-get install -y postgresql; ` +
        `sudo pg_ctlcluster <version> main start), or set WIN_AUTOMATION_LAB_PG_URL.`,
    );
  }
  if (first === null || (await clusterVersions()).length === 0) {
    progress("installing PostgreSQL (apt-get install -y postgresql)");
    await run("apt-get", ["update", "-qq"]);
    await run("apt-get", [
      "install",
      "-y",
      "-qq",
      "--no-install-recommends",
      "postgresql",
    ]);
  }
  const version = (await clusterVersions())[0];
  if (version === undefined) {
    throw new Error(
      "PostgreSQL is installed but has no cluster in /etc/postgresql",
    );
  }
  progress(`starting PostgreSQL ${version}/main`);
  await run("pg_ctlcluster", [
    "--skip-systemctl-redirect",
    version,
    "main",
    "start",
  ]).catch((error) => {
    // Exit 2 "already running" is fine; anything else shows below.
    if (!String(error).includes("already running")) throw error;
  });
  let last: PsqlResult | null = null;
  const up = await waitUntilAsync(async () => {
    last = await psql(adminUrl, "select 1");
    return last?.ok === true;
  }, 30_000);
  if (!up) {
    throw new Error(
      `PostgreSQL ${version}/main started but ${
        redact(adminUrl)
      } does not let us in: ` +
        `${(last as PsqlResult | null)?.stderr ?? "psql is missing"}. ` +
        `Allow it in pg_hba.conf or set WIN_AUTOMATION_LAB_PG_URL.`,
    );
  }
}

/** Creates `database` if it is missing; returns whether it did. */
export async function ensureDatabase(
  adminUrl: string,
  database: string,
): Promise<boolean> {
  const exists = await psqlOk(
    adminUrl,
    `select 1 from pg_database where datname = '${database}'`,
  );
  if (exists === "1") return false;
  const created = await psql(adminUrl, `create database "${database}"`);
  if (created?.ok) return true;
  if (created?.stderr.includes("already exists")) return false;
  throw new Error(
    `Cannot create database ${database}: ${created?.stderr ?? "no psql"}`,
  );
}

/** PostgreSQL's connection limits and use, as {@linkcode connectionHeadroom} reads them. */
export interface ConnectionUse {
  /** `max_connections` minus `superuser_reserved_connections`. */
  usable: number;
  /** Connections held by anyone except `database`. */
  others: number;
}

/**
 * Why an engine that may hold up to `need` connections cannot start next to
 * what already uses PostgreSQL, or null when it fits. Without this check the
 * engine starts, then stalls when a pool cannot grow: runs stay queued and
 * status updates are lost, with nothing in the logs at the default level.
 */
export function headroomProblem(
  use: ConnectionUse,
  need: number,
): string | null {
  const free = use.usable - use.others;
  if (free >= need) return null;
  return `PostgreSQL has ${free} of ${use.usable} connections free; the lab's ` +
    `Hatchet engine needs up to ${need}. Stop other labs (scripts/lab down in ` +
    `their checkouts) or raise max_connections.`;
}

/** Reads {@linkcode ConnectionUse} for `database`. */
export async function connectionUse(
  adminUrl: string,
  database: string,
): Promise<ConnectionUse> {
  const out = await psqlOk(
    adminUrl,
    "select current_setting('max_connections')::int - " +
      "current_setting('superuser_reserved_connections')::int, " +
      `(select count(*) from pg_stat_activity where datname is distinct from '${database}')`,
  );
  const [usable, others] = out.split("|").map(Number);
  return { usable: usable!, others: others! };
}
