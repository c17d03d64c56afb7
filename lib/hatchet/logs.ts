import type { HatchetClient } from "@hatchet-dev/typescript-sdk";
import { errorMessage, TimeoutError } from "../errors/mod.ts";
import { type Delay, delay } from "../retry/mod.ts";
import { hatchetError, httpStatusOf } from "./errors.ts";
import type { JobStatus } from "./jobs.ts";
import { TERMINAL_STATES } from "./states.ts";

/** One entry of a task's log as the engine stores it (REST `V1LogLine`). */
export interface RawLogLine {
  createdAt: string;
  message: string;
  metadata?: object;
  attempt?: number;
}

/** One output line of a job, read back from its task log. */
export interface JobLogLine {
  /** The attempt that wrote it (1 for the first). */
  attempt: number;
  /** `stdout` or `stderr`; `log` for an entry the worker did not number. */
  stream: string;
  /** The line, joined again when the worker had to cut it. */
  text: string;
  /** When the worker sent it (RFC 3339). */
  at: string;
  /**
   * Set on the entry a worker writes as an attempt starts (stream `job`):
   * the Linux host holding the job's artifact root.
   */
  artifact_host?: string;
  /** With `artifact_host`: the job's artifact root on that host. */
  artifact_root?: string;
  /** Set on the worker's notice that this many lines were not sent. */
  dropped?: number;
}

/** What the reader asks of Hatchet; the real one is {@linkcode hatchetLogApi}. */
export interface LogApi {
  /** The task run ids of a job, or null when the engine has no such run. */
  taskIds(jobId: string): Promise<string[] | null>;
  /** Entries of one task created after `since` (exclusive), oldest first, at most `limit`. */
  page(taskId: string, since: string | undefined, limit: number): Promise<
    RawLogLine[]
  >;
}

/** Entries asked for per request (the engine allows up to 10 000; 50 by default). */
export const LOG_PAGE = 1000;

/**
 * Hatchet's task log over its API: the job's task runs from the engine's
 * record (`runs.getDetails`), their entries from
 * `GET /api/v1/stable/tasks/{task}/logs` (`since` is exclusive, ordered by
 * creation time). A task the run history does not show yet (it lags the
 * engine) has no entries yet.
 */
export function hatchetLogApi(
  hatchet: HatchetClient,
  endpoint: string,
): LogApi {
  return {
    async taskIds(jobId) {
      try {
        const detail = await hatchet.runs.getDetails(jobId);
        return Object.values(detail.taskRuns ?? {}).map((t) => t.externalId)
          .filter((id): id is string => typeof id === "string" && id !== "");
      } catch (error) {
        const code = (error as { code?: number }).code;
        if (code === 5 || /not found|no rows/i.test(errorMessage(error))) {
          return null;
        }
        throw hatchetError(`read the tasks of job ${jobId}`, endpoint, error);
      }
    },
    async page(taskId, since, limit) {
      try {
        const answer = await hatchet.api.v1LogLineList(taskId, {
          limit,
          ...(since ? { since } : {}),
          order_by_direction: "ASC" as never,
        });
        return (answer.data.rows ?? []) as RawLogLine[];
      } catch (error) {
        if (httpStatusOf(error) === 404) return [];
        throw hatchetError(
          `read the log of job task ${taskId}`,
          endpoint,
          error,
        );
      }
    },
  };
}

interface Meta {
  seq?: unknown;
  stream?: unknown;
  cont?: unknown;
  empty?: unknown;
  artifact_host?: unknown;
  artifact_root?: unknown;
  dropped?: unknown;
}

/**
 * Reads a job's output lines back from Hatchet's task log, each call giving
 * only the lines not given before: entries are numbered by the worker
 * (`seq` per attempt), so overlapping reads are deduplicated and each read's
 * lines come in the order they were written; a line the worker cut into
 * several entries (`cont`) comes out whole, once its last part arrived.
 */
export class JobLogReader {
  #api: LogApi;
  #jobId: string;
  #since = new Map<string, string>();
  #seen = new Set<string>();
  #partial = new Map<string, string>();
  #withStart: boolean;

  /**
   * `withStart`: give the worker's start entry of each attempt too (stream
   * `job`, naming the artifacts' host and root); `jobs logs` shows only the
   * command's lines. @default false
   */
  constructor(
    api: LogApi,
    jobId: string,
    options: { withStart?: boolean } = {},
  ) {
    this.#api = api;
    this.#jobId = jobId;
    this.#withStart = options.withStart ?? false;
  }

