/**
 * A job's result as any host with the CLI and a token reads it from Hatchet
 * (never from a worker's disk): its exit code, duration, where its artifacts
 * are, and its stdout and stderr.
 * @module
 */
import type { HatchetClient } from "@hatchet-dev/typescript-sdk";
import { errorMessage } from "../errors/mod.ts";
import { hatchetError } from "./errors.ts";
import { exitCodeOf } from "./exit_message.ts";
import { type CappedText, capText, outputOfLines } from "./job_output.ts";
import type { JobStatus } from "./jobs.ts";
import { hatchetLogApi, type JobLogLine, JobLogReader } from "./logs.ts";
import { TERMINAL_STATES } from "./states.ts";

/** What `jobs status` adds for a job (null: not known). */
export interface JobResult {
  /** A `windows.exec` job's exit code: from its output, or its failure text. */
  exit_code: number | null;
  /** How long its last attempt took (a completed job's output). */
  duration_ms: number | null;
  /** The Linux host holding its artifact root (its task log's start entry). */
  artifact_host: string | null;
  /** Its artifact root on that host. */
  artifact_root: string | null;
  stdout: CappedText;
  stderr: CappedText;
  /**
   * Where stdout and stderr came from: the task `output` of a completed
   * job, else the last attempt's `task_log` (the engine keeps no output
   * for a failed or cancelled task).
   */
  source: "output" | "task_log";
}

/** What the reader asks of Hatchet; the real one is {@linkcode hatchetResultApi}. */
export interface ResultApi {
  /** The outputs of the job's tasks (parsed JSON; null for none). */
  outputs(jobId: string): Promise<unknown[]>;
  /** The job's task log lines, every attempt. */
  lines(jobId: string): Promise<JobLogLine[]>;
}

/** Hatchet's record of the job's tasks (gRPC) and its task log (REST). */
export function hatchetResultApi(
  hatchet: HatchetClient,
  options: { grpc: string; http: string },
): ResultApi {
  return {
    async outputs(jobId) {
      try {
        const detail = await hatchet.runs.getDetails(jobId);
        return Object.values(detail.taskRuns ?? {}).map((t) => t.output);
      } catch (error) {
        if (/not found|no rows/i.test(errorMessage(error))) return [];
        throw hatchetError(
          `read the output of job ${jobId}`,
          options.grpc,
          error,
        );
      }
    },
    async lines(jobId) {
      const reader = new JobLogReader(
        hatchetLogApi(hatchet, options.http),
        jobId,
        { withStart: true },
      );
      return await reader.read() ?? [];
    },
  };
}

interface ExecOutputShape {
  exit_code?: unknown;
  duration_ms?: unknown;
  stdout?: unknown;
  stderr?: unknown;
  stdout_truncated?: unknown;
  stderr_truncated?: unknown;
  truncated?: unknown;
}

const int = (v: unknown): number | null =>
  Number.isSafeInteger(v) ? v as number : null;

/**
 * The result of a job in `status` from its task outputs and log lines. Only
 * an ended job has one: the exit code and the streams of a completed job
 * come from its output (an output without `stdout`, an older worker's or
 * another job type's, falls back to the log), those of any other ended job
 * from its failure text and the last attempt's task log.
 */
export function jobResultOf(
  status: Pick<JobStatus, "state" | "error">,
  outputs: readonly unknown[],
  lines: readonly JobLogLine[],
): JobResult {
  const log = outputOfLines(lines);
  const result: JobResult = {
    exit_code: null,
    duration_ms: null,
    artifact_host: log.artifact_host ?? null,
    artifact_root: log.artifact_root ?? null,
    stdout: log.stdout,
    stderr: log.stderr,
    source: "task_log",
  };
  if (status.state === "completed") {
    const out = outputs.find((o) => typeof o === "object" && o !== null) as
      | ExecOutputShape
      | undefined;
    result.exit_code = int(out?.exit_code);
    result.duration_ms = int(out?.duration_ms);
    if (typeof out?.stdout === "string") {
      const stream = (text: unknown, flag: unknown): CappedText => {
        const capped = capText(typeof text === "string" ? text : "");
        return { text: capped.text, truncated: capped.truncated || !!flag };
      };
      result.stdout = stream(out.stdout, out.stdout_truncated ?? out.truncated);
      result.stderr = stream(out.stderr, out.stderr_truncated);
      result.source = "output";
    }
  } else if (TERMINAL_STATES.has(status.state as never)) {
    result.exit_code = exitCodeOf(status.error) ?? null;
  }
  return result;
}

/** Reads what {@linkcode jobResultOf} needs: the outputs only of a completed job. */
export async function readJobResult(
  api: ResultApi,
  status: Pick<JobStatus, "job_id" | "state" | "error">,
): Promise<JobResult> {
  const [outputs, lines] = await Promise.all([
    status.state === "completed"
      ? api.outputs(status.job_id)
      : Promise.resolve([]),
    api.lines(status.job_id),
  ]);
  return jobResultOf(status, outputs, lines);
}
