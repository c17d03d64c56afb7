import { Command } from "@commander-js/extra-typings";
import type { Globals, Io, RunState } from "./_io.ts";
import { durationArg } from "./_flags.ts";
import { onShutdown } from "./_shutdown.ts";
import { withContextOf } from "./_with_context.ts";

/**
 * `win-automation supervisor run [--once] [--debug] [--interval <dur>]`:
 * ordered checks with remediation; one result line per check and step on
 * stdout, `state=healthy` at the end of a healthy pass. Without `--once` it
 * loops until SIGTERM or SIGINT and then exits 0.
 */
export function supervisorCommand(io: Io, state: RunState, globals: Globals) {
  const withContext = withContextOf(io, state, globals);
  const supervisor = new Command("supervisor").description(
    "keep the Windows session healthy: check, remediate, repeat",
  );
  supervisor.addCommand(
    new Command("run")
      .description(
        "check SSH, Aloha server and client, Hatchet-lite and Playwright in order; remediate what fails",
      )
      .option("--once", "run one pass; exit 0 healthy, 1 unhealthy")
      .option("--debug", "verbose logs on stderr")
      .option(
        "--interval <dur>",
        "pause between passes without --once (default: 30s)",
        durationArg(),
      )
      .action(async (opts) => {
        const sup = await import("../lib/supervisor/mod.ts");
        const failpoint = sup.parseFailpoint(io.getEnv(sup.FAILPOINT_ENV));
        await withContext({
          op: "supervisor",
          debug: opts.debug ?? false,
        }, async (ctx) => {
          const { AlohaClient } = await import("../lib/aloha/mod.ts");
          const { config, logger } = ctx;
          const log = logger.scope("supervisor", "supervisor");
          const results = ctx.out.scope("supervisor", "supervisor");
          const checks = sup.supervisedChecks({
            config,
            ssh: ctx.ssh(),
            aloha: new AlohaClient({
              serverUrl: config.aloha.serverUrl,
              clientUrl: config.aloha.clientUrl,
              timeoutMs: config.limits.httpMs,
              logger,
              http: { retryDelaysMs: [] },
              tunnel: config.aloha.via === "ssh" ? ctx.ssh() : undefined,
            }),
            logger,
          });
          if (failpoint) log.warn("failpoint set", { failpoint });
          const breakers = new Map();
          let passNo = 0;
          const pass = async () => {
            passNo++;
            log.debug("pass started", { pass: passNo });
            const result = await sup.runPass({
              checks,
              breakers,
              failpoint,
              report: (line) => {
                results.log(line.level, line.msg, {
                  pass: passNo,
                  ...line.fields,
                });
                if (line.fields.failpoint !== undefined) {
                  log.warn(line.msg, line.fields);
                } else log.debug(line.msg, line.fields);
              },
            });
            results.log(
              result.healthy ? "info" : "error",
              result.healthy ? "pass healthy" : "pass unhealthy",
              {
                pass: passNo,
                state: result.healthy ? "healthy" : "unhealthy",
                failed: result.failed.join(",") || undefined,
              },
            );
            if (!result.healthy) {
              log.error(
                `unhealthy after remediation: ${result.failed.join(", ")}`,
                { failed: result.failed.join(","), pass: passNo },
              );
            }
            return result;
          };
          if (opts.once) {
            const result = await pass();
            state.exitCode = result.healthy ? 0 : 1;
            return;
          }
          const shutdown = onShutdown(log);
          try {
            const passes = await sup.superviseLoop({
              pass,
              intervalMs: opts.interval ?? 30_000,
              signal: shutdown.signal,
            });
            log.info("stopped", { passes });
          } finally {
            shutdown.dispose();
          }
          state.exitCode = 0;
        });
      }),
  );
  return supervisor;
}
