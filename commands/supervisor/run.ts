import type { Parsed } from "../../lib/cli/mod.ts";
import type { Fields } from "../../lib/log/mod.ts";
import type { CheckName, CircuitBreaker } from "../../lib/supervisor/mod.ts";
import type { Cx } from "../_io.ts";
import type { runFlags } from "./mod.ts";
import { oneTargetChoice } from "../_flags.ts";
import { onShutdown } from "../_shutdown.ts";
import { selectedTargets } from "../_targets.ts";
import { withContextOf } from "../_with_context.ts";

/**
 * `win-automation supervisor run`: ordered checks with remediation; one pass
 * with `--once`, else until SIGTERM. A config without targets runs as it
 * always did. With targets, each line of a target carries `target=`; with
 * several (`--targets`), Hatchet is checked once per pass, first (its lines
 * carry `targets=`), then each target's checks in turn, each with its own
 * breakers, and the pass ends with one summary line over all of them.
 */
export default async function supervisorRunCommand(
  { io, state, globals }: Cx,
  opts: Parsed<typeof runFlags>,
  _words: string[],
): Promise<void> {
  oneTargetChoice(opts);
  const withContext = withContextOf(io, state, globals);
  const sup = await import("../../lib/supervisor/mod.ts");
  const failpoint = sup.parseFailpoint(io.getEnv(sup.FAILPOINT_ENV));
  await withContext({
    op: "supervisor",
    debug: opts.debug ?? false,
  }, async (ctx) => {
    const { AlohaClient } = await import("../../lib/aloha/mod.ts");
    const { logger } = ctx;
    const log = logger.scope("supervisor", "supervisor");
    const results = ctx.out.scope("supervisor", "supervisor");
    const names = selectedTargets(ctx, opts.targets);
    /** One run of checks in a pass: a target's, or Hatchet's alone. */
    interface Unit {
      /** Fields on each of its lines (`target=`, `targets=`). */
      tag: Fields;
      checks: ReturnType<typeof sup.supervisedChecks>;
      breakers: Map<CheckName, CircuitBreaker>;
      /** Whether it gets a summary line of its own (a target of a fleet). */
      summary: boolean;
    }
    const unitOf = (
      name: string | undefined,
      only?: readonly CheckName[],
    ): Unit => {
      const t = name === undefined ? ctx : ctx.forTarget(name);
      const config = t.config;
      return {
        tag: name === undefined ? {} : { target: name },
        checks: sup.supervisedChecks({
          config,
          ssh: t.ssh(),
          aloha: new AlohaClient({
            serverUrl: config.aloha.serverUrl,
            clientUrl: config.aloha.clientUrl,
            timeoutMs: config.limits.httpMs,
            logger,
            http: { retryDelaysMs: [] },
            tunnel: config.aloha.via === "ssh" ? t.ssh() : undefined,
          }),
          logger,
          only,
        }),
        breakers: new Map(),
        summary: name !== undefined,
      };
    };
    const units: Unit[] = [];
    if (names === undefined) {
      units.push(unitOf(undefined));
    } else if (names.length === 1) {
      units.push(unitOf(names[0]));
    } else {
      const hatchet = unitOf(names[0], ["hatchet"]);
      units.push({
        ...hatchet,
        tag: { targets: names.join(",") },
        summary: false,
      });
      const rest = sup.CHECK_NAMES.filter((c) => c !== "hatchet");
      for (const name of names) units.push(unitOf(name, rest));
    }
    if (failpoint) log.warn("failpoint set", { failpoint });
    let passNo = 0;
    const pass = async () => {
      passNo++;
      log.debug("pass started", { pass: passNo });
      const failed: string[] = [];
      for (const unit of units) {
        const result = await sup.runPass({
          checks: unit.checks,
          breakers: unit.breakers,
          failpoint,
          report: (line) => {
            results.log(line.level, line.msg, {
              pass: passNo,
              ...unit.tag,
              ...line.fields,
            });
            const logged = { ...unit.tag, ...line.fields };
            if (line.fields.failpoint !== undefined) {
              log.warn(line.msg, logged);
            } else log.debug(line.msg, logged);
          },
        });
        const prefix = "target" in unit.tag ? `${unit.tag.target}:` : "";
        failed.push(...result.failed.map((c) => `${prefix}${c}`));
        if (unit.summary && units.length > 1) {
          summarize(unit.tag, result.failed);
        }
      }
      const tag = units.length === 1 ? units[0]!.tag : {
        targets: names!.join(","),
      };
      summarize(tag, failed);
      return { healthy: failed.length === 0 };
    };
    /** A pass's (or one target's) last line, and an error log when unhealthy. */
    function summarize(tag: Fields, failed: string[]): void {
      const healthy = failed.length === 0;
      results.log(
        healthy ? "info" : "error",
        healthy ? "pass healthy" : "pass unhealthy",
        {
          pass: passNo,
          ...tag,
          state: healthy ? "healthy" : "unhealthy",
          failed: failed.join(",") || undefined,
        },
      );
      if (!healthy) {
        log.error(
          `unhealthy after remediation: ${failed.join(", ")}`,
          { failed: failed.join(","), pass: passNo, ...tag },
        );
      }
    }
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
