/**
 * Identifiers: job ids (Hatchet run ids, UUIDs), trace ids and the Windows
 * run id of each attempt. Base level: imports nothing.
 * @module
 */
export {
  isJobId,
  isTraceId,
  newJobId,
  newTraceId,
  TRACE_ID_PATTERN,
  UUID_PATTERN,
} from "./ids.ts";
