/**
 * Go-style durations (`500ms`, `10s`, `1m30s`, `1h`) and the bounds every
 * configured or flagged duration must respect. Free of heavy dependencies, so
 * flag parsing stays cheap at start-up.
 * @module
 */
export {
  DURATION_MAX_MS,
  DURATION_MIN_MS,
  formatDuration,
  LONG_DURATION_MAX_MS,
  parseDuration,
} from "./duration.ts";
