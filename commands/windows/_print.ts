import type { AppContext } from "../_context.ts";
import type { Io, RunState } from "../_io.ts";
import type {
  ExecResult,
  OnLine,
  RebootResult,
} from "../../lib/windows/mod.ts";

/**
 * What `--follow` prints for each line as it arrives: with `--raw` the line
 * itself on stdout or stderr, else a payload line `stream=<s> line=<text>`.
 */
export function followPrinter(io: Io, ctx: AppContext, raw?: boolean): OnLine {
  return (stream, line) => {
    if (raw) {
      if (stream === "stdout") io.stdoutRaw(`${line}\n`);
      else io.stderrRaw(`${line}\n`);
    } else {
      ctx.out.emit({ stream, line });
    }
  };
}

/** Options of {@linkcode printRunResult}. */
export interface PrintOptions {
  /** The op of the log lines. */
  op: "windows.exec" | "windows.attach";
  /** `--raw`: the output only. */
  raw?: boolean;
  /** `--follow`: the lines were printed already. */
  follow?: boolean;
  /** Fields the result line adds (job id, artifact root, duration). */
  fields?: Record<string, string | number | undefined>;
  /**
   * The restart `--reboot-if-required` carried out after exit 3010 or 1641:
   * the run then counts as completed, with `reboot=true`.
   */
  reboot?: RebootResult;
}

/**
 * Prints a run's result as `windows exec` does: `--raw` its stdout (and
 * stderr on stderr) unless already followed, else one result line
 * (`state`, `exit_code`, `run_id`, ..., `stdout`, `stderr`; no `stdout`/
 * `stderr` after `--follow`); a non-zero exit code makes the exit code 1,
 * unless it asked for a restart that `--reboot-if-required` carried out.
 */
export function printRunResult(
  io: Io,
  ctx: AppContext,
  state: RunState,
  result: ExecResult,
  options: PrintOptions,
): void {
  const { op, raw, follow, fields: extra = {}, reboot } = options;
  const log = ctx.logger.scope("ssh", op);
  const ok = result.exitCode === 0 || reboot?.state === "completed";
  const fields = {
    state: ok ? "completed" : "failed",
    exit_code: result.exitCode,
    run_id: result.runId,
    reboot: reboot ? true : undefined,
    last_boot: reboot?.lastBoot,
    previous_boot: reboot?.previousBoot,
    ...extra,
    reattached: result.reattached || undefined,
    truncated: result.truncated || undefined,
  };
  if (result.truncated) log.warn("stdout truncated", { truncated: true });
  if (ok) log.info("command finished", fields);
  else log.error("command exited non-zero", fields);
  if (raw) {
    if (!follow) {
      io.stdoutRaw(result.stdout);
      if (result.stderr) io.stderrRaw(result.stderr);
    }
  } else if (follow) {
    ctx.out.emit(fields);
  } else {
    ctx.out.emit({
      ...fields,
      stdout: result.stdout.replace(/\r?\n$/, ""),
      stderr: result.stderr.replace(/\r?\n$/, ""),
    });
  }
  if (!ok) state.exitCode = 1;
}
