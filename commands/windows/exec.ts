import type { Parsed } from "../../lib/cli/mod.ts";
import type { Cx } from "../_io.ts";
import type { execFlags } from "./mod.ts";
import { idempotentCheckOf } from "../_idempotent.ts";
import { withContextOf } from "../_with_context.ts";

/** `win-automation windows exec`: run PowerShell on Windows over SSH. */
export default async function windowsExecCommand(
  { io, state, globals }: Cx,
  opts: Parsed<typeof execFlags>,
  words: string[],
): Promise<void> {
  const withContext = withContextOf(io, state, globals);
  const check = idempotentCheckOf(opts);
  await withContext({ op: "windows.exec", raw: opts.raw }, async (ctx) => {
    const { putExecOutput } = await import("../../lib/artifacts/mod.ts");
    const { windowsExec } = await import("../../lib/windows/mod.ts");
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
}
