/**
 * How Windows PowerShell 5.1's console host renders a native command's stderr
 * line when it captured it as an error record (text error format, the outer
 * shell of DefaultShell=powershell): the default `ErrorInstance` view of
 * `System.Management.Automation.ErrorRecord`. Sources, PowerShell/PowerShell
 * at 3998ce06ba (the 5.1-era import):
 * - `src/System.Management.Automation/engine/NativeCommandProcessor.cs`
 *   (`ProcessStreamReader.ReadText`): the first stderr line becomes a
 *   `NativeCommandError` record whose target is the line; the rest become
 *   `NativeCommandErrorMessage` records, shown as their bare message.
 * - `.../FormatAndOutput/common/DefaultFormatters/PowerShellCore_format_ps1xml.cs`
 *   (`ViewsOf_System_Management_Automation_ErrorRecord`): `<name> : <message>`,
 *   the position message, `+ CategoryInfo`, `+ FullyQualifiedErrorId`, a final
 *   line of one space; the two `+` lines are cut every (buffer width - 6)
 *   characters, the pieces joined with four spaces.
 * - `src/System.Management.Automation/engine/parser/Position.cs`
 *   (`VerboseMessage`): `At line:1 char:<n>`, the source line cut to 69
 *   characters around the command with ` ...`, and `~` under the command.
 * - `src/System.Management.Automation/engine/ErrorPackage.cs` and
 *   `resources/ErrorCategoryStrings.resx`: `NotSpecified: (<target>:String)
 *   [], RemoteException`, a target over 40 characters shown as its first 15,
 *   `...`, its last 15.
 * @module
 */
import type { OuterCommand } from "./_outer_command.ts";

/**
 * The console buffer width the lab assumes for the outer host's (hidden)
 * console: a new console's default on Windows 10 and Server 2016 and later.
 */
export const CONSOLE_WIDTH = 120;

const MAX_SOURCE = 69;

function ellipsize(text: string): string {
  return text.length <= 40 ? text : `${text.slice(0, 15)}...${text.slice(-15)}`;
}

/** `At line:1 char:<n>`, the (cut) source line and the `~` under the command. */
export function positionMessage(command: OuterCommand): string {
  let source = command.text.trimEnd();
  let before = command.column - 1;
  let length = command.length;
  let prefixDots = false;
  let suffixDots = false;
  if (source.length > MAX_SOURCE) {
    const totalPrefix = before;
    let prefix = Math.min(totalPrefix, 12);
    const totalSuffix = source.length - length - before;
    let suffix = Math.min(totalSuffix, 8);
    let candidate = prefix + length + suffix;
    if (candidate >= MAX_SOURCE) {
      if (prefix + length >= MAX_SOURCE) length = MAX_SOURCE - prefix;
      suffixDots = true;
    } else {
      if (totalPrefix - prefix > 0) {
        prefix += Math.min(totalPrefix - prefix, MAX_SOURCE - candidate);
        candidate = prefix + length + suffix;
      }
      if (candidate < MAX_SOURCE && totalSuffix > 0) {
        suffix += Math.min(totalSuffix, MAX_SOURCE - candidate);
      }
      suffixDots = suffix < totalSuffix;
    }
    prefixDots = prefix < totalPrefix;
    const start = Math.max(before - prefix, 0);
    source = source.slice(start, start + MAX_SOURCE);
    before = Math.min(before, prefix);
    length = Math.min(length, MAX_SOURCE - before);
  }
  const shown = `${prefixDots ? "... " : ""}${source}${
    suffixDots ? " ..." : ""
  }`;
  const marks = " ".repeat(before + (prefixDots ? 4 : 0)) +
    "~".repeat(Math.max(length, 1));
  return `At line:1 char:${command.column}\r\n+ ${shown}\r\n+ ${marks}`;
}

function indented(text: string, width: number): string {
  const cut = width - 6;
  let out = "";
  for (let i = 0; i < text.length; i += cut) {
    out += "    " + text.slice(i, i + cut);
  }
  return out;
}

/** Splits rendered text into the lines the host writes (empty ones are skipped). */
function hostLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/).filter((line) => line !== "");
}

/** Options of {@linkcode nativeCommandErrorLines}. */
export interface NativeErrorOptions {
  /** The console buffer width. @default CONSOLE_WIDTH (120) */
  width?: number;
}

/**
 * The lines (without line ends) the host writes for the `NativeCommandError`
 * record made of `message`, the first stderr line of `command`.
 */
export function nativeCommandErrorLines(
  message: string,
  command: OuterCommand,
  options: NativeErrorOptions = {},
): string[] {
  const { width = CONSOLE_WIDTH } = options;
  const category = `NotSpecified: (${
    ellipsize(message)
  }:String) [], RemoteException`;
  const text = `${command.invocationName} : ${message}` +
    `\n${positionMessage(command)}` +
    `\n${indented(`+ CategoryInfo          : ${category}`, width)}` +
    `\n${indented("+ FullyQualifiedErrorId : NativeCommandError", width)}` +
    "\n ";
  return hostLines(text);
}

/** The lines the host writes for a `NativeCommandErrorMessage` record. */
export function nativeCommandErrorMessageLines(message: string): string[] {
  return hostLines(message);
}
