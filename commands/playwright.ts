import { Command } from "@commander-js/extra-typings";
import type { Globals, Io, RunState } from "./_io.ts";
import { checkTraceId } from "./_trace.ts";
import { checkPageUrl, durationArg, intArg, pageUrlArg } from "./_flags.ts";
import { withContextOf } from "./_with_context.ts";

/** `win-automation playwright install|health|run`. */
export function playwrightCommand(io: Io, state: RunState, globals: Globals) {
  const withContext = withContextOf(io, state, globals);
  const playwright = new Command("playwright").description(
    "the Playwright server in Windows: install it, check it, open pages",
  );

  playwright.command("install")
    .description(
      "install or converge the Playwright server on Windows (task, firewall, start)",
    )
    .option(
      "--port <port>",
      "the server's port (default: playwright.port)",
      intArg(1, 65535),
    )
    .action((opts) =>
      withContext("playwright.install", async (ctx) => {
        const { installPlaywright, serverBinding } = await import(
          "../lib/playwright/mod.ts"
        );
        const { DependencyError } = await import("../lib/errors/mod.ts");
        const p = ctx.config.playwright;
        const port = opts.port ?? p.port;
        try {
          const result = await installPlaywright(ctx.ssh(), {
            wsPath: p.wsPath,
            port,
            channel: p.channel,
            executablePath: p.executablePath,
            timeoutMs: ctx.config.limits.stepMs,
            logger: ctx.logger,
            // bindHost/allowFrom: 127.0.0.1 and no firewall rule through ssh,
            // 0.0.0.0 and a rule for windows.allow_from in direct mode.
            ...serverBinding(ctx.config),
          });
          ctx.out.emit({
            state: "installed",
            component: "playwright",
            port,
            playwright_version: result.playwrightVersion,
            changed: result.changed.join(",") || "none",
          });
        } catch (error) {
          if (error instanceof DependencyError && error.fields.fix) {
            ctx.out.emit({
              state: "error",
              component: "playwright",
              err: error.fields.err,
              fix: error.fields.fix,
            });
          }
          throw error;
        }
      })
    );

  playwright.command("health")
    .description("connect to the Playwright server and report its version")
    .action(() =>
      withContext("playwright.health", async (ctx) => {
        const { playwrightHealth, targetOf, CLIENT_VERSION } = await import(
          "../lib/playwright/mod.ts"
        );
        const { DependencyError } = await import("../lib/errors/mod.ts");
        const log = ctx.logger.scope("playwright", "playwright.health");
        try {
          const health = await playwrightHealth(
            targetOf(ctx.config, ctx.ssh()),
            {
              timeoutMs: ctx.config.limits.playwrightConnectMs,
            },
          );
          log.info(
            "playwright healthy",
            {
              version: health.version,
              browser_version: health.browserVersion,
            },
          );
          ctx.out.emit({
            state: "ok",
            component: "playwright",
            version: health.version,
            client_version: CLIENT_VERSION,
            browser_version: health.browserVersion,
          });
        } catch (error) {
          if (!(error instanceof DependencyError)) throw error;
          const mismatch = error.fields.err === "version_mismatch";
          // The whole message as err, over the kind in fields.err.
          log.error("playwright unavailable", {
            ...error.fields,
            exit_code: error.exitCode,
            err: error.message,
          });
          ctx.out.emit({
            state: "error",
            component: "playwright",
            err: mismatch ? "version_mismatch" : error.message,
            server_version: error.fields.server_version,
            client_version: mismatch ? CLIENT_VERSION : undefined,
          });
          state.exitCode = error.exitCode;
        }
      })
    );

  playwright.command("run")
    .description(
      "open a URL in the Windows browser, wait for load, save artifacts on Linux",
    )
    .requiredOption(
      "--url <url>",
      "the page to open (http or https; others need playwright.allow_file_urls=on)",
      pageUrlArg,
    )
    .option(
      "--timeout <dur>",
      "time limit of the whole run (default: config timeout)",
      durationArg(),
    )
    .option("--screenshot", "save playwright/screenshot.png (full page)")
    .option("--trace", "save playwright/trace.zip (Playwright trace)")
    .option("--video", "save playwright/video.webm")
    .option("--trace-id <id>", "this tool's trace id (generated when absent)")
    .action(async (opts) => {
      const traceId = opts.traceId === undefined
        ? undefined
        : checkTraceId(opts.traceId);
      await withContext({ op: "playwright.run", traceId }, async (ctx) => {
        const { runPageJob } = await import("../lib/playwright/mod.ts");
        checkPageUrl(opts.url, ctx.config.playwright.allowFileUrls);
        const started = performance.now();
        const run = await ctx.record(async (art) => {
          const result = await runPageJob(ctx.config, {
            jobId: art.jobId,
            url: opts.url,
            timeoutMs: opts.timeout ?? ctx.config.limits.pageRunMs,
            screenshot: opts.screenshot,
            trace: opts.trace,
            video: opts.video,
            logger: ctx.logger.with({ job_id: art.jobId }),
            tunnel: ctx.ssh(),
          });
          art.partial = result.state === "partial";
          return result;
        }, {
          stateOf: (r) => r.state === "completed" ? "completed" : "failed",
        });
        if (run.state === "skipped") return; // no check: never skipped
        const { value: result, art } = run;
        const log = ctx.logger.with({ job_id: art.jobId })
          .scope("playwright", "playwright.run");
        for (const m of result.missing) {
          log.warn("artifact missing", { artifact: m.kind, err: m.why });
        }
        const fields = {
          state: result.state,
          job_id: art.jobId,
          artifact_root: result.root,
          trace_id: ctx.traceId,
          http_status: result.httpStatus,
          missing: result.missing.map((m) => m.kind).join(",") || undefined,
          duration_ms: Math.round(performance.now() - started),
        };
        if (result.state === "completed") log.info("page loaded", fields);
        else {
          log.error("run partial", fields);
          state.exitCode = 1;
        }
        ctx.out.emit(fields);
      });
    });
  return playwright;
}
