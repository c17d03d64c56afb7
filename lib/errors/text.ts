/** How many characters of a value a message echoes. */
export const MAX_ECHO = 120;

/** How many characters a whole error line may have. */
export const MAX_LINE = 600;

/**
 * Cuts `text` to `max` characters (by code point), ending with `…` when it
 * was longer.
 */
export function truncate(text: string, max: number = MAX_ECHO): string {
  const chars = [...text];
  return chars.length <= max ? text : chars.slice(0, max - 1).join("") + "…";
}

/**
 * A value as a message echoes it: JSON-quoted (so a newline becomes `\n`),
 * cut to {@linkcode MAX_ECHO} characters first.
 */
export function quote(value: unknown, max: number = MAX_ECHO): string {
  const text = typeof value === "string"
    ? value
    : value === undefined
    ? "undefined"
    : JSON.stringify(value) ?? String(value);
  const cut = truncate(text, max);
  return typeof value === "string" ? JSON.stringify(cut) : cut;
}

const STACK_LINE = /^\s+at\s/;

/**
 * Any text as one line of at most `max` characters: stack-trace lines are
 * dropped, line breaks and other control characters become spaces, runs of
 * white space collapse.
 */
export function oneLine(text: string, max: number = MAX_LINE): string {
  const kept = text.split(/\r\n|\r|\n/).filter((l) => !STACK_LINE.test(l));
  // deno-lint-ignore no-control-regex
  const flat = kept.join(" ").replace(/[\u0000-\u001f\u007f-\u009f]/g, " ")
    .replace(/\s{2,}/g, " ").trim();
  return truncate(flat, max);
}

/** An error's message as one line (its name when it has no message). */
export function errorLine(error: unknown, max: number = MAX_LINE): string {
  if (error instanceof Error) {
    return oneLine(error.message || error.name, max);
  }
  return oneLine(String(error), max);
}

/**
 * The message of anything thrown: an Error's message (its name when it has
 * none), else the value as text.
 */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? (error.message || error.name) : String(error);
}
