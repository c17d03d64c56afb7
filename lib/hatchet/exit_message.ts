/**
 * How a `windows.exec` job whose command exited non-zero says so. The job
 * fails (Hatchet keeps no output for a failed task, only its error), so the
 * exit code travels in the error text: the worker writes it with
 * {@linkcode exitMessage}, and readers anywhere (`jobs status`, batch
 * status) read it back with {@linkcode exitCodeOf}. One wording, one place.
 * @module
 */

const PREFIX = "remote command exited with code ";

/** The failure message of a command that exited with `code`. */
export function exitMessage(code: number): string {
  if (!Number.isSafeInteger(code)) {
    throw new RangeError(`exitMessage() needs an integer, got ${code}`);
  }
  return `${PREFIX}${code}`;
}

const PATTERN = /(?:^|: )remote command exited with code (-?\d{1,10})$/;

/**
 * The exit code a job's error text names, or undefined when the text is not
 * {@linkcode exitMessage}'s (optionally after an `Error: `-style prefix).
 */
export function exitCodeOf(
  error: string | null | undefined,
): number | undefined {
  const match = PATTERN.exec((error ?? "").trim());
  if (!match) return undefined;
  const code = Number(match[1]);
  return Number.isSafeInteger(code) ? code : undefined;
}
