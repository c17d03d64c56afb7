/**
 * ShowUI-Aloha: its HTTP contract and runs that wait for completion.
 * @module
 */
export { AlohaClient, SERVER_HEALTH_TEXT } from "./client.ts";
export type { AlohaClientOptions, RunTaskInput } from "./client.ts";
export {
  COMPLETION_MARKER,
  requireCompletionEvidence,
  runAlohaTask,
} from "./run.ts";
export type { AlohaRunResult, RunAlohaOptions } from "./run.ts";
export { installAlohaTasks } from "./install.ts";
export type { InstallAlohaOptions, InstallAlohaResult } from "./install.ts";
