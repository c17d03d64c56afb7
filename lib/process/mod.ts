/**
 * Running local programs (ssh, scp) behind a narrow, fakeable interface.
 * @module
 */
export { runProcess } from "./run.ts";
export type { ProcessRunner, RunOptions, RunResult } from "./run.ts";
