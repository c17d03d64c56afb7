/**
 * The Linux host the lab runs on, which is real: JSON state files (atomic,
 * locked), process and socket facts from /proc, programs run to their end and
 * programs started detached.
 * @module
 */
export { appendJsonLine, readJson, withLock, writeJson } from "./json_file.ts";
export {
  cmdline,
  descendants,
  isAlive,
  leadsGroup,
  listeningPorts,
  pidFromFile,
  processStartTime,
  signal,
  terminate,
  waitUntil,
  waitUntilAsync,
} from "./proc.ts";
export { runText } from "./run.ts";
export { spawnDetached } from "./spawn_detached.ts";
