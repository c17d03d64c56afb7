/**
 * The one adapter between the parse gate and lib/powershell: every script
 * kind's body and the text the public builder makes of it. Kinds come from
 * `SCRIPT_BODIES`, and each kind's input fields from the `$in.<field>` its
 * body reads, so a new kind is gated without a test change. When the builder's
 * name or return shape changes, this file is the one to touch.
 * @module
 */
import * as powershell from "../lib/powershell/mod.ts";
import { SCRIPT_BODIES } from "../lib/powershell/scripts.ts";

/** A named PowerShell text to gate. */
export interface ScriptText {
  /** The script kind. */
  kind: string;
  /** Where it came from, for failure messages. */
  name: string;
  /** The PowerShell text. */
  text: string;
}

/** Options for {@linkcode scriptTexts}. */
export interface ScriptTextsOptions {
  /**
   * Strings, by label, that every input field is also built with: one build
   * per string. @default {}
   */
  adversarial?: Readonly<Record<string, string>>;
}

/** Realistic values for the input fields the kinds have today; others get a plain name. */
const TYPICAL: Record<string, unknown> = {
  command: "Get-ChildItem C:\\Users | Select-Object -First 3",
  run_id: "7f9c2b4e-3d1a-4c8e-9b2f-1a2b3c4d5e6f",
  job_id: "0b6c1d2e-3f40-4a5b-8c6d-7e8f90a1b2c3",
  name: "Aloha-7887",
  port: 7887,
  path: "C:\\ProgramData\\win-automation\\playwright\\server.log",
  offset: 0,
  marker: "Listening on ws://",
  timeout_ms: 30000,
  ws_path: "/3f0c9a7d2b1e4c5f",
  node_path: "C:\\Program Files\\nodejs\\node.exe",
  channel: "msedge",
  executable_path: "",
  restart: true,
};

/** How many builders {@linkcode scriptTexts} uses for each build. */
export function builderCount(): number {
  return builders().length;
}

/** The names of the kinds, from `SCRIPT_BODIES`. */
export function scriptKinds(): string[] {
  return Object.keys(SCRIPT_BODIES);
}

/** The fixed body of a kind. */
export function scriptBody(kind: string): string {
  const body = (SCRIPT_BODIES as Record<string, string>)[kind];
  if (body === undefined) {
    throw new Error(`Cannot find the body of script kind "${kind}"`);
  }
  return body;
}

/** The input fields a kind's body reads (`$in.<field>`). */
export function inputFields(kind: string): string[] {
  const fields = scriptBody(kind).matchAll(/\$in\.([A-Za-z_][A-Za-z0-9_]*)/g);
  return [...new Set(Array.from(fields, (m) => m[1] ?? ""))];
}

/**
 * For every kind: its full script text (header line, then the body), the
 * builder's text with typical input, and the builder's text with every input
 * field set to each adversarial string.
 */
export function scriptTexts(options: ScriptTextsOptions = {}): ScriptText[] {
  const { adversarial = {} } = options;
  const out: ScriptText[] = [];
  for (const kind of scriptKinds()) {
    const fields = inputFields(kind);
    out.push({
      kind,
      name: `${kind} (header + body)`,
      text: `${powershell.SCRIPT_HEADER_PREFIX}${kind} v2\n${scriptBody(kind)}`,
    });
    const typical = Object.fromEntries(
      fields.map((f) => [f, f in TYPICAL ? TYPICAL[f] : "win-automation"]),
    );
    for (const [name, text] of build(kind, typical)) {
      out.push({ kind, name: `${name}("${kind}", typical input)`, text });
    }
    for (const [label, value] of Object.entries(adversarial)) {
      const input = Object.fromEntries(fields.map((f) => [f, value]));
      for (const [name, text] of build(kind, input)) {
        out.push({ kind, name: `${name}("${kind}", input: ${label})`, text });
      }
    }
  }
  return out;
}

type Builder = (kind: string, input: unknown) => unknown;

/**
 * The public script builders of lib/powershell: every exported function named
 * `build...Script...`/`build...Request...` or `script...Text` (`buildScript`
 * in wire v1; `scriptText` and `buildRequest` in v2). Aliases count once.
 */
function builders(): Array<[string, Builder]> {
  const found = new Map<Builder, string>();
  for (const [name, value] of Object.entries(powershell)) {
    if (typeof value !== "function" || found.has(value as Builder)) continue;
    if (
      /^build\w*(script|request)/i.test(name) || /^script\w*text$/i.test(name)
    ) {
      found.set(value as Builder, name);
    }
  }
  if (found.size === 0) {
    throw new Error(
      "Cannot find a script builder in lib/powershell/mod.ts: no export is named build*Script*, build*Request* or script*Text",
    );
  }
  return Array.from(found, ([fn, name]) => [name, fn]);
}

/**
 * Builds a kind's script with every builder and returns each PowerShell
 * text: the string in the result (itself, a field, or UTF-8 bytes) that
 * starts with the script's header line, also looked for in base64 lines
 * (the stdin that carries it).
 */
function build(
  kind: string,
  input: Record<string, unknown>,
): Array<[string, string]> {
  const header = `${powershell.SCRIPT_HEADER_PREFIX}${kind}`;
  const isScript = (v: string) =>
    v.startsWith(header) && /^\s/.test(v.slice(header.length));
  const find = (value: unknown, depth: number): string | undefined => {
    if (value instanceof Uint8Array) {
      return find(new TextDecoder().decode(value), depth);
    }
    if (typeof value === "string") {
      if (isScript(value)) return value;
      if (depth === 0) return undefined;
      for (const line of value.split("\n")) {
        if (!/^[A-Za-z0-9+/]+={0,2}$/.test(line)) continue;
        const bytes = Uint8Array.from(atob(line), (c) => c.charCodeAt(0));
        const text = new TextDecoder().decode(bytes);
        if (isScript(text)) return text;
      }
      return undefined;
    }
    if (depth > 0 && typeof value === "object" && value !== null) {
      for (const v of Object.values(value)) {
        const text = find(v, depth - 1);
        if (text !== undefined) return text;
      }
    }
    return undefined;
  };
  return builders().map(([name, fn]) => {
    const text = find(fn(kind, input), 2);
    if (text === undefined) {
      throw new Error(
        `Cannot read a script from ${name}("${kind}"): nothing in its result starts with "${header}"`,
      );
    }
    return [name, text];
  });
}
