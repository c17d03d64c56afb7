import { Unsupported } from "../windows/mod.ts";
import type { Arg, Statement } from "./_tokenize.ts";

/** What a cmdlet accepts; names are lower case, without the dash. */
export interface ParamSpec {
  /** Parameters that take a value. */
  values?: string[];
  /** Parameters that take no value. */
  switches?: string[];
  /** Value parameters that may also be given by position, in order. */
  positional?: string[];
}

/** Parsed parameters: a value parameter maps to its argument, a switch to true. */
export type Params = Map<string, Arg | true>;

/** Whether an argument is a parameter name (`-Name`, unquoted). */
export function isParamName(arg: Arg): boolean {
  const [word] = arg;
  return arg.length === 1 && !!word && !word.quoted &&
    /^-[A-Za-z]/.test(word.text);
}

/**
 * Binds a statement's arguments (after the command name) to `spec`, as
 * PowerShell does: case-insensitive names, then positions. Anything left over
 * or unknown is unsupported.
 */
export function parseParams(statement: Statement, spec: ParamSpec): Params {
  const { values = [], switches = [], positional = [] } = spec;
  const params: Params = new Map();
  const loose: Arg[] = [];
  const args = statement.args.slice(1);
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (!isParamName(arg)) {
      loose.push(arg);
      continue;
    }
    const name = arg[0]!.text.slice(1).toLowerCase();
    if (params.has(name)) throw new Unsupported(statement.source);
    if (switches.includes(name)) {
      params.set(name, true);
    } else if (values.includes(name)) {
      const value = args[++i];
      if (!value || isParamName(value)) throw new Unsupported(statement.source);
      params.set(name, value);
    } else {
      throw new Unsupported(statement.source);
    }
  }
  const free = positional.filter((name) => !params.has(name));
  if (loose.length > free.length) throw new Unsupported(statement.source);
  loose.forEach((arg, i) => params.set(free[i]!, arg));
  return params;
}

/** The single word of a value parameter, or undefined if absent. */
export function scalar(
  params: Params,
  name: string,
  statement: Statement,
): string | undefined {
  const value = params.get(name);
  if (value === undefined) return undefined;
  if (value === true || value.length !== 1) {
    throw new Unsupported(statement.source);
  }
  return value[0]!.text;
}

/** The words of a value parameter (one or many), or [] if absent. */
export function list(params: Params, name: string): string[] {
  const value = params.get(name);
  return value === undefined || value === true ? [] : value.map((w) => w.text);
}
