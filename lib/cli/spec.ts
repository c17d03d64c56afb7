/**
 * The shape of a command tree: groups of commands, each command with its
 * flags, its arguments and a loader for its implementation.
 * @module
 */
import type { Loader } from "./lazy.ts";

/** A flag of a command: `--name` alone (boolean) or `--name <value>`. */
export interface Flag<T = unknown> {
  /** How the flag is written, e.g. `--timeout <dur>` or `--raw`. */
  readonly flags: string;
  /** One line for the help text. */
  readonly description: string;
  /** Turns the text into the value; throws {@linkcode InvalidArgumentError}. */
  readonly parse?: (value: string) => T;
  /** The only values allowed, checked before `parse`. */
  readonly choices?: readonly string[];
  /** Whether the command refuses to run without it. */
  readonly required: boolean;
  /** The value when the flag is absent. */
  readonly default?: T;
}

/** The positional arguments of a command (at most one, maybe variadic). */
export interface Argument {
  /** Its name in help and errors, e.g. `command`. */
  readonly name: string;
  /** One line for the help text. */
  readonly description: string;
  /** Whether it takes every remaining word. @default false */
  readonly variadic?: boolean;
  /** Whether a value must be given. @default true */
  readonly required?: boolean;
  /** The only values allowed. */
  readonly choices?: readonly string[];
}

/** A command's flags, by the property name its implementation reads. */
export type Flags = Record<string, Flag>;

/** What a command's implementation receives for `flags`. */
export type Parsed<F extends Flags> = {
  [K in keyof F]: F[K] extends Flag<infer T>
    ? (F[K] extends { required: true } | { default: unknown } ? T
      : T | undefined)
    : never;
};

/** A command's implementation: `(context, options, words) => ...`. */
export type Action<C, O> = (
  context: C,
  options: O,
  words: string[],
) => unknown;

/** A runnable command. */
export interface Command<C = unknown> {
  readonly kind: "command";
  readonly name: string;
  readonly description: string;
  readonly flags: Flags;
  readonly argument?: Argument;
  /** Left out of help, suggestions and completion. */
  readonly hidden?: boolean;
  /** Loads the implementation; called only when the command runs. */
  // deno-lint-ignore no-explicit-any
  readonly loader: Loader<{ default: Action<C, any> }>;
}

/** A group of commands (`windows`, `jobs`, the root). */
export interface Group<C = unknown> {
  readonly kind: "group";
  readonly name: string;
  readonly description: string;
  /** Flags of the group itself: only the root has any (`--config`). */
  readonly flags: Flags;
  readonly commands: ReadonlyArray<Command<C> | Group<C>>;
}

/** A node of the tree. */
export type Node<C = unknown> = Command<C> | Group<C>;

/** Thrown by a flag's parser: the reason a value is refused. */
export class InvalidArgumentError extends Error {
  /** @param message why the value is refused, e.g. `must not be empty` */
  constructor(message: string) {
    super(message);
    this.name = "InvalidArgumentError";
  }
}

/** Thrown for input the command line cannot take; main.ts prints it. */
export class ParseError extends Error {
  /** @param message what is wrong, e.g. `unknown option '--nope'` */
  constructor(message: string) {
    super(message);
    this.name = "ParseError";
  }
}

/** A boolean flag, `true` when given. */
export function booleanFlag(
  flags: string,
  description: string,
): Flag<boolean> {
  return { flags, description, required: false };
}

/** Options of {@linkcode valueFlag}. */
export interface ValueFlagOptions<T> {
  /** The only values allowed. */
  choices?: readonly string[];
  /** The value when the flag is absent. */
  default?: T;
}

/** A flag with a value, optional unless {@linkcode requiredFlag} wraps it. */
export function valueFlag<T = string>(
  flags: string,
  description: string,
  parse?: (value: string) => T,
  options: ValueFlagOptions<T> = {},
): Flag<T> {
  if (!/^--[a-z][a-z0-9-]* <[^>]+>$/.test(flags)) {
    throw new RangeError(`Cannot declare flag ${JSON.stringify(flags)}`);
  }
  return { flags, description, parse, required: false, ...options };
}

/** A value flag with a default: never undefined in the implementation. */
export function defaultedFlag<T>(
  flag: Flag<T>,
  value: T,
): Flag<T> & { default: T } {
  return { ...flag, default: value };
}

/** A value flag the command cannot run without. */
export function requiredFlag<T>(
  flag: Flag<T>,
): Flag<T> & { required: true } {
  return { ...flag, required: true };
}

/** The long name of a flag: `--timeout <dur>` gives `--timeout`. */
export function longName(flag: Flag): string {
  return flag.flags.split(" ")[0]!;
}

/** Whether a flag takes a value. */
export function takesValue(flag: Flag): boolean {
  return flag.flags.includes(" ");
}
