/**
 * `win-automation jobs`: the route map; each command (and the Hatchet SDK)
 * loads when it runs.
 * @module
 */
import {
  booleanFlag,
  type Group,
  InvalidArgumentError,
  lazy,
  requiredFlag,
  valueFlag,
} from "../../lib/cli/mod.ts";
import type { Cx } from "../_io.ts";
import type { JobType } from "../../lib/hatchet/mod.ts";
import {
  intArg,
  longDurationArg,
  nameArg,
  pageUrlArg,
  targetFlag,
  textArg,
} from "../_flags.ts";

/**
 * The job types, for `--type`'s choices in help. The list is here, not
 * imported, so that building the command tree loads no job code (zod, the
 * SDK); commands/jobs/mod_test.ts checks it equals lib/hatchet's JOB_TYPES.
 */
export const TYPES = [
  "windows.exec",
  "aloha.run",
  "playwright.run",
  "windows.reboot",
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

/** The flags of `jobs enqueue` and `jobs run`. */
export const enqueueFlags = {
  target: targetFlag(),
  type: requiredFlag(
    valueFlag(
      "--type <type>",
      "job type",
      (value) => value as typeof TYPES[number],
      { choices: TYPES },
    ),
  ),
  cmd: valueFlag(
    "--cmd <command>",
    "windows.exec: the PowerShell command",
    textArg,
  ),
  task: valueFlag(
    "--task <text>",
    "aloha.run: the task in plain words",
    textArg,
  ),
  maxSteps: valueFlag(
    "--max-steps <n>",
    "aloha.run: step limit",
    intArg(1, 1000),
  ),
  selectedScreen: valueFlag(
    "--selected-screen <n>",
    "aloha.run: screen index",
    intArg(0, 16),
  ),
  demoTrace: valueFlag(
    "--demo-trace <name>",
    "aloha.run: Aloha recorded demonstration (Aloha's trace_id)",
    nameArg(),
  ),
  url: valueFlag(
    "--url <url>",
    "playwright.run: the page to open (http or https; others need playwright.allow_file_urls=on)",
    pageUrlArg,
  ),
  screenshot: booleanFlag("--screenshot", "playwright.run: save a screenshot"),
  trace: booleanFlag("--trace", "playwright.run: save a Playwright trace"),
  video: booleanFlag("--video", "playwright.run: save a video"),
  timeout: valueFlag(
    "--timeout <dur>",
    "windows.exec: time limit of the command (default: hatchet.job_timeout); playwright.run: of the run (default: config timeout); windows.reboot: of the reboot (default: hatchet.job_timeout)",
    longDurationArg(),
  ),
  idempotentCheck: valueFlag(
    "--idempotent-check <ps>",
    "PowerShell run first by the worker; exit 0 skips the work",
  ),
  traceId: valueFlag(
    "--trace-id <id>",
    "this tool's trace id (generated when absent)",
  ),
  idempotencyKey: valueFlag(
    "--idempotency-key <key>",
    "the engine dedupes enqueues with the same key for 24 h",
    idempotencyKeyArg,
  ),
  json: booleanFlag("--json", "print JSON"),
};

/** The flags of `jobs status`. */
export const statusFlags = {
  id: requiredFlag(valueFlag("--id <id>", "the job id")),
  watch: booleanFlag(
    "--watch",
    "poll until the job reaches a terminal state",
  ),
  timeout: valueFlag(
    "--timeout <dur>",
    "time limit for --watch (default: hatchet.job_timeout)",
    longDurationArg(),
  ),
  output: booleanFlag(
    "--output",
    "print only the ended job's stdout (up to 1 MiB; a failed job's from its task log)",
  ),
  stderr: booleanFlag(
    "--stderr",
    "print only the ended job's stderr (up to 1 MiB; a failed job's from its task log)",
  ),
  json: booleanFlag("--json", "print JSON"),
};

/** The flags of `jobs cancel`. */
export const cancelFlags = {
  id: requiredFlag(valueFlag("--id <id>", "the job id")),
  json: booleanFlag("--json", "print JSON"),
};

/** The flags of `jobs logs`. */
export const logsFlags = {
  id: requiredFlag(valueFlag("--id <id>", "the job id")),
  follow: booleanFlag(
    "--follow",
    "keep reading until the job reaches a terminal state",
  ),
  timeout: valueFlag(
    "--timeout <dur>",
    "time limit for --follow (default: hatchet.job_timeout)",
    longDurationArg(),
  ),
  json: booleanFlag("--json", "print one JSON object per line"),
};

/** `jobs enqueue|status|cancel|logs|run`: durable jobs on Hatchet. */
export const jobs: Group<Cx> = {
  kind: "group",
  name: "jobs",
  description: "enqueue, track and cancel durable jobs on Hatchet-lite",
  flags: {},
  commands: [
    {
      kind: "command",
      name: "enqueue",
      description: "enqueue a job and print its job_id without waiting",
      flags: enqueueFlags,
      loader: lazy<typeof import("./enqueue.ts")>("commands/jobs/enqueue.ts"),
    },
    {
      kind: "command",
      name: "status",
      description:
        "print a job's state and result (exit_code, artifact_host); with --watch, poll every 2 s until it ends; --output/--stderr print its output",
      flags: statusFlags,
      loader: lazy<typeof import("./status.ts")>("commands/jobs/status.ts"),
    },
    {
      kind: "command",
      name: "cancel",
      description: "cancel a job (its remote work is stopped too)",
      flags: cancelFlags,
      loader: lazy<typeof import("./cancel.ts")>("commands/jobs/cancel.ts"),
    },
    {
      kind: "command",
      name: "logs",
      description:
        "print a job's output lines from its Hatchet task log; with --follow, until it ends",
      flags: logsFlags,
      loader: lazy<typeof import("./logs.ts")>("commands/jobs/logs.ts"),
    },
    {
      kind: "command",
      name: "run",
      description:
        "deprecated: enqueue, then watch until the job ends (use jobs enqueue)",
      flags: enqueueFlags,
      loader: lazy<typeof import("./run.ts")>("commands/jobs/run.ts"),
    },
  ],
};
