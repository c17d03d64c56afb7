/**
 * Routes a command line through a {@linkcode Group} tree: options before a
 * subcommand belong to the group they follow (so `--config` goes before the
 * subcommand), `--` ends a command's options, the last value of a repeated
 * flag wins, and errors read as they always have.
 * @module
 */
import {
  type Command,
  type Flag,
  type Group,
  InvalidArgumentError,
  longName,
  type Node,
  ParseError,
  takesValue,
} from "./spec.ts";
import { suggestion } from "./suggest.ts";

/** What a command line asks for. */
export type Route<C> =
  | {
    kind: "help";
    /** The node whose help to print, and its path from the root. */
    node: Node<C>;
    path: string[];
    /** Help asked for by mistake (no subcommand): printed on stderr. */
    toStderr: boolean;
  }
  | {
    kind: "run";
    command: Command<C>;
    path: string[];
    /** The values of the root's own flags (`--config`, `--debug`). */
    globals: Record<string, unknown>;
    /** The command's flags, defaults filled in. */
    options: Record<string, unknown>;
    /** The command's positional words. */
    words: string[];
  };

const HELP = new Set(["-h", "--help"]);

/** Routes `args` (without the program name) through `root`. */
export function route<C>(root: Group<C>, args: readonly string[]): Route<C> {
  let node: Group<C> = root;
  const path: string[] = [];
  let rest = [...args];
  let globals: Record<string, unknown> = {};
  for (;;) {
    const scanned = scanGroup(node, rest);
    if (node === root) globals = scanned.values;
    if (scanned.help) return { kind: "help", node, path, toStderr: false };
    if (scanned.unknown !== undefined) {
      throw unknownOption(node, scanned.unknown);
    }
    const name = scanned.rest[0];
    if (name === undefined) return { kind: "help", node, path, toStderr: true };
    if (name === "help") return helpCommand(node, path, scanned.rest[1]);
    const next = childOf(node, name);
    if (next === undefined) {
      throw new ParseError(
        `unknown command '${name}'${suggestion(name, commandNames(node))}`,
      );
    }
    path.push(name);
    rest = scanned.rest.slice(1);
    if (next.kind === "group") {
      node = next;
      continue;
    }
    return runCommand(next, path, globals, rest);
  }
}

function childOf<C>(group: Group<C>, name: string): Node<C> | undefined {
  return group.commands.find((c) => c.name === name);
}

function commandNames<C>(group: Group<C>): string[] {
  return [
    ...group.commands.filter((c) => !("hidden" in c && c.hidden)).map((c) =>
      c.name
    ),
    "help",
  ];
}

/** `help [command]`: that command's help, or this group's on stderr. */
function helpCommand<C>(
  group: Group<C>,
  path: string[],
  name: string | undefined,
): Route<C> {
  if (name === undefined) {
    return { kind: "help", node: group, path, toStderr: false };
  }
  const child = childOf(group, name);
  if (child === undefined) {
    return { kind: "help", node: group, path, toStderr: true };
  }
  return { kind: "help", node: child, path: [...path, name], toStderr: false };
}

interface Scan {
  values: Record<string, unknown>;
  help: boolean;
  /** The first option this node does not know. */
  unknown?: string;
  /** What follows this node's options. */
  rest: string[];
}

/** A group's options run up to its first word, the subcommand. */
function scanGroup<C>(group: Group<C>, args: string[]): Scan {
  const values: Record<string, unknown> = {};
  let help = false;
  let i = 0;
  while (i < args.length) {
    const arg = args[i]!;
    if (!isOption(arg)) break;
    if (HELP.has(arg)) {
      help = true;
      i++;
      continue;
    }
    const taken = takeFlag(group.flags, args, i, values);
    if (taken === 0) {
      // Once an option is unknown nothing after it is routed; a help flag
      // further on still wins.
      const after = args.slice(i + 1);
      return {
        values,
        help: help || after.some((a) => HELP.has(a)),
        unknown: arg,
        rest: [],
      };
    }
    i += taken;
  }
  return { values, help, rest: args.slice(i) };
}

function isOption(arg: string): boolean {
  return arg.length > 1 && arg.startsWith("-") && arg !== "--";
}

