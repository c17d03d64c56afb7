import { encodeLine } from "../log/mod.ts";

/** The metric names of roadmap task 6. */
export const METRIC_NAMES = [
  "jobs_enqueued_total",
  "jobs_completed_total",
  "jobs_failed_total",
  "jobs_cancelled_total",
  "playwright_sessions_total",
  "aloha_runs_total",
] as const;

/** One metric name. */
export type MetricName = typeof METRIC_NAMES[number];

/** A terminal job state. */
export type TerminalState = "completed" | "failed" | "cancelled";

/** Options for {@linkcode JobMetrics}. */
export interface JobMetricsOptions {
  /** How many recent job ids are remembered to count each once. @default 100000 */
  rememberJobs?: number;
  /**
   * The worker's served targets (`win-01,win-02`), put on every line as
   * `target=`. @default undefined: no `target` field
   */
  target?: string;
}

/**
 * In-memory job counters for one worker process (reset on restart). A job is
 * counted once per terminal state whatever its retries: a retried attempt
 * that failed is not terminal, and a job id reported twice is counted once.
 */
export class JobMetrics {
  #counts = new Map<MetricName, number>(METRIC_NAMES.map((n) => [n, 0]));
  #seen = new Map<string, true>();
  #remember: number;
  #target: string | undefined;

  constructor(options: JobMetricsOptions = {}) {
    this.#remember = options.rememberJobs ?? 100_000;
    this.#target = options.target;
  }

  /** Adds one to a counter. */
  increment(name: MetricName, by = 1): void {
    this.#counts.set(name, (this.#counts.get(name) ?? 0) + by);
  }

  /**
   * Records a job's terminal state; returns false (and counts nothing) when
   * this job id already had this terminal state counted.
   */
  terminal(jobId: string, state: TerminalState): boolean {
    const key = `${jobId}\u0000${state}`;
    if (this.#seen.has(key)) return false;
    this.#seen.set(key, true);
    if (this.#seen.size > this.#remember) {
      const oldest = this.#seen.keys().next().value;
      if (oldest !== undefined) this.#seen.delete(oldest);
    }
    this.increment(
      state === "completed"
        ? "jobs_completed_total"
        : state === "failed"
        ? "jobs_failed_total"
        : "jobs_cancelled_total",
    );
    return true;
  }

  /** Sets a counter to a value observed elsewhere (e.g. counted by the engine). */
  set(name: MetricName, value: number): void {
    this.#counts.set(name, value);
  }

  /** The current value of a counter. */
  value(name: MetricName): number {
    return this.#counts.get(name) ?? 0;
  }

  /** One `metric=<name> value=<n> [target=<targets>] ts=<rfc3339>` line per counter. */
  lines(now: Date = new Date()): string[] {
    const ts = now.toISOString();
    const target = this.#target;
    return METRIC_NAMES.map((name) =>
      encodeLine({ metric: name, value: this.value(name), target, ts })
    );
  }
}
