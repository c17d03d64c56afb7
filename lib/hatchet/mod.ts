/**
 * Hatchet as a light client: connecting, health, the job types with their
 * input schemas, the options tasks are declared with, and the job operations
 * (enqueue, status, watch, cancel), fleet routing and cordons. The worker that runs jobs is
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
  checkJobId,
  JobOps,
  runOptionsOf,
  undeliverableReason,
} from "./jobs.ts";
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