/**
 * Takes the flag at `args[i]` into `values`; returns how many words it used,
 * 0 when `args[i]` is no flag of `flags`.
 */
function takeFlag(
  flags: Record<string, Flag>,
  args: string[],
  i: number,
  values: Record<string, unknown>,
): number {
  const arg = args[i]!;
  const eq = arg.startsWith("--") ? arg.indexOf("=") : -1;
  const name = eq > 0 ? arg.slice(0, eq) : arg;
  const entry = Object.entries(flags).find(([, f]) => longName(f) === name);
  if (entry === undefined) return 0;
  const [key, flag] = entry;
  if (!takesValue(flag)) {
    if (eq > 0) return 0;
    values[key] = true;
    return 1;
  }
  const value = eq > 0 ? arg.slice(eq + 1) : args[i + 1];
  if (value === undefined) {
    throw new ParseError(`option '${flag.flags}' argument missing`);
  }
  values[key] = parseValue(flag, value);
  return eq > 0 ? 1 : 2;
}

function parseValue(flag: Flag, value: string): unknown {
  const invalid = `option '${flag.flags}' argument '${value}' is invalid.`;
  if (flag.choices && !flag.choices.includes(value)) {
    throw new ParseError(
      `${invalid} Allowed choices are ${flag.choices.join(", ")}.`,
    );
  }
  if (!flag.parse) return value;
  try {
    return flag.parse(value);
  } catch (error) {
    if (error instanceof InvalidArgumentError) {
      throw new ParseError(`${invalid} ${error.message}`);
    }
    throw error;
  }
}

function unknownOption<C>(node: Node<C>, arg: string): ParseError {
  const candidates = arg.startsWith("--")
    ? [...Object.values(node.flags).map(longName), "--help"]
    : [];
  return new ParseError(
    `unknown option '${arg}'${suggestion(arg, candidates)}`,
  );
}

/** A command's flags anywhere among its words, up to `--`. */
function runCommand<C>(
  command: Command<C>,
  path: string[],
  globals: Record<string, unknown>,
  args: string[],
): Route<C> {
  const options: Record<string, unknown> = {};
  const words: string[] = [];
  let help = false;
  let unknown: string | undefined;
  let i = 0;
  while (i < args.length) {
    const arg = args[i]!;
    if (arg === "--") {
      words.push(...args.slice(i + 1));
      break;
    }
    if (!isOption(arg)) {
      words.push(arg);
      i++;
      continue;
    }
    if (HELP.has(arg)) {
      help = true;
      i++;
      continue;
    }
    const taken = takeFlag(command.flags, args, i, options);
    if (taken === 0) {
      unknown = arg;
      help ||= args.slice(i + 1).some((a) => HELP.has(a));
      break;
    }
    i += taken;
  }
  if (help) return { kind: "help", node: command, path, toStderr: false };
  for (const flag of Object.values(command.flags)) {
    if (flag.required && !(keyOf(command, flag) in options)) {
      throw new ParseError(`required option '${flag.flags}' not specified`);
    }
  }
  if (unknown !== undefined) throw unknownOption(command, unknown);
  checkWords(command, words);
  for (const [key, flag] of Object.entries(command.flags)) {
    if (!(key in options) && flag.default !== undefined) {
      options[key] = flag.default;
    }
  }
  return { kind: "run", command, path, globals, options, words };
}

function keyOf<C>(command: Command<C>, flag: Flag): string {
  return Object.entries(command.flags).find(([, f]) => f === flag)![0];
}

function checkWords<C>(command: Command<C>, words: string[]): void {
  const a = command.argument;
  const expected = a ? 1 : 0;
  if (a && (a.required ?? true) && words.length === 0) {
    throw new ParseError(`missing required argument '${a.name}'`);
  }
  if (!a?.variadic && words.length > expected) {
    throw new ParseError(
      `too many arguments for '${command.name}'. Expected ${expected} argument${
        expected === 1 ? "" : "s"
      } but got ${words.length}.`,
    );
  }
  if (a?.choices) {
    for (const word of words) {
      if (!a.choices.includes(word)) {
        throw new ParseError(
          `command-argument value '${word}' is invalid for argument '${a.name}'. Allowed choices are ${
            a.choices.join(", ")
          }.`,
        );
      }
    }
  }
}
