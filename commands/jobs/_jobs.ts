/**
 * What the jobs commands share: opening Hatchet for a job id, the checks
 * and the input of an enqueue, and the result lines.
 * @module
 */
import type { Cx } from "../_io.ts";
import type {
  EnqueueResult,
  JobRequest,
  JobResult,
  JobStatus,
  JobType,
} from "../../lib/hatchet/mod.ts";
import type { AppContext } from "../_context.ts";
import { contextOf } from "../_with_context.ts";
import { checkTraceId, newTraceId } from "../_trace.ts";
import { checkPageUrl } from "../_flags.ts";

/** The enqueue flags: a job request as the user words it. */
type EnqueueOpts =
  & Omit<JobRequest, "traceId" | "timeoutMs" | "host" | "target" | "type">
  & { type?: JobType; timeout?: number; traceId?: string; json?: boolean };

/** The flag that names each job type's work, and so the type when `--type` is not given. */
const TYPE_OF_FLAG: [string, keyof EnqueueOpts, JobType][] = [
  ["--cmd", "cmd", "windows.exec"],
  ["--task", "task", "aloha.run"],
  ["--url", "url", "playwright.run"],
];

/**
 * The job type: `--type`, or the one type whose work flag is given (`--cmd`
 * is windows.exec, `--task` aloha.run, `--url` playwright.run); none or
 * several without `--type` is a usage error (exit 2). windows.reboot has no
 * such flag: it always needs `--type`.
 */
export function jobTypeOf(
  opts: Pick<EnqueueOpts, "type" | "cmd" | "task" | "url">,
): JobType | { problem: string } {
  if (opts.type !== undefined) return opts.type;
  const given = TYPE_OF_FLAG.filter(([, key]) =>
    opts[key as "cmd" | "task" | "url"] !== undefined
  );
  if (given.length === 1) return given[0]![2];
  return {
    problem: given.length === 0
      ? "usage error: --type is required (or give --cmd, --task or --url, which name windows.exec, aloha.run or playwright.run)"
      : `usage error: --type is required when ${
        given.map(([flag]) => flag).join(" and ")
      } are given together`,
  };
}

type Ctx = AppContext;

/** Checks the job id first (exit 2 before anything else), then opens config and Hatchet. */
export async function openForJob(
  { io, state, globals }: Cx,
  job: { op: string; id: string },
) {
  const { op, id: idText } = job;
  const { checkJobId } = await import("../../lib/hatchet/mod.ts");
  const id = checkJobId(idText);
  const ctx = await contextOf(io, state, globals)(op);
  const { hatchet, ops } = await connectJobs(ctx);
  return { id, ctx, ops, hatchet };
}

export async function connectJobs(ctx: Ctx) {
  const { connectHatchet, JobOps } = await import("../../lib/hatchet/mod.ts");
  const hatchet = await connectHatchet(ctx.config, ctx.logger, ctx.op);
  return {
    hatchet,
    ops: new JobOps(hatchet, { endpoint: ctx.config.hatchet.grpcAddress }),
  };
}

export async function openJobs(ctx: Ctx) {
  return (await connectJobs(ctx)).ops;
}

/**
 * Checks an enqueue's flags (exit 2 before anything else), opens the
 * config, and returns how to build the job input for a target.
 */
