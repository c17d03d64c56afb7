/**
 * Checks config values against the field table (fields.ts): one function per
 * kind, each returning the normalised value or the reason it is refused.
 *
 * Plain code rather than zod: importing zod alone costs more than the whole
 * rest of `windows exec`'s start-up (docs/PERFORMANCE.md), and every command
 * that talks to Windows loads its config. zod stays where data crosses a
 * process boundary whose shape is not ours: job inputs at the worker's edge.
 * @module
 */
import { quote } from "../errors/mod.ts";
import { addressListProblem, parseAddressList } from "../windows/mod.ts";
import { hostKeyProblem } from "../ssh/mod.ts";
import {
  DURATION_MIN_MS,
  formatDuration,
  parseDuration,
} from "../duration/mod.ts";
import {
  type FieldKind,
  FIELDS,
  type FieldSpec,
  type FieldValue,
} from "./fields.ts";

/** A checked value, or why it is refused (one line, without the field). */
export type Checked = { ok: true; value: FieldValue } | {
  ok: false;
  reason: string;
};

const ok = (value: FieldValue): Checked => ({ ok: true, value });
const no = (reason: string): Checked => ({ ok: false, reason });
const got = (input: unknown) => `got ${quote(input)}`;

const URL_REASON = "must be an http or https URL";
const DURATION_REASON = 'must be a duration such as "10s" or "5m"';

/** What a target's (or a group's, a tag's) name must look like. */
export const TARGET_NAME = /^[a-z0-9][a-z0-9-]{0,30}$/;

/** Characters ssh would split on, expand or hide: white space, controls, format (zero-width) and separators. */
const SSH_NAME_BAD = /[\s\p{Cc}\p{Cf}\p{Z}@]/u;

/** The longest host name (DNS) or user name accepted. */
export const SSH_NAME_MAX = 253;

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === "http:" || url.protocol === "https:") &&
      !url.search && !url.hash && !url.username && !url.password;
  } catch {
    return false;
  }
}

