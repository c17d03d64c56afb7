import { Command } from "@commander-js/extra-typings";
import type { Globals, Io, RunState } from "./_io.ts";
import { durationArg } from "./_flags.ts";
import { idempotentCheckOf } from "./_idempotent.ts";
import { withContextOf } from "./_with_context.ts";

/** `win-automation windows exec`: run PowerShell on Windows over SSH. */
export function windowsCommand(
  io: Io,
  state: RunState,
  globals: Globals,
) {
  const withContext = withContextOf(io, state, globals);
  const windows = new Command("windows").description(
    "run commands on the Windows host over SSH",
  );
  windows.command("exec")
    .description(
      "run a PowerShell command on Windows; exit 1 when it exits non-zero",
    )
    .argument("<command...>", "the PowerShell command (put it after --)")
    .option("--raw", "print the command's stdout only, with no structured logs")
    .option(
      "--timeout <dur>",
      "time limit (default: config timeout)",
      durationArg(),
    )
    .option(
      "--idempotent",
      "run --idempotent-check first and skip when it exits 0",
    )
    .option(
      "--idempotent-check <ps>",
      "PowerShell that exits 0 when the work is already done",
    )
    .action(async (words, opts) => {
      const check = idempotentCheckOf(opts);
      await withContext({ op: "windows.exec", raw: opts.raw }, async (ctx) => {
        const { putExecOutput } = await import("../lib/artifacts/mod.ts");
        const { windowsExec } = await import("../lib/windows/mod.ts");
        const log = ctx.logger.scope("ssh", "windows.exec");
        const started = performance.now();
        const run = await ctx.record(async (art) => {
          const result = await windowsExec(ctx.ssh(), words.join(" "), {
            timeoutMs: opts.timeout ?? ctx.config.limits.commandMs,
            logger: ctx.logger,
            runId: art.jobId,
          });
          await putExecOutput(art, result);
          return result;
        }, {
          check,
          stateOf: (r) => r.exitCode === 0 ? "completed" : "failed",
        });
        if (run.state === "skipped") {
          log.info("idempotent check passed; skipped", { state: "skipped" });
          if (!opts.raw) ctx.out.emit({ state: "skipped" });
          return;
        }
        const { value: result, art } = run;
        const ok = result.exitCode === 0;
        const fields = {
          state: ok ? "completed" : "failed",
          exit_code: result.exitCode,
          job_id: art.jobId,
          artifact_root: art.root,
          duration_ms: Math.round(performance.now() - started),
          truncated: result.truncated || undefined,
        };
        if (result.truncated) log.warn("stdout truncated", { truncated: true });
        if (ok) log.info("command finished", fields);
        else log.error("command exited non-zero", fields);
        if (opts.raw) {
          io.stdoutRaw(result.stdout);
          if (result.stderr) io.stderrRaw(result.stderr);
        } else {
          ctx.out.emit({
            ...fields,
            stdout: result.stdout.replace(/\r?\n$/, ""),
            stderr: result.stderr.replace(/\r?\n$/, ""),
          });
        }
        if (!ok) state.exitCode = 1;
      });
    });
  return windows;
}
