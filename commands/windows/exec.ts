import type { Parsed } from "../../lib/cli/mod.ts";
import type { Cx } from "../_io.ts";
import type { execFlags } from "./mod.ts";
import { idempotentCheckOf } from "../_idempotent.ts";

/** `win-automation windows exec`: run PowerShell on Windows over SSH. */
export default async function windowsExecCommand(
  { io, state, globals }: Cx,
  opts: Parsed<typeof execFlags>,
  words: string[],
): Promise<void> {
  const check = idempotentCheckOf(opts);
  const { createContext } = await import("../_context.ts");
  const { idempotencyGate, windowsExec } = await import(
    "../../lib/windows/mod.ts"
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
  const { beginDirectJob, endDirectJob } = await import("../_artifacts.ts");
  const { putExecOutput } = await import("../../lib/artifacts/mod.ts");
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
}
