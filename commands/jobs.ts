import {
  Command,
  InvalidArgumentError,
  Option,
} from "@commander-js/extra-typings";
import type { Globals, Io, RunState } from "./_io.ts";
import type {
  EnqueueResult,
  JobRequest,
  JobStatus,
  JobType,
} from "../lib/hatchet/mod.ts";
import type { AppContext } from "./_context.ts";
import { contextOf } from "./_with_context.ts";
import { checkTraceId, newTraceId } from "./_trace.ts";
import {
  checkPageUrl,
  durationArg,
  intArg,
  nameArg,
  pageUrlArg,
  textArg,
} from "./_flags.ts";

/**
 * The job types, for `--type`'s choices in help. The list is here, not
 * imported, so that building the command tree loads no job code (zod, the
 * SDK); commands/jobs_test.ts checks it equals lib/hatchet's JOB_TYPES.
 */
export const TYPES = [
  "windows.exec",
  "aloha.run",
  "playwright.run",
] as const satisfies readonly JobType[];

function idempotencyKeyArg(value: string): string {
  if (
    !/^[\x21-\x7e]{1,255}$/.test(value) || value.startsWith("hatchet_internal_")
  ) {
    throw new InvalidArgumentError(
      `must be 1-255 printable ASCII characters without spaces (not starting with "hatchet_internal_"), got ${
        JSON.stringify(value)
      }`,
    );
  }
  return value;
}

/** `win-automation jobs enqueue|status|cancel|run`: durable jobs on Hatchet. */
export function jobsCommand(io: Io, state: RunState, globals: Globals) {
  const jobs = new Command("jobs").description(
    "enqueue, track and cancel durable jobs on Hatchet-lite",
  );

  const withEnqueueOptions = (name: string, description: string) =>
    new Command(name)
      .description(description)
      .addOption(
        new Option("--type <type>", "job type").choices(TYPES)
          .makeOptionMandatory(),
      )
      .option(
        "--cmd <command>",
        "windows.exec: the PowerShell command",
        textArg,
      )
      .option("--task <text>", "aloha.run: the task in plain words", textArg)
      .option("--max-steps <n>", "aloha.run: step limit", intArg(1, 1000))
      .option("--selected-screen <n>", "aloha.run: screen index", intArg(0, 16))
      .option(
        "--demo-trace <name>",
        "aloha.run: Aloha recorded demonstration (Aloha's trace_id)",
        nameArg(),
      )
      .option(
        "--url <url>",
        "playwright.run: the page to open (http or https; others need playwright.allow_file_urls=on)",
        pageUrlArg,
      )
      .option("--screenshot", "playwright.run: save a screenshot")
      .option("--trace", "playwright.run: save a Playwright trace")
      .option("--video", "playwright.run: save a video")
      .option(
        "--timeout <dur>",
        "windows.exec: time limit of the command (default: hatchet.job_timeout); playwright.run: of the run (default: config timeout)",
        durationArg(),
      )
      .option(
        "--idempotent-check <ps>",
        "PowerShell run first by the worker; exit 0 skips the work",
      )
      .option("--trace-id <id>", "this tool's trace id (generated when absent)")
      .option(
        "--idempotency-key <key>",
        "the engine dedupes enqueues with the same key for 24 h",
        idempotencyKeyArg,
      )
      .option("--json", "print JSON");

  const enqueue = withEnqueueOptions(
    "enqueue",
    "enqueue a job and print its job_id without waiting",
  );
  enqueue.action(async (opts) => {
    const { result, ctx } = await doEnqueue(io, state, globals, opts);
    printEnqueue(ctx, result, opts.json);
  });
  jobs.addCommand(enqueue);

  jobs.command("status")
    .description(
      "print a job's state; with --watch, poll every 2 s until it ends",
    )
    .requiredOption("--id <id>", "the job id")
    .option("--watch", "poll until the job reaches a terminal state")
    .option(
      "--timeout <dur>",
      "time limit for --watch (default: hatchet.job_timeout)",
      durationArg(),
    )
    .option("--json", "print JSON")
    .action(async (opts) => {
      const { id, ctx, ops } = await openForJob(
        io,
        state,
        globals,
        "jobs.status",
        opts.id,
      );
      const status = opts.watch
        ? await ops.watch(id, {
          timeoutMs: opts.timeout ?? ctx.config.limits.jobMs,
          onChange: (s) =>
            ctx.logger.scope("hatchet", "jobs.status").info("job state", {
              job_id: id,
              state: s.state,
            }),
        })
        : await ops.status(id);
      printStatus(ctx, status, opts.json);
      if (status.state === "not_found") state.exitCode = 1;
      else if (opts.watch && status.state !== "completed") state.exitCode = 1;
    });

  jobs.command("cancel")
    .description("cancel a job (its remote work is stopped too)")
    .requiredOption("--id <id>", "the job id")
    .option("--json", "print JSON")
    .action(async (opts) => {
      const { id, ctx, ops } = await openForJob(
        io,
        state,
        globals,
        "jobs.cancel",
        opts.id,
      );
      const status = await ops.cancel(id, {
        timeoutMs: ctx.config.limits.cancelMs,
      });
      const out = {
        job_id: id,
        state: status.state,
        error: status.state === "cancelled" ? null : status.error,
      };
      if (opts.json) io.stdout(JSON.stringify(out));
      else ctx.out.emit({ job_id: id, state: status.state });
      ctx.logger.scope("hatchet", "jobs.cancel").info("job cancel", {
        job_id: id,
        state: status.state,
      });
      if (status.state !== "cancelled") state.exitCode = 1;
    });

  const run = withEnqueueOptions(
    "run",
    "deprecated: enqueue, then watch until the job ends (use jobs enqueue)",
  );
  run.action(async (opts) => {
    io.stderr(
      "deprecated: 'jobs run' enqueues then watches; use 'jobs enqueue' and 'jobs status --watch'",
    );
    state.op = "jobs.run";
    const { result, ctx, ops } = await doEnqueue(io, state, globals, opts);
    ctx.logger.scope("hatchet", "jobs.run").info("watching job", {
      job_id: result.job_id,
    });
    const status = await ops.watch(result.job_id, {
      timeoutMs: ctx.config.limits.jobMs,
    });
    printStatus(ctx, status, opts.json);
    if (status.state !== "completed") state.exitCode = 1;
  });
  jobs.addCommand(run);
  return jobs;
}

