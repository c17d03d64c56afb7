import { requireCompletionEvidence, runAlohaTask } from "../aloha/mod.ts";
import { putExecOutput, recordAlohaRun } from "../artifacts/mod.ts";
import { OperationalError } from "../errors/mod.ts";
import {
  type AlohaRunOutput,
  exitMessage,
  type PlaywrightRunOutput,
  type WindowsExecOutput,
  type WindowsRebootOutput,
} from "../hatchet/mod.ts";
import { runPageJob } from "../playwright/mod.ts";
import { rebootAndWait, windowsExec } from "../windows/mod.ts";
import { DesktopLock } from "./desktop_lock.ts";
import {
  checkedInput,
  type HandlerDeps,
  refuseJob,
  RemoteExit,
  runJob,
} from "./job.ts";
import { execOutput } from "./exec_output.ts";
import type { JobHandlers } from "./tasks.ts";

export type { HandlerDeps } from "./job.ts";

/**
 * The handlers of `windows.exec`, `aloha.run`, `playwright.run` and
 * `windows.reboot`: each checks its input, then runs its body as a job
 * ({@linkcode runJob}).
 */
export function createHandlers(deps: HandlerDeps): JobHandlers {
  const { config, ssh, metrics } = deps;
  const desktops = deps.desktopLock ?? new DesktopLock();
  return {
    windowsExec: async (raw, ctx) => {
      const type = "windows.exec";
      const input = await checkedInput(deps, { type, raw, ctx });
      return await runJob(deps, {
        type,
        input,
        ctx,
        body: async (
          art,
          signal,
          logger,
          lines,
        ): Promise<WindowsExecOutput> => {
          // No maxOutputBytes: the artifacts keep up to windowsExec's own
          // cap; the engine's output is cut at 1 MiB per stream (execOutput).
          const result = await windowsExec(ssh, input.cmd, {
            timeoutMs: input.timeout_ms ?? config.limits.jobMs,
            signal,
            // Every attempt shares the job's run: a retry whose earlier attempt
            // started it attaches, never starts it again.
            runId: ctx.jobId,
            logger,
            // Each line goes to the job's task log as it arrives, so
            // `jobs logs --follow` shows it while the command runs.
            onLine: (stream, line) => lines.line(stream, line),
          });
          await lines.flush();
          await putExecOutput(art, result);
          if (result.exitCode !== 0) {
            throw new RemoteExit(exitMessage(result.exitCode));
          }
          return execOutput(result, {
            redactor: deps.redactor ?? logger.redactor,
          });
        },
      });
    },
    alohaRun: async (raw, ctx) => {
      const type = "aloha.run";
      const input = await checkedInput(deps, { type, raw, ctx });
      // No completion evidence, no job: refused once (never retried) before
      // anything is sent to Aloha or Windows and before an artifact root.
      try {
        requireCompletionEvidence(config.aloha.clientLogPath);
      } catch (error) {
        return await refuseJob(deps, { type, input, ctx }, error);
      }
      const started = Date.now();
      return await runJob(deps, {
        type,
        input,
        ctx,
        requireUnlocked: true,
        body: async (art, signal): Promise<AlohaRunOutput> => {
          // This worker's hold on the desktop, kept until Aloha's task has
          // really ended (the engine's group lock ends with the run).
          const release = await desktops.acquire(
            deps.desktop ??
              `${config.windows.sshHost}:${config.windows.sshPort}`,
            signal,
          );
          try {
            metrics.increment("aloha_runs_total");
            // Our own wait ends early enough to stop the task and see it end
            // before the engine's execution timeout frees the desktop.
            const timeoutMs = Math.max(
              1000,
              config.limits.alohaJobWaitMs - (Date.now() - started),
            );
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
                  wait: true,
                  clientLogPath: config.aloha.clientLogPath,
                  timeoutMs,
                  stopWaitMs: config.limits.alohaStopMs,
                  signal,
                  onStarted,
                }),
            );
            return { state: result.state };
          } finally {
            release();
          }
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
    windowsReboot: async (raw, ctx) => {
      const type = "windows.reboot";
      const input = await checkedInput(deps, { type, raw, ctx });
      return await runJob(deps, {
        type,
        input,
        ctx,
        body: async (_art, signal, logger): Promise<WindowsRebootOutput> => {
          // The job id names the request on Windows: a retried attempt
          // (its first one asked, then lost the connection or timed out)
          // finds the request and waits for it, never restarting again.
          const result = await rebootAndWait(ssh, {
            requestId: ctx.jobId,
            timeoutMs: input.timeout_ms ?? config.limits.rebootMs,
            requestTimeoutMs: config.limits.stepMs,
            signal,
            logger,
          });
          return {
            state: "completed",
            last_boot: result.lastBoot,
            previous_boot: result.previousBoot,
          };
        },
      });
    },
  };
}
