import { Command } from "@commander-js/extra-typings";
import type { Globals, Io, RunState } from "./_io.ts";
import { durationArg } from "./_flags.ts";
import { idempotentCheckOf } from "./_idempotent.ts";

/** `win-automation windows exec`: run PowerShell on Windows over SSH. */
export function windowsCommand(
  io: Io,
  state: RunState,
  globals: Globals,
) {
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
      const { createContext } = await import("./_context.ts");
      const { idempotencyGate, windowsExec } = await import(
        "../lib/windows/mod.ts"
      );
      const ctx = await createContext(io, state, {
        op: "windows.exec",
        configPath: globals().config,
        raw: opts.raw,
      });
      const timeoutMs = opts.timeout ?? ctx.config.timeoutMs;
      const command = words.join(" ");
      const ssh = ctx.ssh();
      const log = ctx.logger;
      if (check !== undefined) {
        const decision = await idempotencyGate(ssh, check, {
          timeoutMs,
          requireUnlocked: true,
        });
        if (decision === "skip") {
          log.info("ssh", "windows.exec", "idempotent check passed; skipped", {
            state: "skipped",
          });
          if (!opts.raw) ctx.emit({ state: "skipped" });
          return;
        }
      }
      const { beginDirectJob, endDirectJob } = await import("./_artifacts.ts");
      const { putExecOutput } = await import("../lib/artifacts/mod.ts");
      const art = await beginDirectJob(ctx);
      const started = performance.now();
      let result;
      try {
        result = await windowsExec(ssh, command, {
          timeoutMs,
          logger: log,
          runId: art.jobId,
        });
        await putExecOutput(art, result);
      } finally {
        const terminal = result?.exitCode === 0 ? "completed" : "failed";
        await endDirectJob(ctx, art, terminal, () => state.exitCode = 1);
      }
      const durationMs = Math.round(performance.now() - started);
      const ok = result.exitCode === 0;
      const fields = {
        state: ok ? "completed" : "failed",
        exit_code: result.exitCode,
        job_id: art.jobId,
        artifact_root: art.root,
        duration_ms: durationMs,
        truncated: result.truncated || undefined,
      };
      if (result.truncated) {
        log.warn("ssh", "windows.exec", "stdout truncated", {
          truncated: true,
        });
      }
      if (ok) log.info("ssh", "windows.exec", "command finished", fields);
      else {log.error(
          "ssh",
          "windows.exec",
          "command exited non-zero",
          undefined,
          fields,
        );}
      if (opts.raw) {
        io.stdoutRaw(result.stdout);
        if (result.stderr) io.stderrRaw(result.stderr);
      } else {
        ctx.emit({
          ...fields,
          stdout: result.stdout.replace(/\r?\n$/, ""),
          stderr: result.stderr.replace(/\r?\n$/, ""),
        });
      }
      if (!ok) state.exitCode = 1;
    });
  return windows;
}
