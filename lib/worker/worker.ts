import { AlohaClient } from "../aloha/mod.ts";
import { type ResolvedConfig, settingName } from "../config/mod.ts";
import type { Logger } from "../log/mod.ts";
import type { JobMetrics } from "../metrics/mod.ts";
import { delay } from "../retry/mod.ts";
import type { SshClient } from "../ssh/mod.ts";
import {
  connectHatchet,
  hatchetError,
  JobOps,
  listWorkers,
  startCordons,
  workerLabels,
} from "../hatchet/mod.ts";
import { buildInfo } from "../version/mod.ts";
import { DesktopLock } from "./desktop_lock.ts";
import { createHandlers } from "./handlers.ts";
import { routedHandlers } from "./routed.ts";
import { declareTasks, type JobHandlers } from "./tasks.ts";

/** Options for {@linkcode runWorker}. */
export interface WorkerOptions {
  config: ResolvedConfig;
  logger: Logger;
  metrics: JobMetrics;
  /** The targets this worker serves (names in `config.targets`); at least one. */
  targets: readonly string[];
  /** The SSH client of each served target. */
  sshFor: (target: string) => SshClient;
  /** Aborting it drains the worker: no new work, running work finishes. */
  signal: AbortSignal;
  /** How long a drain may take before running jobs are stopped and handed back. @default 30 s */
  drainTimeoutMs?: number;
  /** Called once the worker is registered and listening, with a way to count the runs enqueued on the engine since then. @default undefined */
  onReady?: (countEnqueued: () => Promise<number>) => void;
}

/**
 * Runs the Hatchet worker until `signal` aborts, then drains: the worker is
 * paused on the engine and stops listening, running jobs get `drainTimeoutMs`
 * to finish; jobs still running then have their remote work stopped and are
 * left to the engine, which hands them to another worker.
 */
export async function runWorker(options: WorkerOptions): Promise<void> {
  const {
    config,
    logger,
    metrics,
    targets,
    sshFor,
    signal,
    drainTimeoutMs = 30_000,
    onReady,
  } = options;
  const log = logger.scope("hatchet", "worker");
  const hatchet = await connectHatchet(config, logger, "worker");
  // Asked when the engine cancels an attempt: a job it handed to another
  // attempt keeps its Windows run (lib/worker/job.ts).
  const jobs = new JobOps(hatchet, { endpoint: config.hatchet.grpcAddress });
  const inflight = new Set<AbortController>();
  // One lock for every served target: two targets may share a desktop.
  const desktopLock = new DesktopLock();
  const byTarget = new Map<string, JobHandlers>();
  for (const name of targets) {
    const target = config.targets[name];
    if (!target) {
      throw new RangeError(`runWorker() got an unknown target ${name}`);
    }
    // The target's view of the config: its windows, aloha and playwright.
    const own: ResolvedConfig = {
      ...config,
      target: name,
      windows: target.windows,
      aloha: target.aloha,
      playwright: target.playwright,
    };
    const ssh = sshFor(name);
    const targetLogger = logger.with({ target: name });
    byTarget.set(
      name,
      createHandlers({
        config: own,
        logger: targetLogger,
        metrics,
        ssh,
        aloha: new AlohaClient({
          serverUrl: target.aloha.serverUrl,
          clientUrl: target.aloha.clientUrl,
          timeoutMs: config.limits.httpMs,
          logger: targetLogger,
          tunnel: target.aloha.via === "ssh" ? ssh : undefined,
        }),
        inflight,
        desktopLock,
        desktop: target.desktop,
        redactor: logger.redactor,
        jobAlive: (id) => jobs.alive(id),
      }),
    );
  }
  const tasks = await declareTasks(
    hatchet,
    config,
    routedHandlers(byTarget, { logger, metrics }),
    { logger, endpoint: config.hatchet.grpcAddress },
  );
  // A cordon lives on the engine's worker records, and this worker is a new
  // record: it starts cordoned for each target the workers it replaces are
  // cordoned for (read before registering, so no job slips in between).
  // Without the list it does not start: it could not know.
  const cordoned = startCordons(
    await listWorkers(hatchet, config.hatchet.httpUrl),
    targets,
  );
  const labels = workerLabels(targets, buildInfo().version, cordoned);
  let worker;
  try {
    // Labels are fixed at start (never upsertLabels): changing what a
    // worker serves means draining it and starting it again.
    worker = await hatchet.worker(config.hatchet.workerName, {
      slots: config.hatchet.workerConcurrency,
      workflows: tasks,
      labels,
      handleKill: false,
    });
  } catch (error) {
    throw hatchetError(
      "register the worker",
      config.hatchet.grpcAddress,
      error,
    );
  }
  const stopped = worker.start();
  try {
    await worker.waitUntilReady(config.limits.workerReadyMs);
  } catch (error) {
    await worker.stop().catch(() => {});
    throw hatchetError("start the worker", config.hatchet.grpcAddress, error);
  }
  log.info("worker ready", {
    worker_name: config.hatchet.workerName,
    slots: config.hatchet.workerConcurrency,
    tasks: tasks.map((t) => t.name).join(","),
    targets: targets.join(","),
    labels: Object.keys(labels).sort().join(","),
    cordoned: cordoned.join(",") || undefined,
  });
  for (const name of cordoned) {
    log.warn(
      "target cordoned: its new jobs wait until `targets uncordon`",
      { target: name },
    );
  }
  for (const name of targets) {
    if (config.targets[name]!.aloha.clientLogPath === "") {
      log.warn(
        "aloha.run jobs will be refused: aloha.client_log_path is not set (the Aloha client's log is the only evidence that a task ended)",
        { target: name, setting: settingName(config, "aloha.client_log_path") },
      );
    }
  }
  const since = new Date();
  onReady?.(async () => {
    // With limit 1, the number of pages is the number of matching runs.
    const page = await hatchet.runs.list({
      since,
      onlyTasks: true,
      limit: 1,
      includePayloads: false,
    });
    return page.pagination?.num_pages ?? 0;
  });
  await new Promise<void>((resolve) => {
    if (signal.aborted) resolve();
    signal.addEventListener("abort", () => resolve(), { once: true });
    stopped.then(() => resolve(), () => resolve());
  });
  log.info(
    "draining: no new jobs, waiting for running ones",
    {
      running: inflight.size,
      drain_timeout_ms: drainTimeoutMs,
    },
  );
  const drained = await Promise.race([
    worker.stop().then(() => true, () => true),
    delay(drainTimeoutMs).then(() => false),
  ]);
  if (!drained) {
    log.warn(
      "drain timed out: stopping running jobs, the engine hands them back",
      {
        running: inflight.size,
      },
    );
    for (const controller of inflight) {
      controller.abort(new Error("worker shutting down"));
    }
    await Promise.race([stopped.catch(() => {}), delay(5_000)]);
  }
  log.info("worker stopped", { drained });
}
