import { Unsupported } from "./_errors.ts";

/** First line of the tool's bootstrap. */
export const BOOTSTRAP_MARKER = "# win-automation bootstrap v1";

const HEADER = /^# win-automation script: ([a-z_]+) v1$/;

type Field = "text" | "name" | "run_id" | "port" | "count" | "bool";

/** The input fields of each script kind of lib/powershell/scripts.ts. */
const KINDS: Record<string, Record<string, Field>> = {
  exec: { command: "text", run_id: "run_id" },
  kill: { run_id: "run_id" },
  version: {},
  firewall_rule: { name: "name" },
  firewall_add: { name: "name", port: "port" },
  firewall_repair: { name: "name", port: "port" },
  task_run: { name: "name" },
  port_listening: { port: "port" },
  desktop: {},
  task_exists: { name: "name" },
  file_size: { path: "name" },
  playwright_prereq: {},
  playwright_install: {
    ws_path: "name",
    port: "port",
    node_path: "name",
    channel: "name",
    executable_path: "text",
    restart: "bool",
  },
  log_follow: {
    path: "name",
    offset: "count",
    marker: "name",
    timeout_ms: "count",
  },
  artifact_dir: { job_id: "text" },
};

/** A parsed script: its kind and its validated input. */
export interface ParsedScript {
  kind: string;
  input: Record<string, string | number | boolean>;
}

/** The kind named by a script's header line, or null. */
export function scriptKind(script: string): string | null {
  return HEADER.exec(script.split(/\r?\n/, 1)[0] ?? "")?.[1] ?? null;
}

/**
 * Parses a script: the header, `$in = @'`, one line of JSON,
 * `'@ | ConvertFrom-Json`, then the body (which is not interpreted). The input
 * must hold exactly the kind's fields, with valid values.
 */
export function parseScript(script: string): ParsedScript {
  const lines = script.split(/\r?\n/);
  const kind = scriptKind(script);
  if (kind === null) throw new Unsupported(`script header: ${lines[0]}`);
  const fields = KINDS[kind];
  if (!fields) throw new Unsupported(`script kind: ${kind}`);
  if (lines[1] !== "$in = @'" || lines[3] !== "'@ | ConvertFrom-Json") {
    throw new Unsupported(`${kind} script envelope`);
  }
  let input: unknown;
  try {
    input = JSON.parse(lines[2] ?? "");
  } catch {
    throw new Unsupported(`${kind} input is not JSON: ${lines[2]}`);
  }
  return { kind, input: validate(kind, fields, input) };
}

function validate(
  kind: string,
  fields: Record<string, Field>,
  input: unknown,
): Record<string, string | number | boolean> {
  const bad = (why: string) =>
    new Unsupported(`${kind} input ${why}: ${JSON.stringify(input)}`);
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    throw bad("is not an object");
  }
  const record = input as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (!(key in fields)) throw bad(`has unknown field "${key}"`);
  }
  for (const [key, field] of Object.entries(fields)) {
    if (!valid(field, record[key])) throw bad(`has invalid "${key}"`);
  }
  return record as Record<string, string | number | boolean>;
}

function valid(field: Field, value: unknown): boolean {
  switch (field) {
    case "text":
      return typeof value === "string";
    case "name":
      return typeof value === "string" && value.length > 0;
    case "run_id":
      return typeof value === "string" && /^[A-Za-z0-9_-]{1,64}$/.test(value);
    case "port":
      return Number.isInteger(value) && (value as number) >= 1 &&
        (value as number) <= 65535;
    case "count":
      return Number.isInteger(value) && (value as number) >= 0;
    case "bool":
      return typeof value === "boolean";
  }
}
