import { errorMessage } from "../errors/mod.ts";
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

  /**
   * A logger for one component and op, named once:
   * `const log = logger.scope("ssh", "windows.exec")`, then
   * `log.info(msg, fields)`.
   */
  scope(component: Component, op: string): ScopedLogger {
    return new ScopedLogger(this, component, op);
  }

  /** Writes one line; {@linkcode ScopedLogger} is the way in. */
  write(
    level: Level,
    where: { component: Component; op: string },
    msg: string,
    fields: Fields,
  ): void {
    if (this.#silent) return;
    const all: Fields = {
      ts: this.#now().toISOString(),
      level,
      component: where.component,
      op: where.op,
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

/** The fields of an error line: `err` (anything thrown) is written last, as its message. */
export type ErrorFields = { err?: unknown } & { [key: string]: unknown };

/**
 * A {@linkcode Logger} bound to one component and op (std/log's named
 * loggers): `info`, `warn`, `error(msg, { err, ...fields })` and `debug`.
 */
export class ScopedLogger {
  readonly component: Component;
  readonly op: string;
  /** The unscoped logger, for code that scopes its own lines. */
  readonly logger: Logger;

  constructor(logger: Logger, component: Component, op: string) {
    this.logger = logger;
    this.component = component;
    this.op = op;
  }

  /** This scope with `fields` added to every line. */
  with(fields: Fields): ScopedLogger {
    return new ScopedLogger(this.logger.with(fields), this.component, this.op);
  }

  /** Logs at info level. */
  info(msg: string, fields: Fields = {}): void {
    this.logger.write("info", this, msg, fields);
  }

  /** Logs at warn level. */
  warn(msg: string, fields: Fields = {}): void {
    this.logger.write("warn", this, msg, fields);
  }

  /**
   * Logs at error level; `err` (an Error or any value) becomes the last
   * field, `err=<its message>`.
   */
  error(msg: string, fields: ErrorFields = {}): void {
    const { err, ...rest } = fields;
    this.logger.write("error", this, msg, {
      ...(rest as Fields),
      err: err === undefined ? undefined : errorMessage(err),
    });
  }

  /**
   * Logs a verbose line, only when debug is on. The schema's levels stay
   * info/warn/error, so it is written at info with `debug=true`.
   */
  debug(msg: string, fields: Fields = {}): void {
    if (this.logger.debugEnabled) {
      this.logger.write("info", this, msg, { ...fields, debug: true });
    }
  }

  /** Logs at `level` with `fields` as given (a level decided at run time). */
  log(level: Level, msg: string, fields: Fields = {}): void {
    this.logger.write(level, this, msg, fields);
  }
}
