import { createHash } from "node:crypto";
import { Unsupported } from "../windows/mod.ts";
import { UNREVIEWED } from "./_pins.ts";

/** The script header of protocol v2. */
const HEADER = /^# win-automation script: ([a-z_]+) v2$/;

/** The hashes the emulator accepts (lab/powershell/_pins.ts). */
export interface Pins {
  bootstrap: string;
  bodies: Record<string, string>;
  /** The runner text `run_start` writes (`runner.ps1`). */
  runner?: string;
}

type Field =
  | "text"
  | "name"
  | "run_id"
  | "port"
  | "count"
  | "bool"
  | "bind_host"
  | "names"
  | "addresses";

/** The input fields of each script kind of lib/powershell/scripts.ts. */
const KINDS: Record<string, Record<string, Field>> = {
  exec: { command: "text", run_id: "run_id" },
  kill: { run_id: "run_id" },
  reboot: { request_id: "run_id", delay_s: "count" },
  run_start: { command: "text", run_id: "run_id" },
  run_follow: {
    run_id: "run_id",
    stdout_offset: "count",
    stderr_offset: "count",
    wait_ms: "count",
    timeout_ms: "count",
  },
  run_list: {},
  run_gc: { days: "count", dry_run: "bool" },
  version: {},
  firewall_rule: { name: "name" },
  firewall_add: { name: "name", port: "port", remote_addresses: "addresses" },
  firewall_repair: {
    name: "name",
    port: "port",
    remote_addresses: "addresses",
  },
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
    bind_host: "bind_host",
    allow_from: "names",
  },
  root_lock: {},
  acl_check: { path: "name" },
  log_follow: {
    path: "name",
    offset: "count",
    marker: "name",
    timeout_ms: "count",
  },
  artifact_dir: { job_id: "text" },
  aloha_tasks: { server_cmd: "name", client_cmd: "name", user: "name" },
};

/** A parsed v2 request: the kind, its validated input and the nonce. */
export interface ParsedScript {
  kind: string;
  input: Record<string, string | number | boolean | string[]>;
  nonce: string;
  /** The whole script text (header line, `\n`, pinned body), when known. */
  script?: string;
}

/** sha256 (hex) of a text's UTF-8 bytes. */
export function sha256Hex(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

/** Refuses a bootstrap text that is not the pinned one. */
export function checkBootstrap(text: string, pins: Pins): void {
  const hash = sha256Hex(text);
  if (pins.bootstrap === UNREVIEWED || hash !== pins.bootstrap) {
    throw new Unsupported(
      `-EncodedCommand is not the pinned v2 bootstrap (sha256 ${hash}; lab/powershell/_pins.ts)`,
    );
  }
}

/** The kind named by a script's header line, or null. */
export function scriptKind(script: string): string | null {
  return HEADER.exec(script.split("\n", 1)[0] ?? "")?.[1] ?? null;
}

/**
 * Parses the bootstrap's stdin: exactly two LF-terminated lines, base64 of
 * the UTF-8 script (`# win-automation script: <kind> v2`, `\n`, the kind's
 * pinned body) and base64 of the UTF-8 data JSON `{"nonce","input"}`; the
 * input must hold exactly the kind's fields, with valid values.
 */
export function parseRequest(stdin: string, pins: Pins): ParsedScript & {
  script: string;
} {
  const match = /^([A-Za-z0-9+/=]*)\n([A-Za-z0-9+/=]*)\n$/.exec(stdin);
  if (!match) {
    throw new Unsupported(
      `stdin is not two LF-terminated base64 lines: ${
        JSON.stringify(stdin.slice(0, 80))
      }`,
    );
  }
  const script = utf8(match[1]!, "stdin line 1");
  const kind = scriptKind(script);
  if (kind === null) {
    throw new Unsupported(`script header: ${script.split("\n", 1)[0]}`);
  }
  const fields = KINDS[kind];
  if (!fields) throw new Unsupported(`script kind: ${kind}`);
  const body = script.slice(script.indexOf("\n") + 1);
  const pin = pins.bodies[kind];
  const hash = sha256Hex(body);
  if (
    !script.includes("\n") || pin === undefined || pin === UNREVIEWED ||
    hash !== pin
  ) {
    throw new Unsupported(
      `${kind} body is not the pinned one (sha256 ${hash}; lab/powershell/_pins.ts)`,
    );
  }
  let data: unknown;
  try {
    data = JSON.parse(utf8(match[2]!, "stdin line 2"));
  } catch (error) {
    if (error instanceof Unsupported) throw error;
    throw new Unsupported(`${kind} data is not JSON`);
  }
  const record = data as Record<string, unknown>;
  if (
    typeof data !== "object" || data === null || Array.isArray(data) ||
    Object.keys(record).sort().join() !== "input,nonce" ||
    typeof record.nonce !== "string" || !/^[0-9a-f]{32}$/.test(record.nonce)
  ) {
    throw new Unsupported(
      `${kind} data is not {"nonce":<32 lowercase hex>,"input":{...}}`,
    );
  }
  return {
    kind,
    input: validate(kind, fields, record.input),
    nonce: record.nonce,
    script,
  };
}

function utf8(b64: string, what: string): string {
  let bytes: Uint8Array;
  try {
    bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  } catch {
    throw new Unsupported(`${what} is not base64`);
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new Unsupported(`${what} is not UTF-8`);
  }
}

function validate(
  kind: string,
  fields: Record<string, Field>,
  input: unknown,
): Record<string, string | number | boolean | string[]> {
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
  return record as Record<string, string | number | boolean | string[]>;
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
    case "bind_host":
      return value === "127.0.0.1" || value === "0.0.0.0";
    case "names":
      return Array.isArray(value) &&
        value.every((v) => typeof v === "string" && v.length > 0);
    case "addresses":
      // -RemoteAddress of a direct-mode rule: never empty, never "Any".
      return Array.isArray(value) && value.length > 0 &&
        value.every((v) =>
          typeof v === "string" && /^[0-9A-Fa-f.:/]+$/.test(v)
        );
  }
}
