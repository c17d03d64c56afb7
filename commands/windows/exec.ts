import type { Parsed } from "../../lib/cli/mod.ts";
import { UsageError } from "../../lib/errors/mod.ts";
import type { Cx } from "../_io.ts";
import type { RebootResult } from "../../lib/windows/mod.ts";
import type { execFlags } from "./mod.ts";
import { idempotentCheckOf } from "../_idempotent.ts";
import { withContextOf } from "../_with_context.ts";
import { followPrinter, printRunResult } from "./_print.ts";
import { recordedExec } from "./_recorded_exec.ts";
import { checkExecFanOut, execFanOut } from "./_fan_out.ts";

/**
 * `win-automation windows exec`: run PowerShell on Windows as a run that
 * belongs to Windows (started once, followed, re-attached after a dropped
 * connection).
 */
export default async function windowsExecCommand(
  { io, state, globals }: Cx,
  opts: Parsed<typeof execFlags>,
  words: string[],
): Promise<void> {
  const withContext = withContextOf(io, state, globals);
  if (opts.targets !== undefined) {
    return await execFanOut({ io, state, globals }, opts, words);
  }
  checkExecFanOut(opts);
  const check = idempotentCheckOf(opts);
  const clash = opts.follow
    ? "--follow"
    : opts.rebootIfRequired
    ? "--reboot-if-required"
    : check !== undefined
    ? "--idempotent"
    : opts.timeout !== undefined
    ? "--timeout (a detached run has no time limit; attach --timeout bounds a wait)"
    : undefined;
  if (opts.detach && clash) {
    throw new UsageError(
      `usage error: --detach cannot be combined with ${clash}`,
    );
  }
  await withContext({ op: "windows.exec", raw: opts.raw }, async (ctx) => {
    const windows = await import("../../lib/windows/mod.ts");
    const log = ctx.logger.scope("ssh", "windows.exec");
    const command = words.join(" ");
    const timeoutMs = opts.timeout ?? ctx.config.limits.commandMs;
    if (opts.detach) {
      const { newJobId } = await import("../../lib/ids/mod.ts");
      const runId = newJobId();
      const started = await windows.startRun(ctx.ssh(), command, {
        runId,
        timeoutMs: windows.START_MS,
        logger: ctx.logger,
      });
      log.info("run started; detached", { run_id: runId, state: started });
      if (opts.raw) io.stdoutRaw(`run_id=${runId} state=running\n`);
      else ctx.out.emit({ run_id: runId, state: "running" });
      return;
    }
    const started = performance.now();
    const onLine = opts.follow ? followPrinter(io, ctx, opts.raw) : undefined;
    // The boot time before the command, for a restart it starts itself (1641).
    const bootBefore = opts.rebootIfRequired
      ? (await windows.remoteVersion(ctx.ssh(), {
        timeoutMs: ctx.config.limits.stepMs,
      })).last_boot
      : undefined;
    let reboot: RebootResult | undefined;
    const run = await recordedExec(ctx, {
      command,
      timeoutMs,
      onLine,
      check,
      after: async (result) => {
        if (
          bootBefore === undefined ||
          !windows.REBOOT_EXIT_CODES.includes(result.exitCode)
        ) return false;
        log.info("the command asks for a restart; restarting Windows", {
          exit_code: result.exitCode,
          run_id: result.runId,
        });
        reboot = await windows.rebootForExit(ctx.ssh(), {
          exitCode: result.exitCode,
          bootBefore,
          requestId: result.runId,
          timeoutMs: ctx.config.limits.rebootMs,
          requestTimeoutMs: ctx.config.limits.stepMs,
          logger: ctx.logger,
        });
        return true;
      },
    });
    if (run.state === "skipped") {
      log.info("idempotent check passed; skipped", { state: "skipped" });
      if (!opts.raw) ctx.out.emit({ state: "skipped" });
      return;
    }
    const { value: { result }, art } = run;
    printRunResult(io, ctx, state, result, {
      op: "windows.exec",
      raw: opts.raw,
      follow: opts.follow,
      reboot,
      fields: {
        job_id: art.jobId,
        artifact_root: art.root,
        duration_ms: Math.round(performance.now() - started),
      },
    });
  });
}