export async function prepareEnqueue(
  { io, state, globals }: Cx,
  opts: EnqueueOpts,
  op: string,
) {
  const { UsageError } = await import("../../lib/errors/mod.ts");
  const chosen = jobTypeOf(opts);
  if (typeof chosen === "object") throw new UsageError(chosen.problem);
  const type: JobType = chosen;
  const need = (flag: string, value: unknown, type: string) => {
    if (value === undefined) {
      throw new UsageError(`usage error: --type ${type} requires ${flag}`);
    }
  };
  const refuse = (flag: string, value: unknown, type: string) => {
    if (value !== undefined) {
      throw new UsageError(
        `usage error: ${flag} does not apply to --type ${type}`,
      );
    }
  };
  const flags: Record<string, unknown> = {
    "--cmd": opts.cmd,
    "--task": opts.task,
    "--max-steps": opts.maxSteps,
    "--selected-screen": opts.selectedScreen,
    "--demo-trace": opts.demoTrace,
    "--url": opts.url,
    "--screenshot": opts.screenshot,
    "--trace": opts.trace,
    "--video": opts.video,
    "--timeout": opts.timeout,
  };
  const allowed: Record<JobType, string[]> = {
    "windows.exec": ["--cmd", "--timeout"],
    "windows.reboot": ["--timeout"],
    "aloha.run": ["--task", "--max-steps", "--selected-screen", "--demo-trace"],
    "playwright.run": [
      "--url",
      "--screenshot",
      "--trace",
      "--video",
      "--timeout",
    ],
  };
  const required = {
    "windows.exec": "--cmd <command>",
    "aloha.run": "--task <text>",
    "playwright.run": "--url <url>",
    "windows.reboot": undefined,
  }[type];
  if (required) need(required, flags[required.split(" ")[0]!], type);
  for (const [flag, value] of Object.entries(flags)) {
    if (!allowed[type].includes(flag)) refuse(flag, value, type);
  }
  const traceId = opts.traceId === undefined
    ? newTraceId()
    : checkTraceId(opts.traceId);
  const ctx = await contextOf(io, state, globals)({ op, traceId });
  const { config } = ctx;
  if (opts.url !== undefined) {
    checkPageUrl(opts.url, config.playwright.allowFileUrls);
  }
  const { jobInputOf, jobTimeoutProblem, JobInputError } = await import(
    "../../lib/hatchet/mod.ts"
  );
  // A job longer than the worker's job timeout would be stopped by the
  // engine with nothing saying why: refused here (exit 2), before it is queued.
  const tooLong = jobTimeoutProblem(opts.timeout, config.limits.jobMs);
  if (tooLong) {
    const { settingName } = await import("../../lib/config/mod.ts");
    throw new UsageError(
      `usage error: --timeout ${tooLong} (${
        settingName(config, "hatchet.job_timeout")
      })`,
    );
  }
  // The worker's own schemas check what the CLI sends, so a job the worker
  // would refuse is refused here first (exit 2), before it is queued.
  // The run is routed to the target's workers, and aloha.run's concurrency
  // key is its desktop.
  const inputFor = (name: string) => {
    const target = config.targets[name]!;
    try {
      return jobInputOf({
        ...opts,
        type,
        traceId,
        target: target.name,
        timeoutMs: opts.timeout,
        host: target.desktop,
      });
    } catch (error) {
      if (error instanceof JobInputError) {
        throw new UsageError(`usage error: ${error.message}`);
      }
      throw error;
    }
  };
  return { ctx, traceId, inputFor, type };
}

export async function doEnqueue(cx: Cx, opts: EnqueueOpts) {
  const op = cx.state.op === "cli" ? "jobs.enqueue" : cx.state.op;
  const { ctx, inputFor, type } = await prepareEnqueue(cx, opts, op);
  const { config } = ctx;
  // The chosen target (--target, WIN_AUTOMATION_TARGET, default_target or
  // the only one).
  if (config.target === "") {
    const { ConfigError } = await import("../../lib/errors/mod.ts");
    throw new ConfigError(
      "--target",
      `is needed: the config names several targets (${
        Object.keys(config.targets).join(", ")
      }); give --target, or set WIN_AUTOMATION_TARGET or default_target`,
    );
  }
  const target = config.targets[config.target]!;
  const input = inputFor(target.name);
  const ops = await openJobs(ctx);
  const result = await ops.enqueue(type, input);
  ctx.logger.scope("hatchet", "jobs.enqueue").info(
    result.deduplicated
      ? "job already enqueued with this idempotency key"
      : "job queued",
    {
      job_id: result.job_id,
      state: result.state,
      job_type: type,
      target: target.name,
      deduplicated: result.deduplicated || undefined,
    },
  );
  return { result, ctx, ops };
}

export function printEnqueue(
  ctx: Ctx,
  r: EnqueueResult,
  json?: boolean,
) {
  if (json) {
    ctx.io.stdout(
      JSON.stringify({
        job_id: r.job_id,
        state: r.state,
        trace_id: r.trace_id,
        queued_at: r.queued_at,
        deduplicated: r.deduplicated,
      }),
    );
  } else {
    ctx.out.emit({
      job_id: r.job_id,
      state: r.state,
      trace_id: r.trace_id,
      target: r.target,
      deduplicated: r.deduplicated || undefined,
    });
  }
}

/** What `jobs status` adds to a job's status once it has a result. */
export type StatusResult = Pick<
  JobResult,
  "exit_code" | "duration_ms" | "artifact_host" | "artifact_root"
>;

export function printStatus(
  ctx: Ctx,
  s: JobStatus & Partial<StatusResult>,
  json?: boolean,
) {
  if (json) ctx.io.stdout(ctx.logger.redact(JSON.stringify(s)));
  else {
    ctx.out.emit({
      job_id: s.job_id,
      state: s.state,
      trace_id: s.trace_id || undefined,
      target: s.target || undefined,
      started_at: s.started_at ?? undefined,
      ended_at: s.ended_at ?? undefined,
      exit_code: s.exit_code ?? undefined,
      duration_ms: s.duration_ms ?? undefined,
      artifact_host: s.artifact_host ?? undefined,
      artifact_root: s.artifact_root ?? undefined,
      error: s.error ?? undefined,
    });
  }
}
