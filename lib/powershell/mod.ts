/**
 * The PowerShell this tool sends to Windows: one fixed bootstrap in argv, the
 * script itself (with its input as JSON) over stdin.
 * @module
 */
export {
  buildScript,
  bytesToBase64,
  encodeStdin,
  encodeUtf16leBase64,
  REMOTE_COMMAND,
  SCRIPT_HEADER_PREFIX,
} from "./envelope.ts";
export { BOOTSTRAP } from "./_bootstrap.ts";
export { PLAYWRIGHT_DIR } from "./scripts.ts";
export type { ScriptInputs, ScriptKind } from "./scripts.ts";
