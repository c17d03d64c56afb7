import { formatDuration } from "../duration/mod.ts";
import { parseJobInput } from "./input_schemas.ts";
import type { JobInputs, JobType } from "./inputs.ts";
import { DEFAULT_TARGET } from "./routing.ts";

/** What a job is asked to do, before it becomes its type's input. */
export interface JobRequest<T extends JobType = JobType> {
  type: T;
  traceId: string;
  /** The target the job is for. @default "default" */
  target?: string;
  /**
   * The user's dedupe key. The engine's key is `<target>/<key>`: keys are
   * tenant-wide in the engine, and the same key for two targets means two
   * jobs. @default a random `auto-<uuid>` (no dedupe)
   */
  idempotencyKey?: string;
  /** PowerShell the worker runs first; exit 0 skips. @default undefined */
  idempotentCheck?: string;
  /** windows.exec: the command. */
  cmd?: string;
  /** windows.exec, playwright.run, windows.reboot: the time limit in ms. @default undefined */
  timeoutMs?: number;
  /** aloha.run: the task. */
  task?: string;
  /** aloha.run: the target's desktop (`host:port` by default), one GUI task at a time. */
  host?: string;
  /** @default undefined */
  maxSteps?: number;
  /** @default undefined */
  selectedScreen?: number;
  /** @default undefined */
  demoTrace?: string;
  /** playwright.run: the page. */
  url?: string;
  /** @default false */
  screenshot?: boolean;
  /** @default false */
  trace?: boolean;
  /** @default false */
  video?: boolean;
}

const some = <K extends string, V>(key: K, value: V | undefined) =>
  value === undefined || value === false ? {} : { [key]: value };

/**
 * The input of a job, checked against the schema the worker checks it with,
 * so a job the worker would refuse is refused before it is queued. Throws a
 * JobInputError naming the field.
 */
export function jobInputOf<T extends JobType>(
  request: JobRequest<T>,
): JobInputs[T] {
  const r = request;
  const target = r.target ?? DEFAULT_TARGET;
  const common = {
    trace_id: r.traceId,
    target,
    idempotency_key: `${target}/${
      r.idempotencyKey ?? `auto-${crypto.randomUUID()}`
    }`,
    ...some("idempotent_check", r.idempotentCheck),
  };
  const fields = r.type === "windows.exec"
    ? { cmd: r.cmd, ...some("timeout_ms", r.timeoutMs) }
    : r.type === "windows.reboot"
    ? { ...some("timeout_ms", r.timeoutMs) }
    : r.type === "playwright.run"
    ? {
      url: r.url,
      ...some("timeout_ms", r.timeoutMs),
      ...some("screenshot", r.screenshot),
      ...some("trace", r.trace),
      ...some("video", r.video),
    }
    : {
      task: r.task,
      host: r.host,
      ...some("max_steps", r.maxSteps),
      ...some("selected_screen", r.selectedScreen),
      ...some("demo_trace", r.demoTrace),
    };
  return parseJobInput(r.type, { ...common, ...fields });
}

/**
 * Why a job's own time limit cannot hold: longer than the worker's
 * `hatchet.job_timeout` (the engine stops every job there), or undefined.
 */
export function jobTimeoutProblem(
  timeoutMs: number | undefined,
  jobTimeoutMs: number,
): string | undefined {
  if (timeoutMs === undefined || timeoutMs <= jobTimeoutMs) return undefined;
  return `${
    formatDuration(timeoutMs)
  } is longer than the worker's job timeout (${
    formatDuration(jobTimeoutMs)
  }), which stops every job first`;
}
