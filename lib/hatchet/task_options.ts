import type { ResolvedConfig } from "../config/mod.ts";
import { DEFAULT_TARGET, routeTo } from "./routing.ts";

/** How long an idempotency key holds its run: 24 hours. */
export const IDEMPOTENCY_TTL_MS = 24 * 3_600_000;

/**
 * The options every job task is declared with: the configured execution
 * timeout, retries and backoff, and the engine's idempotency key on the
 * input, how long a run may wait for a worker (`hatchet.schedule_timeout`),
 * and the desired label `target.default` (required): a run enqueued without
 * labels of its own reaches only workers serving `default`. (The worker declares its tasks with these, and the jobs benchmark
 * its no-op task.)
 */
export function taskOptions(config: ResolvedConfig) {
  const h = config.hatchet;
  return {
    executionTimeout: `${Math.ceil(h.jobTimeoutMs / 1000)}s` as `${number}s`,
    retries: h.retryMax,
    backoff: {
      factor: 2,
      maxSeconds: Math.max(1, Math.round(h.retryBackoffMs / 1000)),
    },
    scheduleTimeout: `${
      Math.max(1, Math.ceil(h.scheduleTimeoutMs / 1000))
    }s` as `${number}s`,
    desiredWorkerLabels: routeTo(DEFAULT_TARGET),
    idempotency: {
      strategy: "ttl" as const,
      expression: "input.idempotency_key",
      ttlMs: IDEMPOTENCY_TTL_MS,
    },
  };
}
