import { Command } from "@commander-js/extra-typings";
import type { Globals, Io, RunState } from "./_io.ts";
import { checkTraceId } from "./_trace.ts";
import { durationArg, intArg, nameArg, textArg } from "./_flags.ts";
import { idempotentCheckOf } from "./_idempotent.ts";
import { withContextOf } from "./_with_context.ts";

/** `win-automation aloha health|install|run`. */
export function alohaCommand(
  io: Io,
  state: RunState,
  globals: Globals,
) {
  const withContext = withContextOf(io, state, globals);
  const aloha = new Command("aloha").description(
    "drive the ShowUI-Aloha GUI agent",
  );

  aloha.command("health")
    .description(
      "check the Aloha server (GET /) and that the Aloha client answers",
    )
    .action(() =>
      withContext("aloha.health", async (ctx) => {
        const client = ctx.aloha();
        await client.serverHealth();
        const status = await client.clientReachable();
        ctx.logger.scope("aloha", "aloha.health").info("aloha healthy", {
          client_http_status: status,
        });
        ctx.out.emit({
          state: "ok",
          component: "aloha",
          server: "ok",
          client: "ok",
        });
      })
    );

  aloha.command("install")
    .description(
      "register the Aloha server and client as scheduled tasks on Windows and start them",
    )
    .option(
      "--desktop-user <user>",
      "the Windows user whose desktop the client drives (default: aloha.desktop_user)",
      nameArg(64),
    )
    .action((opts) =>
      withContext("aloha.install", async (ctx) => {
        const { installAlohaTasks } = await import("../lib/aloha/mod.ts");
        const { OperationalError } = await import("../lib/errors/mod.ts");
        const a = ctx.config.aloha;
        const port = (url: string) => Number(new URL(url).port || 80);
        const user = opts.desktopUser ?? a.desktopUser;
        const result = await installAlohaTasks(ctx.ssh(), {
          serverCmd: a.serverStartCmd,
          clientCmd: a.clientStartCmd,
          desktopUser: user,
          timeoutMs: ctx.config.limits.stepMs,
          ports: { server: port(a.serverUrl), client: port(a.clientUrl) },
          logger: ctx.logger,
        });
        const fields = {
          component: "aloha",
          changed: result.changed.join(",") || "none",
          server_task: result.tasks["WinAutomation-AlohaServer"],
          client_task: result.tasks["WinAutomation-AlohaClient"],
          server_listening: result.listening.server,
          client_listening: result.listening.client,
        };
        if (!result.listening.server || !result.listening.client) {
          ctx.out.emit({ state: "partial", ...fields });
          const down = [
            result.listening.server ? "" : "server",
            result.listening.client ? "" : "client",
          ].filter(Boolean).join(" and ");
          throw new OperationalError(
            `Cannot start Aloha: the ${down} does not listen (the client task runs only while "${user}" is logged on to the desktop; see the start command's log)`,
          );
        }
        ctx.out.emit({ state: "installed", ...fields });
      })
    );

  aloha.command("run")
    .description(
      "start an Aloha task; with --wait, follow the client log until it finishes",
    )
    .requiredOption("--task <text>", "the task in plain words", textArg)
    .option("--max-steps <n>", "step limit", intArg(1, 1000))
    .option("--selected-screen <n>", "screen index", intArg(0, 16))
    .option("--trace-id <id>", "this tool's trace id (generated when absent)")
    .option(
      "--demo-trace <name>",
      "Aloha recorded demonstration (trace_data/<name>.json); Aloha's own trace_id",
      nameArg(),
    )
    .option(
      "--idempotent",
      "run --idempotent-check first and skip when it exits 0",
    )
    .option(
      "--idempotent-check <ps>",
      "PowerShell that exits 0 when the work is already done",
    )
    .option(
      "--wait",
      "wait for the task to finish (needs aloha.client_log_path)",
    )
    .option(
      "--timeout <dur>",
      "time limit for --wait (default: hatchet.job_timeout)",
      durationArg(),
    )
    .action(async (opts) => {
      const check = idempotentCheckOf(opts);
      const traceId = opts.traceId === undefined
        ? undefined
        : checkTraceId(opts.traceId);
      await withContext({ op: "aloha.run", traceId }, async (ctx) => {
        const { runAlohaTask } = await import("../lib/aloha/mod.ts");
        const { recordAlohaRun } = await import("../lib/artifacts/mod.ts");
        const { limits } = ctx.config;
        const timeoutMs = opts.timeout ??
          (opts.wait ? limits.alohaWaitMs : limits.httpMs);
        const log = ctx.logger.scope("aloha", "aloha.run");
        const started = performance.now();
        const run = await ctx.record((art) =>
          recordAlohaRun(
            art,
            opts.task,
            (onStarted) =>
              runAlohaTask({
                task: opts.task,
                maxSteps: opts.maxSteps,
                selectedScreen: opts.selectedScreen,
                demoTrace: opts.demoTrace,
              }, {
                aloha: ctx.aloha(),
                ssh: ctx.ssh(),
                wait: opts.wait,
                clientLogPath: ctx.config.aloha.clientLogPath,
                timeoutMs,
                onStarted,
              }),
          ), { check });
        if (run.state === "skipped") {
          log.info("idempotent check passed; skipped", { state: "skipped" });
          ctx.out.emit({ state: "skipped", trace_id: ctx.traceId });
          return;
        }
        const fields = {
          state: run.value.state,
          job_id: run.art.jobId,
          artifact_root: run.art.root,
          trace_id: ctx.traceId,
          duration_ms: Math.round(performance.now() - started),
        };
        log.info(`task ${run.value.state}`, fields);
        ctx.out.emit(fields);
      });
    });
  return aloha;
}
