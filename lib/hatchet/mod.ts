/**
 * Durable jobs on Hatchet: the worker, its tasks and the job operations. The
 * SDK itself is loaded only when a command needs it.
 * @module
 */
export { connectHatchet, loadSdk } from "./client.ts";
export { hatchetError, isUnreachable } from "./errors.ts";
export { hatchetHealth } from "./health.ts";
export type { HatchetHealth } from "./health.ts";
export { JOB_TYPES } from "./inputs.ts";
export {
  JOB_INPUT_SCHEMAS,
  JobInputError,
  parseJobInput,
} from "./input_schemas.ts";
export type {
  AlohaRunInput,
  CommonInput,
  JobInputs,
  JobType,
  PlaywrightRunInput,
  WindowsExecInput,
} from "./inputs.ts";
export { checkJobId, JobOps } from "./jobs.ts";
export type { EnqueueResult, JobStatus } from "./jobs.ts";
export { jobStateOf, TERMINAL_STATES } from "./states.ts";
export type { JobState } from "./states.ts";
export { IDEMPOTENCY_TTL_MS, taskOptions } from "./tasks.ts";
export { runWorker } from "./worker.ts";
export type { WorkerOptions } from "./worker.ts";
