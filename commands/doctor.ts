import type { Parsed } from "../lib/cli/mod.ts";
import type { CheckResult } from "../lib/doctor/mod.ts";
import type { AppContext } from "./_context.ts";
import type { Cx } from "./_io.ts";
import type { doctorFlags } from "./mod.ts";
import { oneTargetChoice } from "./_flags.ts";
import { selectedTargets } from "./_targets.ts";
import { withContextOf } from "./_with_context.ts";

/**
 * `win-automation doctor`: one key=value line per check on stdout. A config
 * without targets prints today's lines; with targets, each line of a target
 * carries `target=` and a `worker` check follows (several targets with
 * `--targets`: Hatchet once, first, then each target in turn).
 */
export default async function doctorCommand(
  { io, state, globals }: Cx,
  opts: Parsed<typeof doctorFlags>,
  _words: string[],
): Promise<void> {
  oneTargetChoice(opts);
  await withContextOf(io, state, globals)("doctor", async (ctx) => {
    const doctor = await import("../lib/doctor/mod.ts");
    const onResult = (r: CheckResult) =>
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
      );
    const names = selectedTargets(ctx, opts.targets);
    const results = names === undefined
      ? await doctor.runDoctor({
        config: ctx.config,
        ssh: ctx.ssh(),
        aloha: ctx.aloha(),
        onResult,
      })
      : await doctor.runFleetDoctor({
        targets: names.map((name) => {
          const t = ctx.forTarget(name);
          return {
            name,
            deps: { config: t.config, ssh: t.ssh(), aloha: t.aloha() },
          };
        }),
        listWorkers: () => workersOf(ctx),
        onResult,
      });
    state.exitCode = doctor.worstExitCode(results);
  });
}

/** Hatchet's workers, through the SDK (loaded only here). */
async function workersOf(ctx: AppContext) {
  const { connectHatchet, listWorkers } = await import(
    "../lib/hatchet/mod.ts"
  );
  const hatchet = await connectHatchet(ctx.config, ctx.logger, ctx.op);
  return await listWorkers(hatchet, ctx.config.hatchet.httpUrl);
}
