import {
  capTextForJson,
  MAX_OUTPUT_BYTES,
  type WindowsExecOutput,
} from "../hatchet/mod.ts";
import type { Redactor } from "../redact/mod.ts";

/** What a finished command left (lib/windows' ExecResult). */
export interface CommandResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  /** Whether stdout was already capped while it was read. */
  truncated: boolean;
}

/**
 * A completed `windows.exec` job's output for the engine: each stream
 * redacted first, then cut at `maxBytes` UTF-8 bytes (so no secret is cut
 * in half out of the redactor's sight; further when its JSON form would be
 * too big for the engine), with its flag; `truncated` stays
 * for compatibility and equals `stdout_truncated`.
 */
export function execOutput(
  result: CommandResult,
  options: { redactor: Redactor; maxBytes?: number },
): WindowsExecOutput {
  const { redactor, maxBytes = MAX_OUTPUT_BYTES } = options;
  const stdout = capTextForJson(redactor.redact(result.stdout), maxBytes);
  const stderr = capTextForJson(redactor.redact(result.stderr), maxBytes);
  const stdoutCut = stdout.truncated || result.truncated;
  return {
    state: "completed",
    exit_code: result.exitCode,
    stdout: stdout.text,
    stderr: stderr.text,
    stdout_truncated: stdoutCut,
    stderr_truncated: stderr.truncated,
    truncated: stdoutCut,
  };
}
