/**
 * The records PowerShell's streams carry, as the emulator's interpreter yields
 * them, and the 5.1 error view (`ErrorRecord` NormalView) the host renders.
 * @module
 */

/** Where an error happened: the statement's text and its place in the script. */
export interface Position {
  /** 1-based line of the script. */
  line: number;
  /** 1-based column of the statement's first character. */
  column: number;
  /** The statement's text (first line). */
  text: string;
}

/** An ErrorRecord: what `ToString()` gives and what the error view shows. */
export interface ErrorRecordData {
  kind: "error";
  /** `ToString()`: the exception's message. */
  message: string;
  /** FullyQualifiedErrorId. */
  fqid: string;
  /** CategoryInfo's category, e.g. `NotSpecified`, `ObjectNotFound`. */
  category: string;
  /** CategoryInfo's target name and type, e.g. `x` and `String`. */
  target?: { name: string; type: string };
  /** The command whose error it is (`Write-Error`), or "" for none. */
  command: string;
  /** The exception's type name. */
  exception: string;
  /** Set for native stderr lines turned into records (NativeCommandError). */
  native?: boolean;
  position?: Position;
}

/** One record of PowerShell's six streams (output as formatted text). */
export type PsRecord =
  | { kind: "output"; text: string }
  | ErrorRecordData
  | { kind: "warning"; message: string }
  | { kind: "verbose"; message: string }
  | { kind: "debug"; message: string }
  /** Write-Host: an InformationRecord tagged PSHOST. */
  | { kind: "information"; message: string };

/** The width the lab formats and wraps the error view at. */
export const ERROR_VIEW_WIDTH = 120;

/**
 * The lines of 5.1's error view for a record: `<command> : <message>`,
 * `At line:L char:C`, `+ <statement>`, `+ ~~~`, CategoryInfo,
 * FullyQualifiedErrorId (DefaultFormatters PowerShellCore_format_ps1xml.cs,
 * `ErrorRecord` view; the trailing " " line as 5.1 output shows it).
 */
export function errorView(record: ErrorRecordData): string[] {
  const head = record.command
    ? `${record.command} : ${record.message}`
    : record.message;
  const lines = wrap(head, ERROR_VIEW_WIDTH);
  if (record.position) {
    const { line, column, text } = record.position;
    lines.push(`At line:${line} char:${column}`);
    lines.push(`+ ${text}`);
    lines.push(`+ ${"~".repeat(Math.max(1, text.length))}`);
  }
  const target = record.target
    ? `(${record.target.name}:${record.target.type})`
    : "(:)";
  lines.push(
    `    + CategoryInfo          : ${record.category}: ${target} [${record.command}], ${record.exception}`,
  );
  lines.push(`    + FullyQualifiedErrorId : ${record.fqid}`);
  lines.push(" ");
  return lines;
}

/** Word-wraps one line at `width`, keeping the space that ends a broken line. */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let rest = text;
  while (rest.length > width) {
    const cut = rest.lastIndexOf(" ", width - 1);
    const at = cut > 0 ? cut + 1 : width;
    lines.push(rest.slice(0, at));
    rest = rest.slice(at);
  }
  lines.push(rest);
  return lines;
}

/** A terminating error (`throw`): ends the script it runs in. */
export class Terminating extends Error {
  override name = "Terminating";
  /** @param record the error record it carries */
  constructor(readonly record: ErrorRecordData) {
    super(record.message);
  }
}
