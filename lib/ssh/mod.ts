/**
 * The system ssh/scp: host keys checked, multiplexed, retried on connection
 * failures only.
 * @module
 */
export { isConnectionLoss, SshClient } from "./client.ts";
export type { SshClientOptions, SshRunOptions } from "./client.ts";
export { classifySshResult } from "./classify.ts";
export { forwardDir, forwardSocketPath, forwardSpec } from "./forward.ts";
export type { ForwardOptions, LocalForward, Tunnel } from "./forward.ts";
export type { SshFailure } from "./classify.ts";
export {
  controlPathProblem,
  ensureStateDirs,
  knownHostsPath,
  sshOptions,
  UNIX_SOCKET_PATH_MAX,
} from "./options.ts";
export {
  HOST_KEY_TYPES,
  hostKeyProblem,
  knownHostsName,
  parseHostKey,
  pinnedKnownHosts,
} from "./host_key.ts";
export type { HostKey } from "./host_key.ts";
export type { SshTarget } from "./options.ts";
export { resolveProgram } from "./program.ts";
export type { ProgramFs, ResolveProgramOptions } from "./program.ts";
