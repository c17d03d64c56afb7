import type { AppContext } from "../_context.ts";
import type { JobArtifacts, RunOutcome } from "../../lib/artifacts/mod.ts";
import type { ExecResult, OnLine } from "../../lib/windows/mod.ts";

/** Options of {@linkcode recordedExec}. */
export interface RecordedExecOptions {
  /** The PowerShell command. */
  command: string;
  /** The run's whole time limit in ms. */
  timeoutMs: number;
  /** The target (a fan-out's); else the chosen one. @default undefined */
  target?: string;
  /** Receives each output line (`--follow`). @default undefined */
  onLine?: OnLine;
  /** The idempotent check. @default undefined */
  check?: string;
  /** Told the artifact root once it is open (its job id is the run id). @default undefined */
  onRoot?: (art: JobArtifacts) => void;
  /**
   * Runs after the command, inside the recorded run; true when the run
   * counts as completed whatever its exit code (a restart carried out for
   * 3010/1641). @default undefined
   */
  after?: (result: ExecResult) => Promise<boolean>;
}

/** A recorded exec's value: the run's result, and whether `after` accepted it. */
export interface RecordedExec {
  result: ExecResult;
  accepted: boolean;
}

/**
 * One `windows exec` run, the same for one target and for each target of a
 * fan-out: a recorded run (artifact root, gate, manifest, mirror) whose job
 * id is the run id on Windows, the command started once and followed
 * (re-attached after a drop, never started again), its output kept as
 * `ssh/stdout.txt`, `ssh/stderr.txt` and `ssh/exit_code.txt`.
 */
export async function recordedExec(
  ctx: AppContext,
  options: RecordedExecOptions,
): Promise<RunOutcome<RecordedExec>> {
  const { command, timeoutMs, target, onLine, check, onRoot, after } = options;
  const windows = await import("../../lib/windows/mod.ts");
  const { putExecOutput } = await import("../../lib/artifacts/mod.ts");
  const ssh = target === undefined ? ctx.ssh() : ctx.forTarget(target).ssh();
  return await ctx.record(async (art) => {
    onRoot?.(art);
    const result = await windows.windowsExec(ssh, command, {
      timeoutMs,
      logger: ctx.logger,
      runId: art.jobId,
      onLine,
    });
    await putExecOutput(art, result);
    return { result, accepted: after ? await after(result) : false };
  }, {
    check,
    target,
    stateOf: (r) =>
      r.result.exitCode === 0 || r.accepted ? "completed" : "failed",
  });
}
