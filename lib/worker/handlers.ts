import { runAlohaTask } from "../aloha/mod.ts";
import { putExecOutput, recordAlohaRun } from "../artifacts/mod.ts";
import { OperationalError } from "../errors/mod.ts";
import type {
  AlohaRunOutput,
  PlaywrightRunOutput,
  WindowsExecOutput,
} from "../hatchet/mod.ts";
import { runPageJob } from "../playwright/mod.ts";
import { windowsExec } from "../windows/mod.ts";
import { checkedInput, type HandlerDeps, RemoteExit, runJob } from "./job.ts";
import type { JobHandlers } from "./tasks.ts";

export type { HandlerDeps } from "./job.ts";

/** Bytes of command output kept in the job's result (the engine stores it). */
const MAX_JOB_OUTPUT = 1024 * 1024;

/**
 * The handlers of `windows.exec`, `aloha.run` and `playwright.run`: each
 * checks its input, then runs its body as a job ({@linkcode runJob}).
 */
export function createHandlers(deps: HandlerDeps): JobHandlers {
  const { config, ssh, metrics } = deps;
  return {
    windowsExec: async (raw, ctx) => {
      const type = "windows.exec";
      const input = await checkedInput(deps, { type, raw, ctx });
      return await runJob(deps, {
        type,
        input,
        ctx,
        body: async (art, signal, logger): Promise<WindowsExecOutput> => {
          const result = await windowsExec(ssh, input.cmd, {
            timeoutMs: input.timeout_ms ?? config.limits.jobMs,
            signal,
            // Every attempt shares the job's run: a retry whose earlier attempt
            // started it attaches, never starts it again.
            runId: ctx.jobId,
            maxOutputBytes: MAX_JOB_OUTPUT,
            logger,
          });
          await putExecOutput(art, result);
          if (result.exitCode !== 0) {
            throw new RemoteExit(
              `remote command exited with code ${result.exitCode}`,
            );
          }
          return {
            state: "completed",
            exit_code: result.exitCode,
            stdout: result.stdout,
            stderr: result.stderr,
            truncated: result.truncated,
          };
        },
      });
    },
    alohaRun: async (raw, ctx) => {
      const type = "aloha.run";
      const input = await checkedInput(deps, { type, raw, ctx });
      return await runJob(deps, {
        type,
        input,
        ctx,
        requireUnlocked: true,
        body: async (art, signal): Promise<AlohaRunOutput> => {
          metrics.increment("aloha_runs_total");
          const result = await recordAlohaRun(
            art,
            input.task,
            (onStarted) =>
              runAlohaTask({
                task: input.task,
                maxSteps: input.max_steps,
                selectedScreen: input.selected_screen,
                demoTrace: input.demo_trace,
              }, {
                aloha: deps.aloha,
                ssh,
                wait: config.aloha.clientLogPath !== "",
                clientLogPath: config.aloha.clientLogPath,
                timeoutMs: config.limits.alohaWaitMs,
                signal,
                onStarted,
              }),
          );
          return { state: result.state };
        },
      });
    },
    playwrightRun: async (raw, ctx) => {
      const type = "playwright.run";
      const input = await checkedInput(deps, { type, raw, ctx });
      return await runJob(deps, {
        type,
        input,
        ctx,
        body: async (art, signal, logger): Promise<PlaywrightRunOutput> => {
          metrics.increment("playwright_sessions_total");
          const result = await runPageJob(config, {
            jobId: ctx.jobId,
            url: input.url,
            timeoutMs: input.timeout_ms ?? config.limits.pageRunMs,
            screenshot: input.screenshot,
            trace: input.trace,
            video: input.video,
            signal,
            logger,
            tunnel: ssh,
          });
          if (result.state === "partial") {
            art.partial = true;
            throw new OperationalError(
              `Playwright run partial: missing ${
                result.missing.map((m) => `${m.kind} (${m.why})`).join(", ")
              }`,
            );
          }
          return {
            state: "completed",
            artifact_root: result.root,
            artifacts: result.artifacts,
            http_status: result.httpStatus,
          };
        },
      });
    },
  };
}
