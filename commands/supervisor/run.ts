import type { Parsed } from "../../lib/cli/mod.ts";
import type { Cx } from "../_io.ts";
import type { runFlags } from "./mod.ts";
import { onShutdown } from "../_shutdown.ts";
import { withContextOf } from "../_with_context.ts";

/** `win-automation supervisor run`: ordered checks with remediation; one pass with `--once`, else until SIGTERM. */
export default async function supervisorRunCommand(
  { io, state, globals }: Cx,
  opts: Parsed<typeof runFlags>,
  _words: string[],
): Promise<void> {
  const withContext = withContextOf(io, state, globals);
  const sup = await import("../../lib/supervisor/mod.ts");
  const failpoint = sup.parseFailpoint(io.getEnv(sup.FAILPOINT_ENV));
  await withContext({
    op: "supervisor",
    debug: opts.debug ?? false,
  }, async (ctx) => {
    const { AlohaClient } = await import("../../lib/aloha/mod.ts");
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
}
