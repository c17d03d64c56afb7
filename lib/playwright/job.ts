import { resolve } from "../fs/mod.ts";
import { UsageError } from "../errors/mod.ts";
import type { Logger } from "../log/mod.ts";
import type { Tunnel } from "../ssh/mod.ts";
import { pageUrlProblem } from "../page_url/mod.ts";
import { targetOf } from "./endpoint.ts";
import { runPlaywright, type RunResult } from "./run.ts";

/** One page run for a job id, from the CLI or the worker. */
export interface PageJob {
  /** The job id: names the artifact root `<out_dir>/<job_id>`. */
  jobId: string;
  /** The page to open. */
  url: string;
  /** Time limit of the run in ms. */
  timeoutMs: number;
  /** @default false */
  screenshot?: boolean;
  /** @default false */
  trace?: boolean;
  /** @default false */
  video?: boolean;
  /** Stops the run. @default undefined */
  signal?: AbortSignal;
  /** Receives warnings. @default undefined */
  logger?: Logger;
  /** The SSH connection `playwright.via=ssh` forwards through. @default undefined */
  tunnel?: Tunnel;
}

/** What the config must hold for a page run. */
export interface PageJobConfig {
  playwright: {
    via?: "ssh" | "direct";
    host: string;
    port: number;
    wsPath: string;
    /** Any URL scheme, not only http(s). @default false */
    allowFileUrls?: boolean;
  };
  artifacts: { outDir: string };
}

/**
 * Runs a page against the configured server with its artifacts in
 * `<out_dir>/<job_id>/playwright/`; returns the result and the absolute
 * artifact root. A URL the config does not allow (anything but http(s)
 * without `playwright.allow_file_urls`) is a UsageError, before any work.
 */
export async function runPageJob(
  config: PageJobConfig,
  job: PageJob,
): Promise<RunResult & { root: string }> {
  const why = pageUrlProblem(job.url, {
    allowFileUrls: config.playwright.allowFileUrls,
  });
  if (why) throw new UsageError(`Cannot open the page: url ${why}`);
  const root = resolve(config.artifacts.outDir, job.jobId);
  const result = await runPlaywright(targetOf(config, job.tunnel), {
    url: job.url,
    timeoutMs: job.timeoutMs,
    dir: `${root}/playwright`,
    screenshot: job.screenshot,
    trace: job.trace,
    video: job.video,
    signal: job.signal,
    logger: job.logger,
  });
  return { ...result, root };
}
