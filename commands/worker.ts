import type { Parsed } from "../lib/cli/mod.ts";
import type { Cx } from "./_io.ts";
import type { workerFlags } from "./mod.ts";
import { onShutdown } from "./_shutdown.ts";
import { withContextOf } from "./_with_context.ts";

/** `win-automation worker`: runs the Hatchet worker until SIGTERM or SIGINT, then drains and exits 0. */
export default async function workerCommand(
  { io, state, globals }: Cx,
  opts: Parsed<typeof workerFlags>,
  _words: string[],
): Promise<void> {
  await withContextOf(io, state, globals)("worker", async (ctx) => {
    const { runWorker } = await import("../lib/worker/mod.ts");
    const { JobMetrics, writeMetricsFile } = await import(
      "../lib/metrics/mod.ts"
    );
    const { ensureWritableDir } = await import("../lib/fs/mod.ts");
    const { settingName } = await import("../lib/config/mod.ts");
    const { ConfigError } = await import("../lib/errors/mod.ts");
    const { DEFAULT_TARGET } = await import("../lib/hatchet/mod.ts");
    // The served targets: --targets, else --target (selected by the config
    // load, which refuses an unknown name), else the chosen target, else
    // default.
    if (opts.targets && opts.target) {
      const { UsageError } = await import("../lib/errors/mod.ts");
      throw new UsageError(
        "usage error: give --target or --targets, not both",
      );
    }
    if (!opts.targets && ctx.config.target === "") {
      throw new ConfigError(
        "--target",
        `is needed: the config names several targets (${
          Object.keys(ctx.config.targets).join(", ")
        }); give --target or --targets, or set WIN_AUTOMATION_TARGET or default_target`,
      );
    }
    const { selectTargets } = await import("../lib/config/mod.ts");
    const served = opts.targets !== undefined
      ? selectTargets(ctx.config, opts.targets)
      : [ctx.config.target || DEFAULT_TARGET];
    for (const name of served) {
      if (!ctx.config.targets[name]) {
        throw new ConfigError(
          opts.targets ? "--targets" : "--target",
          `names an unknown target ${JSON.stringify(name)} (known: ${
            Object.keys(ctx.config.targets).join(", ")
          })`,
        );
      }
    }
    // The environment is checked before the worker takes jobs: an artifact
    // root or state dir it cannot use is a config error (exit 2), not a
    // failure of every job.
    await ensureWritableDir(
      ctx.config.artifacts.outDir,
      settingName(ctx.config, "artifacts.out_dir"),
    );
    const sshes = new Map(
      served.map((name) => [name, ctx.forTarget(name).ssh()]),
    );
    for (const ssh of sshes.values()) await ssh.prepareState();
    const metrics = new JobMetrics({ target: served.join(",") });
    const shutdown = onShutdown(ctx.logger.scope("hatchet", "worker"));
    let countEnqueued: (() => Promise<number>) | undefined;
    const emitMetrics = async () => {
      if (countEnqueued) {
        metrics.set(
          "jobs_enqueued_total",
          await countEnqueued().catch(() =>
            metrics.value("jobs_enqueued_total")
          ),
        );
      }
      // Metric lines hold names and numbers only; redacted all the same,
      // as every sink is.
      const lines = metrics.lines().map((line) => ctx.logger.redact(line));
      if (ctx.config.metricsPath) {
        await writeMetricsFile(ctx.config.metricsPath, lines);
      } else {
        for (const line of lines) io.stdout(line);
      }
    };
    let timer: ReturnType<typeof setInterval> | undefined;
    if (opts.metrics) {
      timer = setInterval(() => {
        emitMetrics().catch((error) =>
          ctx.logger.scope("hatchet", "worker").error(
            "cannot write metrics",
            { err: error },
          )
        );
      }, opts.metricsInterval);
    }
    try {
      await runWorker({
        config: ctx.config,
        logger: ctx.logger,
        metrics,
        targets: served,
        sshFor: (name) => sshes.get(name)!,
        signal: shutdown.signal,
        drainTimeoutMs: opts.drainTimeout,
        onReady: (count) => {
          countEnqueued = count;
          if (opts.metrics) emitMetrics().catch(() => {});
        },
      });
    } finally {
      if (timer !== undefined) clearInterval(timer);
      shutdown.dispose();
    }
    if (opts.metrics) await emitMetrics();
    state.exitCode = 0;
  });
}
