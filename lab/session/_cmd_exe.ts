/**
 * The part of `cmd.exe /c <line>` the lab models: the line names one program
 * and its arguments, nothing cmd itself would interpret. Win32-OpenSSH runs a
 * command line as `"<cmd.exe>" /c "<line>"` (PowerShell/openssh-portable,
 * `contrib/win32/win32compat/w32-doexec.c`, `do_exec_windows`), cmd strips the
 * outer quotes (`cmd /?`, "old behavior") and starts the program with the
 * rest of the line, which the program splits with the C runtime's rules
 * ({@linkcode windowsArgv}).
 *
 * Anything cmd would interpret is refused rather than guessed at: `%` (variable
 * expansion, even inside quotes), and outside quotes `& | < > ^ ( )`, a leading
 * `@`, and line breaks. Quote state is cmd's: every `"` toggles it.
 * @module
 */
import { programToken, windowsArgs } from "../windows/argv.ts";
import { Unsupported } from "../windows/errors.ts";

/** What cmd would start: the program as written, and its `argv[1..]`. */
export interface CmdCommand {
  program: string;
  args: string[];
}

const SPECIAL_OUTSIDE_QUOTES = new Set(["&", "|", "<", ">", "^", "(", ")"]);

/** Parses a `cmd /c` line; throws {@linkcode Unsupported} for what cmd would interpret. */
export function cmdCommand(line: string): CmdCommand {
  if (/[\r\n]/.test(line)) throw new Unsupported(`a line break: ${line}`);
  if (line.includes("%")) throw new Unsupported(`% expansion: ${line}`);
  if (line.trimStart().startsWith("@")) {
    throw new Unsupported(`a leading @: ${line}`);
  }
  let quoted = false;
  for (const ch of line) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && SPECIAL_OUTSIDE_QUOTES.has(ch)) {
      throw new Unsupported(`cmd operator ${ch}: ${line}`);
    }
  }
  const [program, rest] = programToken(line);
  if (program === null || program === "") {
    throw new Unsupported(`an empty command line`);
  }
  return { program, args: windowsArgs(rest) };
}