/** The enqueue flags: a job request as the user words it. */
type EnqueueOpts =
  & Omit<JobRequest, "traceId" | "timeoutMs" | "host">
  & { timeout?: number; traceId?: string; json?: boolean };

type Ctx = AppContext;

/** Checks the job id first (exit 2 before anything else), then opens config and Hatchet. */
async function openForJob(
  io: Io,
  state: RunState,
  globals: Globals,
  op: string,
  idText: string,
) {
  const { checkJobId } = await import("../lib/hatchet/mod.ts");
  const id = checkJobId(idText);
  const ctx = await contextOf(io, state, globals)(op);
  return { id, ctx, ops: await openJobs(ctx) };
}

async function openJobs(ctx: Ctx) {
  const { connectHatchet, JobOps } = await import("../lib/hatchet/mod.ts");
  const hatchet = await connectHatchet(ctx.config, ctx.logger, ctx.op);
  return new JobOps(hatchet, { endpoint: ctx.config.hatchet.grpcAddress });
}

async function doEnqueue(
  io: Io,
  state: RunState,
  globals: Globals,
  opts: EnqueueOpts,
) {
  const { UsageError } = await import("../lib/errors/mod.ts");
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
  const op = state.op === "cli" ? "jobs.enqueue" : state.op;
  const ctx = await contextOf(io, state, globals)({ op, traceId });
  const { config } = ctx;
  if (opts.url !== undefined) {
    checkPageUrl(opts.url, config.playwright.allowFileUrls);
  }
  const { jobInputOf, jobTimeoutProblem, JobInputError } = await import(
    "../lib/hatchet/mod.ts"
  );
  // A job longer than the worker's job timeout would be stopped by the
  // engine with nothing saying why: refused here (exit 2), before it is queued.
  const tooLong = jobTimeoutProblem(opts.timeout, config.limits.jobMs);
  if (tooLong) {
    const { settingName } = await import("../lib/config/mod.ts");
    throw new UsageError(
      `usage error: --timeout ${tooLong} (${
        settingName(config, "hatchet.job_timeout")
      })`,
    );
  }
  // The worker's own schemas check what the CLI sends, so a job the worker
  // would refuse is refused here first (exit 2), before it is queued.
  let input;
  try {
    input = jobInputOf({
      ...opts,
      traceId,
      timeoutMs: opts.timeout,
      host: `${config.windows.sshHost}:${config.windows.sshPort}`,
    });
  } catch (error) {
    if (error instanceof JobInputError) {
      throw new UsageError(`usage error: ${error.message}`);
    }
    throw error;
  }
  const ops = await openJobs(ctx);
  const result = await ops.enqueue(opts.type, input);
  ctx.logger.scope("hatchet", "jobs.enqueue").info(
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

function printEnqueue(
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
      deduplicated: r.deduplicated || undefined,
    });
  }
}

function printStatus(
  ctx: Ctx,
  s: JobStatus,
  json?: boolean,
) {
  if (json) ctx.io.stdout(JSON.stringify(s));
  else {
    ctx.out.emit({
      job_id: s.job_id,
      state: s.state,
      trace_id: s.trace_id || undefined,
      started_at: s.started_at ?? undefined,
      ended_at: s.ended_at ?? undefined,
      error: s.error ?? undefined,
    });
  }
}
