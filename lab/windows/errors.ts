/**
 * Thrown for anything the lab's PowerShell emulator does not implement. The
 * emulator never guesses: it reports `lab: unsupported PowerShell: <what>` and
 * exits 1.
 */
export class Unsupported extends Error {
  override name = "Unsupported";

  /** @param what the argument, statement or input that is not supported */
  constructor(what: string) {
    super(what);
  }
}

/** The stderr line for an {@linkcode Unsupported} error. */
export function unsupportedLine(error: Unsupported): string {
  return `lab: unsupported PowerShell: ${error.message}\n`;
}
