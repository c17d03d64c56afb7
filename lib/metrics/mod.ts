/**
 * Worker metrics: in-memory job counters printed as key=value lines.
 * @module
 */
export { JobMetrics, METRIC_NAMES } from "./metrics.ts";
export type {
  JobMetricsOptions,
  MetricName,
  TerminalState,
} from "./metrics.ts";
export { writeMetricsFile } from "./write.ts";
