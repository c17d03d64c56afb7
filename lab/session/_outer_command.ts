/**
 * What the OUTER Windows PowerShell 5.1 (sshd's DefaultShell, run as
 * `powershell.exe -c <line>`) does with the line: parse it as PowerShell and
 * run the one native command it names. The lab understands only a line that
 * is `powershell` (or `powershell.exe`) with arguments that are bare words,
 * single-quoted strings or double-quoted strings without `$` and backquote;
 * anything else is refused.
 *
 * Windows PowerShell 5.1 passes a native argument that contains whitespace
 * wrapped in double quotes and every other one as is
 * (`NativeCommandParameterBinder`, PowerShell/PowerShell at 3998ce06ba); the
 * inner process splits that again with the C runtime's rules, so the
 * arguments accepted here arrive unchanged. Arguments that would not (empty,
 * holding a `"`, or with whitespace and a trailing backslash) are refused.
 * @module
 */
import { Unsupported } from "../windows/errors.ts";

/** The native command in the outer shell's `-c` text. */
export interface OuterCommand {
  /** The command name as typed (`powershell` or `powershell.exe`, any case). */
  invocationName: string;
  /** What the inner process receives as `argv[1..]`. */
  args: string[];
  /** 1-based column where the command starts in the text. */
  column: number;
  /** Length of the command's extent (first to last character of it). */
  length: number;
  /** The whole `-c` text. */
  text: string;
}

const BARE_WORD = /^[A-Za-z0-9_\-+/=.:\\]+$/;

function quotedEnd(text: string, start: number, quote: string): number {
  const end = text.indexOf(quote, start + 1);
  if (end < 0) {
    throw new Unsupported(`an unterminated ${quote} string: ${text}`);
  }
  if (text[end + 1] === quote) {
    throw new Unsupported(`a doubled ${quote} inside a string: ${text}`);
  }
  return end;
}

/** Parses the `-c` text; throws {@linkcode Unsupported} for anything else. */
export function parseOuterCommand(text: string): OuterCommand {
  if (/[\t\r\n]/.test(text)) {
    throw new Unsupported(`a tab or line break in the command line: ${text}`);
  }
  const words: { value: string; bare: boolean }[] = [];
  let first = -1;
  let last = -1;
  let i = 0;
  while (i < text.length) {
    if (text[i] === " ") {
      i++;
      continue;
    }
    if (first < 0) first = i;
    let value: string;
    let bare = false;
    let end: number;
    const ch = text[i]!;
    if (ch === "'" || ch === '"') {
      end = quotedEnd(text, i, ch);
      value = text.slice(i + 1, end);
      if (ch === '"' && /[$`]/.test(value)) {
        throw new Unsupported(`expansion in a double-quoted string: ${text}`);
      }
      end++;
    } else {
      end = text.indexOf(" ", i);
      if (end < 0) end = text.length;
      value = text.slice(i, end);
      bare = true;
      if (!BARE_WORD.test(value)) {
        throw new Unsupported(`PowerShell syntax in "${value}": ${text}`);
      }
    }
    if (end < text.length && text[end] !== " ") {
      throw new Unsupported(`text joined to a string: ${text}`);
    }
    words.push({ value, bare });
    last = end;
    i = end;
  }
  const [command, ...rest] = words;
  if (
    !command || !command.bare || !/^powershell(\.exe)?$/i.test(command.value)
  ) {
    throw new Unsupported(
      `the outer shell runs only a powershell command line: ${text}`,
    );
  }
  for (const { value } of rest) {
    if (
      value === "" || value.includes('"') ||
      (/\s/.test(value) && value.endsWith("\\"))
    ) {
      throw new Unsupported(
        `an argument Windows PowerShell 5.1 would not pass intact: ${text}`,
      );
    }
  }
  return {
    invocationName: command.value,
    args: rest.map((w) => w.value),
    column: first + 1,
    length: last - first,
    text,
  };
}
