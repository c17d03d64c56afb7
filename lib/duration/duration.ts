const UNITS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  "µs": 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

/**
 * Parses a Go-style duration (`500ms`, `10s`, `1m30s`, `1h`) into
 * milliseconds. Returns `undefined` when the text is not a duration.
 */
export function parseDuration(text: string): number | undefined {
  const re = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/y;
  if (text.length === 0) return undefined;
  let total = 0;
  let i = 0;
  while (i < text.length) {
    re.lastIndex = i;
    const m = re.exec(text);
    if (!m) return undefined;
    total += Number(m[1]) * UNITS[m[2]!]!;
    i = re.lastIndex;
  }
  return total;
}

/** Formats milliseconds as a compact duration (`1h`, `10m`, `1m30s`, `500ms`). */
export function formatDuration(ms: number): string {
  if (ms < 1000 || ms % 1000 !== 0) return `${ms}ms`;
  let s = ms / 1000;
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  return `${h ? h + "h" : ""}${m ? m + "m" : ""}${s ? s + "s" : ""}`;
}

/** Bounds every configured duration must respect. */
export const DURATION_MIN_MS = 1000;
/** Upper bound of a configured duration. */
export const DURATION_MAX_MS = 3_600_000;
/** Upper bound of a run's or a job's time limit (24 h). */
export const LONG_DURATION_MAX_MS = 24 * DURATION_MAX_MS;
