import type { Parsed } from "../lib/cli/mod.ts";
import type { Cx } from "./_io.ts";
import { withContextOf } from "./_with_context.ts";

/** `win-automation doctor`: one key=value line per check on stdout. */
export default async function doctorCommand(
  { io, state, globals }: Cx,
  _opts: Parsed<Record<never, never>>,
  _words: string[],
): Promise<void> {
  await withContextOf(io, state, globals)("doctor", async (ctx) => {
    const { runDoctor, worstExitCode } = await import(
      "../lib/doctor/mod.ts"
    );
    const results = await runDoctor({
      config: ctx.config,
      ssh: ctx.ssh(),
      aloha: ctx.aloha(),
      onResult: (r) =>
        ctx.out.scope(r.component, "doctor").log(
          r.state === "ok" ? "info" : r.state === "warn" ? "warn" : "error",
          r.msg,
          {
            check: r.check,
            state: r.state,
            duration_ms: r.durationMs,
            ...r.fields,
            err: r.err,
            fix: r.fix,
          },
        ),
    });
    state.exitCode = worstExitCode(results);
  });
}
