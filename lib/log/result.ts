import { Redactor } from "../redact/mod.ts";
import { encodeLine, type Fields } from "./logfmt.ts";
import { Logger, type ScopedLogger } from "./logger.ts";

/** Options for {@linkcode ResultLog}. */
export interface ResultLogOptions {
  /** Receives each line (without newline): stdout. */
  write: (line: string) => void;
  /** Redacts every value. @default none */
  redactor?: Redactor;
  /** The clock of schema lines. @default () => new Date() */
  now?: () => Date;
  /** Fields every schema line carries after `msg` (e.g. `trace_id`). @default {} */
  context?: Fields;
}

/**
 * The result lines a command prints on stdout, apart from the log on stderr:
 * `emit` writes a command's payload line (its fields, in the order given);
 * `scope` gives a logger whose lines follow the log schema
 * (`ts level component op msg ...`), as `doctor` and `supervisor` print one
 * per check. `--raw` silences the log, never these. Every value is redacted.
 */
export class ResultLog {
  #write: (line: string) => void;
  #redactor: Redactor;
  #lines: Logger;

  constructor(options: ResultLogOptions) {
    const { write, redactor = new Redactor(), now, context = {} } = options;
    this.#write = write;
    this.#redactor = redactor;
    this.#lines = new Logger({ write, redactor, now, context });
  }

  /** Writes one payload line: `fields` redacted and encoded as key=value. */
  emit(fields: Fields): void {
    const out: Fields = {};
    for (const [key, value] of Object.entries(fields)) {
      out[key] = typeof value === "string"
        ? this.#redactor.redact(value)
        : value;
    }
    this.#write(encodeLine(out));
  }

  /** Result lines in the log schema for one component and op. */
  scope(...where: Parameters<Logger["scope"]>): ScopedLogger {
    return this.#lines.scope(...where);
  }
}
