import type { Parsed } from "../../lib/cli/mod.ts";
import type { Cx } from "../_io.ts";
import type { runFlags } from "./mod.ts";
import { onShutdown } from "../_shutdown.ts";

/** `win-automation supervisor run`: ordered checks with remediation; one pass with `--once`, else until SIGTERM. */
export default async function supervisorRunCommand(
  { io, state, globals }: Cx,
  opts: Parsed<typeof runFlags>,
  _words: string[],
): Promise<void> {
  const { createContext } = await import("../_context.ts");
  const sup = await import("../../lib/supervisor/mod.ts");
  const { AlohaClient } = await import("../../lib/aloha/mod.ts");
  const failpoint = sup.parseFailpoint(io.getEnv(sup.FAILPOINT_ENV));
  const ctx = await createContext(io, state, {
    op: "supervisor",
    configPath: globals().config,
    debug: opts.debug ?? false,
  });
  const { config, logger } = ctx;
  const checks = sup.supervisedChecks({
    config,
    ssh: ctx.ssh(),
    aloha: new AlohaClient({
      serverUrl: config.aloha.serverUrl,
      clientUrl: config.aloha.clientUrl,
      timeoutMs: config.timeoutMs,
      logger,
      http: { retryDelaysMs: [] },
      tunnel: config.aloha.via === "ssh" ? ctx.ssh() : undefined,
    }),
    logger,
  });
  if (failpoint) {
    logger.warn("supervisor", "supervisor", "failpoint set", {
      failpoint,
    });
  }
  const breakers = new Map();
  let passNo = 0;
  const pass = async () => {
    passNo++;
    logger.debug("supervisor", "supervisor", "pass started", {
      pass: passNo,
    });
    const result = await sup.runPass({
      checks,
      breakers,
      failpoint,
      report: (line) => {
        ctx.emit({
          ts: new Date().toISOString(),
          level: line.level,
          component: "supervisor",
          op: "supervisor",
          msg: line.msg,
          trace_id: ctx.traceId,
          pass: passNo,
          ...line.fields,
        });
        if (line.fields.failpoint !== undefined) {
          logger.warn("supervisor", "supervisor", line.msg, line.fields);
        } else {
          logger.debug("supervisor", "supervisor", line.msg, line.fields);
        }
      },
    });
    ctx.emit({
      ts: new Date().toISOString(),
      level: result.healthy ? "info" : "error",
      component: "supervisor",
      op: "supervisor",
      msg: result.healthy ? "pass healthy" : "pass unhealthy",
      trace_id: ctx.traceId,
      pass: passNo,
      state: result.healthy ? "healthy" : "unhealthy",
      failed: result.failed.join(",") || undefined,
    });
    if (!result.healthy) {
      logger.error(
        "supervisor",
        "supervisor",
        `unhealthy after remediation: ${result.failed.join(", ")}`,
        undefined,
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
  const shutdown = onShutdown(logger, ["supervisor", "supervisor"]);
  try {
    const passes = await sup.superviseLoop({
      pass,
      intervalMs: opts.interval ?? 30_000,
      signal: shutdown.signal,
    });
    logger.info("supervisor", "supervisor", "stopped", { passes });
  } finally {
    shutdown.dispose();
  }
  state.exitCode = 0;
}
