/**
 * The system ssh/scp: host keys checked, multiplexed, retried on connection
 * failures only.
 * @module
 */
export { SshClient } from "./client.ts";
export type { SshClientOptions, SshRunOptions } from "./client.ts";
export { classifySshResult } from "./classify.ts";
export type { SshFailure } from "./classify.ts";
export { knownHostsPath, sshOptions } from "./options.ts";
export type { SshTarget } from "./options.ts";
