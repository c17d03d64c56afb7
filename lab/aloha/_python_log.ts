const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/**
 * One line in Python logging's default format with `%(asctime)s -
 * %(levelname)s - %(message)s`: `YYYY-MM-DD HH:MM:SS,mmm - INFO - message`,
 * local time.
 */
export function pythonLogLine(message: string, at: Date = new Date()): string {
  const date = `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${
    pad(at.getDate())
  }`;
  const time = `${pad(at.getHours())}:${pad(at.getMinutes())}:${
    pad(at.getSeconds())
  }`;
  return `${date} ${time},${pad(at.getMilliseconds(), 3)} - INFO - ${message}`;
}

/** Writes a log line to stderr, as the Aloha processes do. */
export function logToStderr(message: string): void {
  Deno.stderr.writeSync(
    new TextEncoder().encode(pythonLogLine(message) + "\n"),
  );
}