  /** The new lines, or null when the engine has no such job. */
  async read(): Promise<JobLogLine[] | null> {
    const tasks = await this.#api.taskIds(this.#jobId);
    if (tasks === null) return null;
    const fresh: { line: RawLogLine; task: string }[] = [];
    for (const task of tasks) {
      for (;;) {
        const rows = await this.#api.page(
          task,
          this.#since.get(task),
          LOG_PAGE,
        );
        let added = 0;
        for (const row of rows) {
          const key = this.#keyOf(task, row);
          if (this.#seen.has(key)) continue;
          this.#seen.add(key);
          fresh.push({ line: row, task });
          added++;
          const last = this.#since.get(task);
          // Entries of the same millisecond are asked for again (since is
          // exclusive); the seen set drops the repeats.
          const cursor = new Date(Date.parse(row.createdAt) - 1).toISOString();
          if (!last || cursor > last) this.#since.set(task, cursor);
        }
        if (rows.length < LOG_PAGE || added === 0) break;
      }
    }
    fresh.sort((a, b) =>
      a.task.localeCompare(b.task) ||
      (a.line.attempt ?? 1) - (b.line.attempt ?? 1) ||
      seqOf(a.line) - seqOf(b.line) ||
      a.line.createdAt.localeCompare(b.line.createdAt)
    );
    const out: JobLogLine[] = [];
    for (const { line, task } of fresh) {
      const meta = (line.metadata ?? {}) as Meta;
      const attempt = line.attempt ?? 1;
      const where = `${task}:${attempt}`;
      const text = meta.empty === true ? "" : line.message;
      if (meta.cont === true) {
        this.#partial.set(where, (this.#partial.get(where) ?? "") + text);
        continue;
      }
      const head = this.#partial.get(where) ?? "";
      this.#partial.delete(where);
      const entry: JobLogLine = {
        attempt,
        stream: typeof meta.stream === "string" ? meta.stream : "log",
        text: head + text,
        at: line.createdAt,
      };
      if (typeof meta.artifact_host === "string") {
        if (!this.#withStart) continue;
        entry.artifact_host = meta.artifact_host;
        if (typeof meta.artifact_root === "string") {
          entry.artifact_root = meta.artifact_root;
        }
      }
      if (Number.isSafeInteger(meta.dropped)) {
        entry.dropped = meta.dropped as number;
      }
      out.push(entry);
    }
    return out;
  }

  #keyOf(task: string, row: RawLogLine): string {
    const meta = (row.metadata ?? {}) as Meta;
    return typeof meta.seq === "number"
      ? `${task}:${row.attempt ?? 1}:${meta.seq}`
      : `${task}:${row.createdAt}:${row.message}`;
  }
}

function seqOf(line: RawLogLine): number {
  const seq = (line.metadata as Meta | undefined)?.seq;
  return typeof seq === "number" ? seq : Number.MAX_SAFE_INTEGER;
}

/** Options for {@linkcode followJobLog}. */
export interface FollowOptions {
  /** The job whose lines are read. */
  jobId: string;
  reader: JobLogReader;
  /** The job's state (JobOps.status). */
  status: (id: string) => Promise<JobStatus>;
  /** Receives each batch of new lines as soon as it is read. */
  onLines: (lines: JobLogLine[]) => void;
  /** Past this a TimeoutError (exit 4) is thrown. */
  timeoutMs: number;
  /** Pause between reads in ms. @default 1000 */
  intervalMs?: number;
  /** @default a real timer */
  sleep?: Delay;
  /** @default Date.now */
  now?: () => number;
  /** Stops the loop. @default undefined */
  signal?: AbortSignal;
}

/**
 * Reads a job's lines as they arrive until the job reaches a terminal
 * state, then reads once more (the worker sends every line before its task
 * returns, so the last read has them all) and returns that state.
 */
export async function followJobLog(options: FollowOptions): Promise<JobStatus> {
  const {
    jobId,
    reader,
    status,
    onLines,
    timeoutMs,
    intervalMs = 1000,
    sleep = delay,
    now = Date.now,
    signal,
  } = options;
  const deadline = now() + timeoutMs;
  for (;;) {
    const lines = await reader.read();
    if (lines) onLines(lines);
    const s = await status(jobId);
    if (s.state === "not_found") return s;
    if (TERMINAL_STATES.has(s.state)) {
      const last = await reader.read();
      if (last) onLines(last);
      return s;
    }
    if (now() + intervalMs > deadline) {
      throw new TimeoutError(
        `Cannot follow job ${jobId} to its end: still ${s.state} after ${timeoutMs}ms`,
        { fields: { job_id: jobId, state: s.state } },
      );
    }
    await sleep(intervalMs, { signal });
  }
}
