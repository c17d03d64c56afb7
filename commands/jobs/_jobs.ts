/**
 * What the jobs commands share: opening Hatchet for a job id, the checks
 * and the input of an enqueue, and the result lines.
 * @module
 */
import type { Globals, Io, RunState } from "../_io.ts";
import type { JobInputs } from "../../lib/hatchet/mod.ts";
import { checkTraceId, newTraceId } from "../_trace.ts";
import { checkPageUrl } from "../_flags.ts";
import type { TYPES } from "./mod.ts";

interface EnqueueOpts {
  type: typeof TYPES[number];
  cmd?: string;
  task?: string;
  maxSteps?: number;
  selectedScreen?: number;
  demoTrace?: string;
  url?: string;
  screenshot?: boolean;
  trace?: boolean;
  video?: boolean;
  timeout?: number;
  idempotentCheck?: string;
  traceId?: string;
  idempotencyKey?: string;
  json?: boolean;
}

type Ctx = Awaited<ReturnType<typeof import("../_context.ts").createContext>>;

/** Checks the job id first (exit 2 before anything else), then opens config and Hatchet. */
export async function openForJob(
  io: Io,
  state: RunState,
  globals: Globals,
  op: string,
  idText: string,
) {
  const { checkJobId } = await import("../../lib/hatchet/mod.ts");
  const id = checkJobId(idText);
  const { createContext } = await import("../_context.ts");
  const ctx = await createContext(io, state, {
    op,
    configPath: globals().config,
  });
  return { id, ctx, ops: await openJobs(ctx) };
}

async function openJobs(ctx: Ctx) {
  const { connectHatchet, JobOps } = await import("../../lib/hatchet/mod.ts");
  const hatchet = await connectHatchet(ctx.config, ctx.logger, ctx.op);
  return new JobOps(hatchet, { endpoint: ctx.config.hatchet.grpcAddress });
}

export async function doEnqueue(
  io: Io,
  state: RunState,
  globals: Globals,
  opts: EnqueueOpts,
) {
  const { UsageError } = await import("../../lib/errors/mod.ts");
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
  const allowed: Record<typeof TYPES[number], string[]> = {
    "windows.exec": ["--cmd", "--timeout"],
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
  }[opts.type];
  need(required, flags[required.split(" ")[0]!], opts.type);
  for (const [flag, value] of Object.entries(flags)) {
    if (!allowed[opts.type].includes(flag)) refuse(flag, value, opts.type);
  }
  const traceId = opts.traceId === undefined
    ? newTraceId()
    : checkTraceId(opts.traceId);
  const { createContext } = await import("../_context.ts");
  const op = state.op === "cli" ? "jobs.enqueue" : state.op;
  const ctx = await createContext(io, state, {
    op,
    configPath: globals().config,
    traceId,
  });
  if (opts.url !== undefined) {
    checkPageUrl(opts.url, ctx.config.playwright.allowFileUrls);
  }
  const common = {
    trace_id: traceId,
    idempotency_key: opts.idempotencyKey ?? `auto-${crypto.randomUUID()}`,
    ...(opts.idempotentCheck === undefined
      ? {}
      : { idempotent_check: opts.idempotentCheck }),
  };
  const timeout = opts.timeout === undefined
    ? {}
    : { timeout_ms: opts.timeout };
  // The worker's own schemas check what the CLI sends, so a job the worker
  // would refuse is refused here first (exit 2), before it is queued.
  const { JobInputError, parseJobInput } = await import(
    "../../lib/hatchet/mod.ts"
  );
  const checked = <T extends typeof TYPES[number]>(type: T, input: unknown) => {
    try {
      return parseJobInput(type, input);
    } catch (error) {
      if (error instanceof JobInputError) {
        throw new UsageError(`usage error: ${error.message}`);
      }
      throw error;
    }
  };
  const input = opts.type === "windows.exec"
    ? checked("windows.exec", { ...common, cmd: opts.cmd!, ...timeout })
    : opts.type === "playwright.run"
    ? checked("playwright.run", {
      ...common,
      url: opts.url!,
      ...timeout,
      ...(opts.screenshot ? { screenshot: true } : {}),
      ...(opts.trace ? { trace: true } : {}),
      ...(opts.video ? { video: true } : {}),
    })
    : checked("aloha.run", {
      ...common,
      task: opts.task!,
      host: `${ctx.config.windows.sshHost}:${ctx.config.windows.sshPort}`,
      ...(opts.maxSteps === undefined ? {} : { max_steps: opts.maxSteps }),
      ...(opts.selectedScreen === undefined
        ? {}
        : { selected_screen: opts.selectedScreen }),
      ...(opts.demoTrace === undefined ? {} : { demo_trace: opts.demoTrace }),
    });
  const ops = await openJobs(ctx);
  const result = opts.type === "windows.exec"
    ? await ops.enqueue("windows.exec", input as JobInputs["windows.exec"])
    : opts.type === "playwright.run"
    ? await ops.enqueue("playwright.run", input as JobInputs["playwright.run"])
    : await ops.enqueue("aloha.run", input as JobInputs["aloha.run"]);
  ctx.logger.info(
    "hatchet",
    "jobs.enqueue",
    result.deduplicated
      ? "job already enqueued with this idempotency key"
      : "job queued",
    {
      job_id: result.job_id,
      state: result.state,
      job_type: opts.type,
      deduplicated: result.deduplicated || undefined,
    },
  );
  return { result, ctx, ops };
}

export function printEnqueue(
  ctx: Ctx,
  r: {
    job_id: string;
    state: string;
    trace_id: string;
    queued_at: string;
    deduplicated: boolean;
  },
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
    ctx.emit({
      job_id: r.job_id,
      state: r.state,
      trace_id: r.trace_id,
      deduplicated: r.deduplicated || undefined,
    });
  }
}

export function printStatus(
  ctx: Ctx,
  s: {
    job_id: string;
    state: string;
    trace_id: string;
    started_at: string | null;
    ended_at: string | null;
    error: string | null;
  },
  json?: boolean,
) {
  if (json) ctx.io.stdout(JSON.stringify(s));
  else {
    ctx.emit({
      job_id: s.job_id,
      state: s.state,
      trace_id: s.trace_id || undefined,
      started_at: s.started_at ?? undefined,
      ended_at: s.ended_at ?? undefined,
      error: s.error ?? undefined,
    });
  }
}
