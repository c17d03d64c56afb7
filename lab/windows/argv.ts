/**
 * How a Windows program built with the Microsoft C runtime (powershell.exe
 * among them) splits its command line into `argv`, per "Parsing C
 * command-line arguments" on Microsoft Learn
 * (https://learn.microsoft.com/en-us/cpp/c-language/parsing-c-command-line-arguments):
 * whitespace (space, tab) separates; double quotes group; `2n` backslashes
 * before a quote give `n` backslashes and the quote delimits; `2n+1` give `n`
 * and a literal quote; other backslashes are literal; an unterminated quote
 * runs to the end. `argv[0]` is special: quotes group, nothing else applies.
 *
 * `""` inside a quoted string is where the sources disagree (the page's text
 * says "a pair of double quotes is an escaped double quote"; its example table
 * was corrected in MicrosoftDocs/cpp-docs#4643 to show the quoted string
 * ending there; CommandLineToArgvW differs again), so it is refused.
 * @module
 */
import { Unsupported } from "./errors.ts";

/** Splits a command line, `argv[0]` included. */
export function windowsArgv(line: string): string[] {
  const [program, rest] = programToken(line);
  return program === null ? [] : [program, ...windowsArgs(rest)];
}

/** Splits arguments (everything after `argv[0]`) by the C runtime's rules. */
export function windowsArgs(text: string): string[] {
  const out: string[] = [];
  let current: string | null = null;
  let quoted = false;
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (!quoted && (ch === " " || ch === "\t")) {
      if (current !== null) out.push(current);
      current = null;
      i++;
      continue;
    }
    if (ch === "\\") {
      let end = i;
      while (text[end] === "\\") end++;
      const count = end - i;
      if (text[end] !== '"') {
        current = (current ?? "") + "\\".repeat(count);
        i = end;
        continue;
      }
      current = (current ?? "") + "\\".repeat(count >> 1);
      if (count % 2 === 1) {
        current += '"';
        i = end + 1;
        continue;
      }
      i = end;
      continue;
    }
    if (ch === '"') {
      if (quoted && text[i + 1] === '"') {
        throw new Unsupported(
          `"" inside a quoted argument (its meaning differs between Windows parsers): ${text}`,
        );
      }
      quoted = !quoted;
      current ??= "";
      i++;
      continue;
    }
    current = (current ?? "") + ch;
    i++;
  }
  if (current !== null) out.push(current);
  return out;
}

/**
 * `argv[0]` and the text after it: leading whitespace skipped, quotes group
 * and are dropped, the first unquoted space or tab ends it.
 */
export function programToken(line: string): [string | null, string] {
  let i = 0;
  while (line[i] === " " || line[i] === "\t") i++;
  if (i >= line.length) return [null, ""];
  let program = "";
  let quoted = false;
  for (; i < line.length; i++) {
    const ch = line[i]!;
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === " " || ch === "\t")) break;
    else program += ch;
  }
  return [program, line.slice(i)];
}

/** A program name as Windows matches it: lower case, without `.exe`. */
export function programName(name: string): string {
  return name.toLowerCase().replace(/\.exe$/, "");
}

/**
 * Splits a Windows command line into arguments as the started program does
 * (the C runtime's rules, {@linkcode windowsArgs}). Start-Process joins
 * `-ArgumentList` with spaces and the program splits it again, so this is
 * what arrives.
 */
export function splitCommandLine(line: string): string[] {
  return windowsArgs(line);
}
