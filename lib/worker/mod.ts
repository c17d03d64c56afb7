/**
 * The Hatchet worker: it declares the job tasks, runs each job as a recorded
 * run (lib/artifacts) with Hatchet's retry decision and metrics, and drains
 * on shutdown. Orchestration level: the light client is lib/hatchet.
 * @module
 */
export { runWorker } from "./worker.ts";
export type { WorkerOptions } from "./worker.ts";
export { createHandlers } from "./handlers.ts";
export type { HandlerDeps } from "./handlers.ts";
export { declareTasks, jobContextOf } from "./tasks.ts";
export type {
  JobContext,
  JobHandler,
  JobHandlers,
  SdkTaskContext,
} from "./tasks.ts";
export {
  jobLines,
  jobLinesOf,
  MAX_ENTRY_CHARS,
  MAX_JOB_LINES,
} from "./job_lines.ts";
export type { JobLines, LineMeta, LineStream, SendLine } from "./job_lines.ts";
export { DesktopLock } from "./desktop_lock.ts";
export { routedHandlers, targetOfInput } from "./routed.ts";
export type { RoutedOptions } from "./routed.ts";
export { retryDecision } from "./job.ts";
