import type { Parsed } from "../lib/cli/mod.ts";
import type { Cx } from "./_io.ts";

/** `win-automation doctor`: one key=value line per check on stdout. */
export default async function doctorCommand(
  { io, state, globals }: Cx,
  _opts: Parsed<Record<never, never>>,
  _words: string[],
): Promise<void> {
  const { createContext } = await import("./_context.ts");
  const { runDoctor, worstExitCode } = await import("../lib/doctor/mod.ts");
  const ctx = await createContext(io, state, {
    op: "doctor",
    configPath: globals().config,
  });
  const results = await runDoctor({
    config: ctx.config,
    ssh: ctx.ssh(),
    aloha: ctx.aloha(),
    onResult: (r) =>
      ctx.emit({
        ts: new Date().toISOString(),
        level: r.state === "ok"
          ? "info"
          : r.state === "warn"
          ? "warn"
          : "error",
        component: r.component,
        op: "doctor",
        msg: r.msg,
        trace_id: ctx.traceId,
        check: r.check,
        state: r.state,
        duration_ms: r.durationMs,
        ...r.fields,
        err: r.err,
        fix: r.fix,
      }),
  });
  state.exitCode = worstExitCode(results);
}
