/**
 * Playwright in Windows: the embedded server assets and their install, and
 * the Linux client (health, runs) on playwright-core, which is loaded only
 * when a command needs it.
 * @module
 */
export { PLAYWRIGHT_ASSETS } from "./assets.ts";
export {
  CLIENT_VERSION,
  connectError,
  connectPlaywright,
  majorMinor,
} from "./connect.ts";
export type { ConnectOptions } from "./connect.ts";
export {
  checkWsPath,
  type PlaywrightTarget,
  scrubMessage,
  serverAddress,
  targetOf,
  wsEndpoint,
} from "./endpoint.ts";
export { playwrightHealth } from "./health.ts";
export type { PlaywrightHealth } from "./health.ts";
export {
  checkBindOptions,
  FIXES,
  installPlaywright,
  nodeFix,
} from "./install.ts";
export type { InstallOptions, PlaywrightPrereq } from "./install.ts";
export { runPageJob } from "./job.ts";
export { pageUrlProblem } from "../page_url/mod.ts";
export type { PageUrlOptions } from "../page_url/mod.ts";
export type { PageJob, PageJobConfig } from "./job.ts";
export { ARTIFACT_FILES, runPlaywright } from "./run.ts";
export type { ArtifactKind, RunOptions, RunResult } from "./run.ts";
export { serverBinding } from "./binding.ts";
export type { ServerBinding } from "./binding.ts";
