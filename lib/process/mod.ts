/**
 * Running local programs (ssh, scp) behind a narrow, fakeable interface, each
 * with a minimal environment of its own.
 * @module
 */
export { runProcess } from "./run.ts";
export type { ProcessRunner, RunOptions, RunResult } from "./run.ts";
export { CHILD_ENV_NAMES, childEnv } from "./child_env.ts";
export { scrubDebugEnv } from "./debug_env.ts";
export type { DebugEnvResult, EnvAccess } from "./debug_env.ts";
