/** Exit code of a successful command. */
export const EXIT_OK = 0;
/** Exit code when the command ran but failed. */
export const EXIT_OPERATIONAL = 1;
/** Exit code for invalid flags or invalid configuration. */
export const EXIT_USAGE = 2;
/** Exit code when a dependency (SSH, Aloha, Hatchet, Playwright) is unreachable. */
export const EXIT_DEPENDENCY = 3;
/** Exit code when an operation ran out of time. */
export const EXIT_TIMEOUT = 4;

/** Fields that a domain error adds to its log line. */
export type ErrorFields = Record<string, string | number | boolean | undefined>;

/** Options shared by every domain error. */
export interface DomainErrorOptions {
  /** The underlying error, kept for debugging, never shown as a stack trace. */
  cause?: unknown;
  /** Extra key=value fields for the error's log line (e.g. `state=busy`). */
  fields?: ErrorFields;
}

/**
 * Base class of the errors that callers handle. Each carries the exit code it
 * maps to; `main.ts` is the one place that turns it into output.
 */
export abstract class DomainError extends Error {
  /** The process exit code this error maps to. */
  abstract readonly exitCode: number;
  /** Extra fields for the log line. */
  readonly fields: ErrorFields;

  constructor(message: string, options: DomainErrorOptions = {}) {
    super(message, { cause: options.cause });
    this.fields = options.fields ?? {};
  }
}

/** Invalid flags or arguments (exit 2). */
export class UsageError extends DomainError {
  override readonly name = "UsageError";
  readonly exitCode = EXIT_USAGE;
}

/** Invalid configuration: message reads `config error: <field> <reason>` (exit 2). */
export class ConfigError extends DomainError {
  override readonly name = "ConfigError";
  readonly exitCode = EXIT_USAGE;
  /** The config field (JSON path) or file at fault. */
  readonly field: string;

  constructor(field: string, reason: string, options: DomainErrorOptions = {}) {
    super(`config error: ${field} ${reason}`, options);
    this.field = field;
  }
}

/** A dependency could not be reached (exit 3). */
export class DependencyError extends DomainError {
  override readonly name = "DependencyError";
  readonly exitCode = EXIT_DEPENDENCY;
}

/** An operation ran out of time (exit 4). */
export class TimeoutError extends DomainError {
  override readonly name = "TimeoutError";
  readonly exitCode = EXIT_TIMEOUT;
}

/** The command ran but failed (exit 1). */
export class OperationalError extends DomainError {
  override readonly name = "OperationalError";
  readonly exitCode = EXIT_OPERATIONAL;
}

/** Returns the exit code for any thrown value: a domain error's own, else 1. */
export function exitCodeOf(error: unknown): number {
  return error instanceof DomainError ? error.exitCode : EXIT_OPERATIONAL;
}
