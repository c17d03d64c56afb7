import { Redactor } from "../redact/mod.ts";
import { encodeLine, type Fields } from "./logfmt.ts";

/** Log levels of the logging schema. */
export type Level = "info" | "warn" | "error";

/** Components of the logging schema. */
export type Component =
  | "cli"
  | "ssh"
  | "aloha"
  | "hatchet"
  | "playwright"
  | "supervisor";

/** Options for {@linkcode Logger}. */
export interface LoggerOptions {
  /** Receives each finished line (without newline). @default writes to stderr */
  write?: (line: string) => void;
  /** The clock. @default () => new Date() */
  now?: () => Date;
  /** Drop every line (the `--raw` mode). @default false */
  silent?: boolean;
  /** Emit verbose (`debug=true`) lines. @default false */
  debug?: boolean;
  /** Fields added to every line (e.g. `trace_id`). @default {} */
  context?: Fields;
  /** Strings that must never appear in a line, in any form; each is replaced by `<redacted>`. @default [] */
  secrets?: string[];
  /** The redactor to use instead of one built from `secrets`. @default undefined */
  redactor?: Redactor;
}

const encoder = new TextEncoder();

const STACK_LINE = /\r?\n[ \t]+at [^\r\n]*/g;

/**
 * Drops stack-trace lines (`\n    at ...`) from a text: no stack trace
 * reaches a log line, whoever built the text.
 */
export function withoutStack(text: string): string {
  return text.includes("at ") ? text.replace(STACK_LINE, "") : text;
}

/** The longest field value written; longer ones end with `…`. */
export const MAX_FIELD_CHARS = 4096;

function bounded(text: string): string {
  return text.length <= MAX_FIELD_CHARS
    ? text
    : text.slice(0, MAX_FIELD_CHARS - 1) + "…";
}

function writeStderr(line: string): void {
  Deno.stderr.writeSync(encoder.encode(line + "\n"));
}

/**
 * Writes key=value log lines: `ts level component op msg`, then the context
 * fields, then the call's fields.
 */
export class Logger {
  #write: (line: string) => void;
  #now: () => Date;
  #silent: boolean;
  #debug: boolean;
  #context: Fields;
  #redactor: Redactor;

  constructor(options: LoggerOptions = {}) {
    const {
      write = writeStderr,
      now = () => new Date(),
      silent = false,
      debug = false,
      context = {},
      secrets = [],
      redactor,
    } = options;
    this.#write = write;
    this.#now = now;
    this.#silent = silent;
    this.#debug = debug;
    this.#context = context;
    this.#redactor = redactor ?? new Redactor(secrets);
  }

  /** A logger that adds `fields` to every line. */
  with(fields: Fields): Logger {
    return new Logger({
      write: this.#write,
      now: this.#now,
      silent: this.#silent,
      debug: this.#debug,
      context: { ...this.#context, ...fields },
      redactor: this.#redactor,
    });
  }

  /** The redactor every line passes through. */
  get redactor(): Redactor {
    return this.#redactor;
  }

  /** Whether debug lines are written. */
  get debugEnabled(): boolean {
    return this.#debug && !this.#silent;
  }

  /** Logs at info level. */
  info(component: Component, op: string, msg: string, fields: Fields = {}) {
    this.log("info", component, op, msg, fields);
  }

  /** Logs at warn level. */
  warn(component: Component, op: string, msg: string, fields: Fields = {}) {
    this.log("warn", component, op, msg, fields);
  }

  /** Logs at error level; `err` becomes the `err` field. */
  error(
    component: Component,
    op: string,
    msg: string,
    err?: unknown,
    fields: Fields = {},
  ) {
    const text = err === undefined
      ? undefined
      : err instanceof Error
      ? (err.message || err.name)
      : String(err);
    this.log("error", component, op, msg, { ...fields, err: text });
  }

  /**
   * Logs a verbose line, only when debug is on. The schema's levels stay
   * info/warn/error, so it is written at info with `debug=true`.
   */
  debug(component: Component, op: string, msg: string, fields: Fields = {}) {
    if (this.#debug) {
      this.log("info", component, op, msg, { ...fields, debug: true });
    }
  }

  /** Logs one line. */
  log(
    level: Level,
    component: Component,
    op: string,
    msg: string,
    fields: Fields = {},
  ): void {
    if (this.#silent) return;
    const all: Fields = {
      ts: this.#now().toISOString(),
      level,
      component,
      op,
      msg,
      ...this.#context,
      ...fields,
    };
    // Redact first: a secret cut by the bound would leak its beginning.
    for (const [key, value] of Object.entries(all)) {
      if (typeof value === "string") {
        all[key] = bounded(withoutStack(this.redact(value)));
      }
    }
    this.#write(encodeLine(all));
  }

  /** Replaces every form of every known secret in `text` by `<redacted>`. */
  redact(text: string): string {
    return this.#redactor.redact(text);
  }
}