function checkString(
  kind: Extract<FieldKind, { type: "string" }>,
  v: unknown,
): Checked {
  if (typeof v !== "string") return no(`must be a string, ${got(v)}`);
  if (/[\0\r\n]/.test(v)) return no("must not contain newlines or NUL");
  if (kind.nonEmpty && v.trim() === "") return no("must not be empty");
  if (kind.sshPath && /[\s%"]/.test(v)) {
    return no(
      `must not contain white space, "%" or '"' (ssh's option parser would split or expand them), ${
        got(v)
      }`,
    );
  }
  if (kind.noSpaces) {
    if (/\s/.test(v)) return no(`must not contain white space, ${got(v)}`);
    if (v.startsWith("-")) return no(`must not start with "-", ${got(v)}`);
  }
  return ok(v);
}

function checkSshName(v: unknown): Checked {
  if (typeof v !== "string") return no(`must be a string, ${got(v)}`);
  if (v.trim() === "") return no("must not be empty");
  if (v.startsWith("-")) return no(`must not start with "-", ${got(v)}`);
  const length = [...v].length;
  if (length > SSH_NAME_MAX) {
    return no(`must be at most ${SSH_NAME_MAX} characters, got ${length}`);
  }
  if (SSH_NAME_BAD.test(v)) {
    return no(
      `must not contain white space, "@", control or zero-width characters, ${
        got(v)
      }`,
    );
  }
  return ok(v);
}

function checkInt(min: number, max: number, v: unknown): Checked {
  return typeof v === "number" && Number.isInteger(v) && v >= min && v <= max
    ? ok(v)
    : no(`must be an integer from ${min} to ${max}, ${got(v)}`);
}

function checkEnum(
  kind: Extract<FieldKind, { type: "enum" }>,
  v: unknown,
): Checked {
  const unsupported: Readonly<Record<string, string>> = kind.unsupported ?? {};
  if (typeof v !== "string" || !kind.values.includes(v)) {
    const allowed = kind.values.filter((x) => !(x in unsupported))
      .map((x) => `"${x}"`).join(", ");
    return no(`must be one of ${allowed}, ${got(v)}`);
  }
  const why = unsupported[v];
  return why ? no(why) : ok(v);
}

function checkUrl(
  kind: Extract<FieldKind, { type: "url" }>,
  v: unknown,
): Checked {
  if (typeof v !== "string") return no(`${URL_REASON}, ${got(v)}`);
  if (!isHttpUrl(v)) {
    return no(`${URL_REASON} without query or credentials, ${got(v)}`);
  }
  const trimmed = v.replace(/\/+$/, "");
  const suffix = kind.dropSuffix;
  return ok(
    suffix && trimmed.endsWith(suffix)
      ? trimmed.slice(0, -suffix.length)
      : trimmed,
  );
}

function checkDuration(
  kind: Extract<FieldKind, { type: "duration" }>,
  v: unknown,
): Checked {
  if (typeof v !== "string") return no(`${DURATION_REASON}, ${got(v)}`);
  const ms = parseDuration(v);
  if (ms === undefined) return no(`${DURATION_REASON}, ${got(v)}`);
  if (ms < DURATION_MIN_MS || ms > kind.maxMs) {
    return no(`must be from 1s to ${formatDuration(kind.maxMs)}, ${got(v)}`);
  }
  return ok(ms);
}

function checkHostPort(v: unknown): Checked {
  if (typeof v !== "string" || !/^[A-Za-z0-9.\-\[\]:]+:\d{1,5}$/.test(v)) {
    return no(`must be host:port, ${got(v)}`);
  }
  const port = Number(v.slice(v.lastIndexOf(":") + 1));
  return port >= 1 && port <= 65535
    ? ok(v)
    : no(`port must be from 1 to 65535, ${got(v)}`);
}

/**
 * Checks one value of `spec` (from a file, the environment or a default):
 * the first reason it is refused, or the value normalised (URLs lose
 * trailing slashes, durations become milliseconds).
 */
export function checkField(spec: FieldSpec, v: unknown): Checked {
  const kind = spec.kind;
  switch (kind.type) {
    case "string":
      return checkString(kind, v);
    case "sshname":
      return checkSshName(v);
    case "hostkey": {
      if (typeof v !== "string") return no(`must be a string, ${got(v)}`);
      const why = v === "" ? undefined : hostKeyProblem(v);
      return why ? no(why) : ok(v.trim());
    }
    case "enum":
      return checkEnum(kind, v);
    case "port":
      return checkInt(1, 65535, v);
    case "int":
      return checkInt(kind.min, kind.max, v);
    case "url":
      return checkUrl(kind, v);
    case "duration":
      return checkDuration(kind, v);
    case "addresses": {
      if (typeof v !== "string") {
        return no(`must be a string of addresses, ${got(v)}`);
      }
      const why = addressListProblem(v);
      return why ? no(why) : ok(parseAddressList(v).join(","));
    }
    case "hostport":
      return checkHostPort(v);
    case "target":
      return typeof v === "string" && (v === "" || TARGET_NAME.test(v))
        ? ok(v)
        : no(
          `must be a target name (a-z, 0-9 and "-", starting with a letter or digit, at most 31 characters), ${
            got(v)
          }`,
        );
  }
}

/** Where a config file is refused: the JSON path (or "" for the file) and why. */
export interface FileProblem {
  /** Dotted JSON path; "" means the file as a whole. */
  path: string;
  reason: string;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === "object" && !Array.isArray(v);

/** Top-level keys checked elsewhere (targets.ts). */
const FLEET_KEYS = ["targets", "groups"];

/** The file's layout: top-level fields, then sections, in table order. */
function layout(): Map<string, FieldSpec | Map<string, FieldSpec>> {
  const top = new Map<string, FieldSpec | Map<string, FieldSpec>>();
  const sections = new Map<string, Map<string, FieldSpec>>();
  for (const spec of FIELDS) {
    const dot = spec.path.indexOf(".");
    if (dot < 0) {
      top.set(spec.path, spec);
      continue;
    }
    const name = spec.path.slice(0, dot);
    if (!sections.has(name)) sections.set(name, new Map());
    sections.get(name)!.set(spec.path.slice(dot + 1), spec);
  }
  for (const [name, section] of sections) top.set(name, section);
  return top;
}

function keyProblem(
  spec: FieldSpec,
  value: unknown,
  path: string,
): FileProblem | undefined {
  if (spec.secret) {
    return {
      path,
      reason:
        `is a secret: set it only in the environment (${spec.env}), never in a config file`,
    };
  }
  const checked = checkField(spec, value);
  return checked.ok ? undefined : { path, reason: checked.reason };
}

/**
 * The first problem of a parsed config file, or undefined: the file must be
 * an object of known keys, each section an object of known keys, no secret,
 * every value valid. Keys are checked in table order; unknown keys of an
 * object are reported after its known keys.
 */
export function fileProblem(json: unknown): FileProblem | undefined {
  if (!isObject(json)) return { path: "", reason: "must be a JSON object" };
  const top = layout();
  for (const [name, entry] of top) {
    const value = json[name];
    if (value === undefined) continue;
    if (!(entry instanceof Map)) {
      const problem = keyProblem(entry, value, name);
      if (problem) return problem;
      continue;
    }
    if (!isObject(value)) {
      return {
        path: name,
        reason: `must be an object, got ${JSON.stringify(value)}`,
      };
    }
    for (const [key, spec] of entry) {
      if (value[key] === undefined) continue;
      const problem = keyProblem(spec, value[key], `${name}.${key}`);
      if (problem) return problem;
    }
    const unknown = Object.keys(value).find((k) => !entry.has(k));
    if (unknown !== undefined) {
      return {
        path: [name, unknown].filter(Boolean).join("."),
        reason: "unknown key",
      };
    }
  }
  const unknown = Object.keys(json).find((k) =>
    !top.has(k) && !FLEET_KEYS.includes(k)
  );
  return unknown === undefined
    ? undefined
    : { path: unknown, reason: "unknown key" };
}
