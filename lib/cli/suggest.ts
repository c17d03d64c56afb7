/**
 * "Did you mean" for a mistyped command or option: the closest candidates
 * by optimal string alignment distance, if close enough.
 * @module
 */

/** Edits (insert, delete, substitute, swap two neighbours) from `a` to `b`. */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from(
    { length: rows },
    (_, i) =>
      Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const same = a[i - 1] === b[j - 1];
      let best = Math.min(
        d[i - 1]![j]! + 1,
        d[i]![j - 1]! + 1,
        d[i - 1]![j - 1]! + (same ? 0 : 1),
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, d[i - 2]![j - 2]! + 1);
      }
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

/**
 * The suffix for an error about `word`: ` (Did you mean x?)`, ` (Did you
 * mean one of x, y?)` or "" when nothing is within 2 edits and 40% alike.
 */
export function suggestion(word: string, candidates: string[]): string {
  const options = word.startsWith("--");
  const bare = (s: string) => (options ? s.slice(2) : s);
  const target = bare(word);
  let best = 3;
  let close: string[] = [];
  for (const candidate of new Set(candidates)) {
    const name = bare(candidate);
    if (name.length <= 1) continue;
    const distance = editDistance(target, name);
    const length = Math.max(target.length, name.length);
    if ((length - distance) / length <= 0.4) continue;
    if (distance < best) {
      best = distance;
      close = [candidate];
    } else if (distance === best) close.push(candidate);
  }
  close.sort((a, b) => a.localeCompare(b));
  if (close.length > 1) return ` (Did you mean one of ${close.join(", ")}?)`;
  if (close.length === 1) return ` (Did you mean ${close[0]}?)`;
  return "";
}
