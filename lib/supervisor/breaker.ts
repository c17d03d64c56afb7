/** The states of a circuit breaker, as logged (`circuit_breaker=<state>`). */
export type BreakerState = "closed" | "open" | "half_open";

/** Options for {@linkcode CircuitBreaker}. */
export interface BreakerOptions {
  /** Consecutive failures that open the breaker. @default 3 */
  threshold?: number;
  /** How long it stays open before one trial is allowed, in ms. @default 60_000 */
  openMs?: number;
  /** The clock, in ms. @default Date.now */
  now?: () => number;
}

/**
 * A circuit breaker for one endpoint: closed until `threshold` consecutive
 * failures, then open for `openMs` (no attempts), then half open: one trial,
 * which closes it on success and opens it again on failure.
 */
export class CircuitBreaker {
  #threshold: number;
  #openMs: number;
  #now: () => number;
  #failures = 0;
  #openedAt: number | null = null;

  constructor(options: BreakerOptions = {}) {
    const { threshold = 3, openMs = 60_000, now = Date.now } = options;
    if (!Number.isInteger(threshold) || threshold < 1) {
      throw new RangeError(
        `threshold must be a positive integer: ${threshold}`,
      );
    }
    if (!(openMs >= 0)) throw new RangeError(`openMs must be >= 0: ${openMs}`);
    this.#threshold = threshold;
    this.#openMs = openMs;
    this.#now = now;
  }

  /** The state now: open turns half open once `openMs` has passed. */
  get state(): BreakerState {
    if (this.#openedAt === null) return "closed";
    return this.#now() - this.#openedAt >= this.#openMs ? "half_open" : "open";
  }

  /** Consecutive failures so far. */
  get failures(): number {
    return this.#failures;
  }

  /** Whether an attempt may be made now (closed, or half open for its trial). */
  get allows(): boolean {
    return this.state !== "open";
  }

  /** Records a successful attempt: closes the breaker. */
  success(): void {
    this.#failures = 0;
    this.#openedAt = null;
  }

  /** Records a failed attempt: opens at the threshold, or after a failed trial. */
  failure(): void {
    const trial = this.state === "half_open";
    this.#failures++;
    if (trial || this.#failures >= this.#threshold) {
      this.#openedAt = this.#now();
    }
  }
}
