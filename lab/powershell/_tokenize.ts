import { Unsupported } from "../windows/mod.ts";

/**
 * One word of a command; `quoted` when any part of it was in quotes; `expr`
 * when it is one of the expressions the subset evaluates at run time.
 */
export interface Word {
  text: string;
  quoted: boolean;
  expr?: Expression;
}

/** The expressions the subset knows, evaluated when their statement runs. */
export type Expression =
  | "$PSVersionTable.PSVersion.ToString()"
  | "$LASTEXITCODE"
  | "$?"
  | "[Environment]::MachineName";

/** One argument: a word, or several joined by commas (an array). */
export type Arg = Word[];

/** One command: its arguments and its source text (for error messages). */
export interface Statement {
  args: Arg[];
  source: string;
  /** `& { ... }`: the block's statements (args is then `[&]`). */
  block?: Pipeline[];
}

/** A statement as PowerShell runs it: commands joined by `|`. */
export interface Pipeline {
  commands: Statement[];
  source: string;
  /** 1-based line and column of the statement in the script. */
  line: number;
  column: number;
  /** `> path` or `>> path` at its end: Out-File of the output. */
  redirect?: { path: string; append: boolean };
}

/** The one `$` expression the v1 subset knew (kept for its callers). */
export const PS_VERSION_EXPR = "$PSVersionTable.PSVersion.ToString()";

const EXPRESSIONS: Expression[] = [
  PS_VERSION_EXPR,
  "$LASTEXITCODE",
  "$?",
  "[Environment]::MachineName",
];
const SPECIAL = new Set(["&", "<", "(", ")", "{", "}", "@", "#", "$", "["]);
const DQ_ESCAPES: Record<string, string> = {
  n: "\n",
  t: "\t",
  r: "\r",
  0: "\0",
};

/**
 * Splits user-command text into statements (on `;` and newlines outside
 * quotes), each into a pipeline of commands (on `|`) and each command into
 * arguments. Single quotes are literal (`''` is a quote); double quotes honour
 * backtick escapes and `""`. Known: `& { ... }` as a whole command, a final
 * `> path`/`>> path`, and the {@linkcode Expression}s. Anything else with `$`,
 * `(`, `{`, `@`, `#`, `[` or `<` is unsupported.
 */
export function parseScriptText(text: string): Pipeline[] {
  return new Parser(text).statements(text.length);
}

/** The single commands of {@linkcode parseScriptText} (no pipelines). */
export function parseStatements(text: string): Statement[] {
  return parseScriptText(text).map((pipeline) => {
    if (pipeline.commands.length !== 1 || pipeline.redirect) {
      throw new Unsupported(pipeline.source);
    }
    return pipeline.commands[0]!;
  });
}

class Parser {
  i = 0;
  constructor(readonly text: string) {}

  statements(end: number): Pipeline[] {
    const out: Pipeline[] = [];
    while (this.i < end) {
      this.skipBlanks();
      const c = this.text[this.i];
      if (this.i >= end) break;
      if (c === ";" || c === "\n" || c === "\r") {
        this.i++;
        continue;
      }
      out.push(this.pipeline(end));
    }
    return out;
  }

  pipeline(end: number): Pipeline {
    const start = this.i;
    const before = this.text.slice(0, start).split("\n");
    const line = before.length;
    const column = before.at(-1)!.length + 1;
    const commands: Statement[] = [];
    let redirect: Pipeline["redirect"];
    while (true) {
      commands.push(this.command(end, start));
      this.skipBlanks();
      const c = this.text[this.i];
      if (c === "|") {
        this.i++;
        continue;
      }
      if (c === ">") {
        const append = this.text[this.i + 1] === ">";
        this.i += append ? 2 : 1;
        const target = this.word(start);
        if (!target || target.expr) throw this.bad(start);
        redirect = { path: target.text, append };
        this.skipBlanks();
      }
      break;
    }
    const c = this.text[this.i];
    if (this.i < end && c !== ";" && c !== "\n" && c !== "\r") {
      throw this.bad(start);
    }
    const source = this.text.slice(start, this.i).trim();
    return { commands, source, line, column, redirect };
  }

