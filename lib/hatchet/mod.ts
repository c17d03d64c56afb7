/**
 * Hatchet as a light client: connecting, health, the job types with their
 * input schemas, the options tasks are declared with, and the job operations
 * (enqueue, status, watch, cancel, list), fleet routing and cordons, and
 * batches (the parent task's input, how it starts children, a batch's
 * status). The worker that runs jobs is
 * `lib/worker`. The SDK itself is loaded only when a command needs it.
 * @module
 */
export { connectHatchet, loadSdk } from "./client.ts";
export { hatchetError, isUnreachable } from "./errors.ts";
export { hatchetHealth } from "./health.ts";
export type { HatchetHealth } from "./health.ts";
export { JOB_TYPES } from "./inputs.ts";
export { exitCodeOf, exitMessage } from "./exit_message.ts";
export {
  capText,
  capTextForJson,
  MAX_OUTPUT_BYTES,
  MAX_OUTPUT_JSON_BYTES,
  outputOfLines,
} from "./job_output.ts";
export type { CappedText, LogOutput } from "./job_output.ts";
export { hatchetResultApi, jobResultOf, readJobResult } from "./job_result.ts";
export type { JobResult, ResultApi } from "./job_result.ts";
export {
  JOB_INPUT_SCHEMAS,
  JobInputError,
  parseJobInput,
} from "./input_schemas.ts";
export type {
  AlohaRunInput,
  AlohaRunOutput,
  CommonInput,
  CommonOutput,
  JobInputs,
  JobType,
  PlaywrightRunInput,
  PlaywrightRunOutput,
  WindowsExecInput,
  WindowsExecOutput,
  WindowsRebootInput,
  WindowsRebootOutput,
} from "./inputs.ts";
export {
  batchRunOptions,
  checkJobId,
  childRunOptions,
  JobOps,
  runOptionsOf,
  startChild,
  undeliverableReason,
} from "./jobs.ts";
export type { SpawnContext } from "./jobs.ts";
export {
  BATCH_TASK,
  BATCH_TYPES,
  childKey,
  childOutcome,
  isBatchError,
} from "./batch.ts";
export type {
  BatchChild,
  BatchInput,
  BatchOutput,
  ChildView,
} from "./batch.ts";
export { batchStatus } from "./batch_status.ts";
export type { BatchStatus, BatchTarget } from "./batch_status.ts";
export { jobRowOf, listJobs, metadataPairs, outcomeOfRow } from "./list.ts";
export type { JobRow, ListFilter } from "./list.ts";
export { jobInputOf, jobTimeoutProblem } from "./job_input.ts";
export type { JobRequest } from "./job_input.ts";
export type { EnqueueResult, JobStatus } from "./jobs.ts";
export { jobStateOf, TERMINAL_STATES } from "./states.ts";
export type { JobState } from "./states.ts";
export { IDEMPOTENCY_TTL_MS, taskOptions } from "./task_options.ts";
export {
  CORDONED_VALUE,
  DEFAULT_TARGET,
  routeTo,
  SERVING_VALUE,
  targetLabel,
  workerLabels,
} from "./routing.ts";
export {
  cordonState,
  cordonWitnesses,
  hatchetCordonApi,
  setCordon,
  startCordons,
} from "./cordon.ts";
export type {
  CordonApi,
  CordonResult,
  CordonState,
  SetCordonOptions,
} from "./cordon.ts";
export type { DesiredLabels } from "./routing.ts";
export { followJobLog, hatchetLogApi, JobLogReader, LOG_PAGE } from "./logs.ts";
export type { FollowOptions, JobLogLine, LogApi, RawLogLine } from "./logs.ts";
export {
  listWorkers,
  TARGET_LABEL_PREFIX,
  VERSION_LABEL,
  workerInfoOf,
  workersServing,
} from "./workers.ts";
export type { WorkerInfo, WorkerRow } from "./workers.ts";
