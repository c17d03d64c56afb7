import { Command } from "@commander-js/extra-typings";
import type { Globals, Io, RunState } from "./_io.ts";
import { withContextOf } from "./_with_context.ts";

/** `win-automation doctor`: one key=value line per check on stdout. */
export function doctorCommand(io: Io, state: RunState, globals: Globals) {
  return new Command("doctor")
    .description(
      "check SSH, PowerShell, Aloha, firewall rules, the desktop, Hatchet and Playwright; print fixes",
    )
    .action(() =>
      withContextOf(io, state, globals)("doctor", async (ctx) => {
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
      })
    );
}
