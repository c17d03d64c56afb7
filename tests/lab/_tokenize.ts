import { Unsupported } from "./_errors.ts";

/** One word of a statement; `quoted` when any part of it was in quotes. */
export interface Word {
  text: string;
  quoted: boolean;
}

/** One argument: a word, or several joined by commas (an array). */
export type Arg = Word[];

/** One statement: its arguments and its source text (for error messages). */
export interface Statement {
  args: Arg[];
  source: string;
}

/** The one `$` expression the subset knows. */
export const PS_VERSION_EXPR = "$PSVersionTable.PSVersion.ToString()";

const SPECIAL = new Set(["|", "&", ">", "<", "(", ")", "{", "}"]);
const DQ_ESCAPES: Record<string, string> = {
  n: "\n",
  t: "\t",
  r: "\r",
  0: "\0",
};

type Token =
  | { kind: "word"; word: Word }
  | { kind: "comma" }
  | { kind: "end" }
  | { kind: "bad" };

const BAD: [Token, number] = [{ kind: "bad" }, 0];

/**
 * Splits user-command text into statements (on `;` and newlines, outside
 * quotes) and each statement into arguments. Single quotes are literal (`''` is
 * a quote); double quotes honour backtick escapes and `""`. Pipelines,
 * redirections, sub-expressions and `$` (except {@linkcode PS_VERSION_EXPR})
 * are unsupported.
 */
export function parseStatements(text: string): Statement[] {
  const statements: Statement[] = [];
  let args: Arg[] = [];
  let pendingComma = false;
  let start = 0;
  let i = 0;
  const finish = (end: number) => {
    const source = text.slice(start, end).trim();
    if (pendingComma) throw new Unsupported(source);
    if (args.length > 0) statements.push({ args, source });
    args = [];
  };
  while (i < text.length) {
    const [token, next] = readToken(text, i);
    if (token.kind === "bad") {
      throw new Unsupported(statementAt(text, start));
    } else if (token.kind === "end") {
      finish(i);
      start = next;
    } else if (token.kind === "comma") {
      if (args.length === 0 || pendingComma) {
        throw new Unsupported(statementAt(text, start));
      }
      pendingComma = true;
    } else if (pendingComma) {
      args[args.length - 1]!.push(token.word);
      pendingComma = false;
    } else {
      args.push([token.word]);
    }
    i = next;
  }
  finish(text.length);
  return statements;
}

function statementAt(text: string, start: number): string {
  return text.slice(start).split(/[;\n]/)[0]!.trim();
}

function readToken(text: string, at: number): [Token, number] {
  let i = at;
  while (text[i] === " " || text[i] === "\t") i++;
  if (i >= text.length) return [{ kind: "end" }, i];
  const c = text[i]!;
  if (c === ";" || c === "\n" || c === "\r") return [{ kind: "end" }, i + 1];
  if (c === ",") return [{ kind: "comma" }, i + 1];
  if (text.startsWith(PS_VERSION_EXPR, i)) {
    return [
      { kind: "word", word: { text: PS_VERSION_EXPR, quoted: false } },
      i + PS_VERSION_EXPR.length,
    ];
  }
  if (c === "#" || c === "@") return BAD;
  let word = "";
  let quoted = false;
  while (i < text.length) {
    const ch = text[i]!;
    if (" \t;\n\r,".includes(ch)) break;
    if (ch === "'") {
      const [part, next] = readSingle(text, i);
      word += part;
      quoted = true;
      i = next;
    } else if (ch === '"') {
      const [part, next] = readDouble(text, i);
      if (part === null) return BAD;
      word += part;
      quoted = true;
      i = next;
    } else if (ch === "`" && i + 1 < text.length) {
      word += text[i + 1];
      i += 2;
    } else if (SPECIAL.has(ch) || ch === "$") {
      return BAD;
    } else {
      word += ch;
      i++;
    }
  }
  return [{ kind: "word", word: { text: word, quoted } }, i];
}

function readSingle(text: string, at: number): [string, number] {
  let out = "";
  let i = at + 1;
  while (i < text.length) {
    if (text[i] === "'") {
      if (text[i + 1] === "'") {
        out += "'";
        i += 2;
        continue;
      }
      return [out, i + 1];
    }
    out += text[i];
    i++;
  }
  throw new Unsupported(`unterminated string: ${text.slice(at)}`);
}

function readDouble(text: string, at: number): [string | null, number] {
  let out = "";
  let i = at + 1;
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === "`" && i + 1 < text.length) {
      const e = text[i + 1]!;
      out += DQ_ESCAPES[e] ?? e;
      i += 2;
    } else if (ch === '"') {
      if (text[i + 1] === '"') {
        out += '"';
        i += 2;
        continue;
      }
      return [out, i + 1];
    } else if (ch === "$" && /[\w{(:?^$]/.test(text[i + 1] ?? "")) {
      return [null, i];
    } else {
      out += ch;
      i++;
    }
  }
  throw new Unsupported(`unterminated string: ${text.slice(at)}`);
}
