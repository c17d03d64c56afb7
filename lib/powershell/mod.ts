/**
 * The PowerShell this tool sends to Windows: one fixed bootstrap in argv; the
 * script and, separately, its data over stdin; the answer framed by a nonce
 * with an in-band exit code; CLIXML and OEM output decoded.
 * @module
 */
export {
  buildRequest,
  bytesToBase64,
  encodeUtf16leBase64,
  REMOTE_COMMAND,
  SCRIPT_HEADER_PREFIX,
  SCRIPT_VERSION,
  scriptText,
} from "./envelope.ts";
export type { BuildRequestOptions, ScriptRequest } from "./envelope.ts";
export { parseReply } from "./reply.ts";
export type { ParseReplyOptions, RawReply, ScriptReply } from "./reply.ts";
export { decodeClixml } from "./clixml.ts";
export { decodeOem, decodeWindowsText } from "./oem.ts";
export type { OemCodePage } from "./oem.ts";
export { BOOTSTRAP } from "./_bootstrap.ts";
export { ROOT_GUARD, RUNNER, SCRIPT_BODIES, TASK_NAMES } from "./scripts.ts";
export {
  PLAYWRIGHT_DIR,
  REBOOT_DIR,
  RUN_DIR,
  scpPath,
  WINDOWS_ARTIFACT_DIR,
  WINDOWS_ROOT,
} from "./paths.ts";
export type { ScriptInputs, ScriptKind } from "./scripts.ts";