  command(end: number, start: number): Statement {
    this.skipBlanks();
    const from = this.i;
    if (this.text[this.i] === "&") {
      this.i++;
      this.skipBlanks();
      if (this.text[this.i] !== "{") throw this.bad(start);
      const close = this.matchingBrace(this.i, start);
      this.i++;
      const block = this.statements(close);
      this.i = close + 1;
      return {
        args: [[{ text: "&", quoted: false }]],
        source: this.text.slice(from, this.i),
        block,
      };
    }
    const args: Arg[] = [];
    let pendingComma = false;
    while (this.i < end) {
      this.skipBlanks();
      const c = this.text[this.i];
      if (this.i >= end || c === undefined || ";\n\r|>".includes(c)) break;
      if (c === ",") {
        if (args.length === 0 || pendingComma) throw this.bad(start);
        pendingComma = true;
        this.i++;
        continue;
      }
      const word = this.word(start);
      if (!word) throw this.bad(start);
      if (pendingComma) args[args.length - 1]!.push(word);
      else args.push([word]);
      pendingComma = false;
    }
    if (pendingComma || args.length === 0) throw this.bad(start);
    return { args, source: this.text.slice(from, this.i).trim() };
  }

  word(start: number): Word | null {
    this.skipBlanks();
    const expr = EXPRESSIONS.find((e) => this.text.startsWith(e, this.i));
    if (expr) {
      const after = this.text[this.i + expr.length];
      if (after === undefined || " \t;\n\r,|".includes(after)) {
        this.i += expr.length;
        return { text: expr, quoted: false, expr };
      }
    }
    let text = "";
    let quoted = false;
    const from = this.i;
    while (this.i < this.text.length) {
      const ch = this.text[this.i]!;
      if (" \t;\n\r,|>".includes(ch)) break;
      if (ch === "'") {
        text += this.single();
        quoted = true;
      } else if (ch === '"') {
        text += this.double(start);
        quoted = true;
      } else if (ch === "`" && this.i + 1 < this.text.length) {
        text += this.text[this.i + 1];
        this.i += 2;
      } else if (SPECIAL.has(ch)) {
        throw this.bad(start);
      } else {
        text += ch;
        this.i++;
      }
    }
    return this.i === from ? null : { text, quoted };
  }

  single(): string {
    const at = this.i;
    let out = "";
    this.i++;
    while (this.i < this.text.length) {
      if (this.text[this.i] === "'") {
        if (this.text[this.i + 1] === "'") {
          out += "'";
          this.i += 2;
          continue;
        }
        this.i++;
        return out;
      }
      out += this.text[this.i++];
    }
    throw new Unsupported(`unterminated string: ${this.text.slice(at)}`);
  }

  double(start: number): string {
    const at = this.i;
    let out = "";
    this.i++;
    while (this.i < this.text.length) {
      const ch = this.text[this.i]!;
      if (ch === "`" && this.i + 1 < this.text.length) {
        const e = this.text[this.i + 1]!;
        out += DQ_ESCAPES[e] ?? e;
        this.i += 2;
      } else if (ch === '"') {
        if (this.text[this.i + 1] === '"') {
          out += '"';
          this.i += 2;
          continue;
        }
        this.i++;
        return out;
      } else if (ch === "$" && /[\w{(:?^$]/.test(this.text[this.i + 1] ?? "")) {
        throw this.bad(start);
      } else {
        out += ch;
        this.i++;
      }
    }
    throw new Unsupported(`unterminated string: ${this.text.slice(at)}`);
  }

  matchingBrace(open: number, start: number): number {
    let depth = 0;
    for (let i = open; i < this.text.length; i++) {
      const ch = this.text[i];
      if (ch === "'" || ch === '"') {
        this.i = i;
        if (ch === "'") this.single();
        else this.double(start);
        i = this.i - 1;
      } else if (ch === "{") depth++;
      else if (ch === "}" && --depth === 0) return i;
    }
    throw this.bad(start);
  }

  skipBlanks(): void {
    while (this.text[this.i] === " " || this.text[this.i] === "\t") this.i++;
  }

  bad(start: number): Unsupported {
    return new Unsupported(
      this.text.slice(start).split(/[;\n]/)[0]!.trim(),
    );
  }
}
