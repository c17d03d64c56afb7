/**
 * The lab's own pieces: its directory, ports and environment, its files and
 * wrappers, sshd, the test pages and the Playwright server.
 * @module
 */
export { ensureFiles } from "./files.ts";
export {
  checkHostCount,
  computerName,
  extraHosts,
  FIRST_HOST,
  fleetConfig,
  fleetConfigPath,
  fleetEnv,
  hostCountPath,
  hostDir,
  hostEnv,
  hostName,
  hostNames,
  hostPaths,
  hostPorts,
  LAB_GROUP,
  MAX_HOSTS,
  savedHostCount,
} from "./hosts.ts";
export { pagesPid, startPages, stopPages } from "./pages.ts";
export {
  ALOHA_LOGS,
  alohaStartCommand,
  type Component,
  COMPONENTS,
  envExports,
  labDir,
  type LabEnv,
  labEnv,
  type LabPaths,
  labPaths,
  type LabPorts,
  labPorts,
  labUser,
  repoRoot,
} from "./paths.ts";
export {
  type ExtraServer,
  PLAYWRIGHT_VERSION,
  playwrightPid,
  startExtraServer,
  startPlaywright,
  stopPlaywright,
} from "./playwright.ts";
export {
  closeControlMasters,
  runOverSsh,
  sshArgs,
  sshdPid,
  sshOptionsFromEnv,
  startSshd,
  stopSshd,
} from "./sshd.ts";
