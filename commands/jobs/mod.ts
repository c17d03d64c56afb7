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
  durationArg,
  intArg,
  longDurationArg,
  nameArg,
  pageUrlArg,
  targetFlag,
  targetsFlag,
  textArg,
} from "../_flags.ts";
import { type Limit, parseLimit } from "../../lib/fleet/mod.ts";

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

/** Flag parser for `--max-concurrency` / `--max-errors`: `N` or `P%`. */
function limitArg(min: number) {
  return (value: string): Limit => {
    const limit = parseLimit(value);
    if (!limit || limit.value < min) {
      throw new InvalidArgumentError(
        `must be a number from ${min} to 10000 or a percentage from ${min}% to 100%, got ${
          JSON.stringify(value)
        }`,
      );
    }
    return limit;
  };
}

/** The flags of a batch (`jobs enqueue --targets`). */
const batchFlags = {
  targets: targetsFlag(),
  maxConcurrency: valueFlag(
    "--max-concurrency <n|p%>",
    "with --targets: at most this many targets' jobs at a time, a number or a percentage of the targets (default: 50)",
    limitArg(1),
  ),
  maxErrors: valueFlag(
    "--max-errors <n|p%>",
    "with --targets: past this many failed targets, start no more (the rest are skipped); a number or a percentage (default: 0)",
    limitArg(0),
  ),
  ignoreUnreachable: booleanFlag(
    "--ignore-unreachable",
    "with --targets: unreachable and undeliverable targets do not count toward --max-errors",
  ),
};

/** The flags of `jobs run`. */
export const runFlags = {
  target: targetFlag(),
  type: valueFlag(
    "--type <type>",
    "job type (default: the one --cmd, --task or --url names: windows.exec, aloha.run or playwright.run)",
    (value) => value as typeof TYPES[number],
    { choices: TYPES },
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

/** The flags of `jobs enqueue`: those of `jobs run`, and a batch's. */
export const enqueueFlags = { ...runFlags, ...batchFlags };

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

/** How far back `jobs list --since` may look: 30 days. */
const LIST_SINCE_MAX_MS = 720 * 3_600_000;

/** What `jobs list --type` takes: the job types and the batch parent. */
const LIST_TYPES = [...TYPES, "jobs.batch"] as const;

/** The job states `jobs list --state` takes. */
const STATES = [
  "queued",
  "running",
  "completed",
  "failed",
  "cancelled",
  "undeliverable",
] as const;

function uuidArg(value: string): string {
  if (
    !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(
      value,
    )
  ) {
    throw new InvalidArgumentError(
      `must be a batch id (a UUID), got ${JSON.stringify(value)}`,
    );
  }
  return value.toLowerCase();
}

/** The flags of `jobs list`. */
export const listFlags = {
  // Not `target`: that key would also choose the command's target (its
  // config view), and a filter must not (a job of a target no longer
  // configured can still be listed).
  targetFilter: targetFlag("only the jobs of this target (any name)"),
  batch: valueFlag("--batch <id>", "only the jobs of this batch", uuidArg),
  type: valueFlag(
    "--type <type>",
    "only jobs of this type (jobs.batch: the batches, their job_id is the batch id)",
    (value) => value as typeof LIST_TYPES[number],
    { choices: LIST_TYPES },
  ),
  state: valueFlag(
    "--state <state>",
    "only jobs in this state",
    (value) => value as typeof STATES[number],
    { choices: STATES },
  ),
  since: valueFlag(
    "--since <dur>",
    "only jobs created within this duration, up to 720h (default: 24h)",
    durationArg(LIST_SINCE_MAX_MS),
  ),
  limit: valueFlag(
    "--limit <n>",
    "at most this many jobs, newest first (default: 100)",
    intArg(1, 10000),
  ),
  json: booleanFlag("--json", "print a JSON array"),
};

/** The flags of `jobs batch status`. */
export const batchStatusFlags = {
  id: requiredFlag(valueFlag("--id <id>", "the batch id", uuidArg)),
  watch: booleanFlag(
    "--watch",
    "poll every 2 s until every target has ended",
  ),
  timeout: valueFlag(
    "--timeout <dur>",
    "time limit for --watch (default: hatchet.job_timeout)",
    longDurationArg(),
  ),
  json: booleanFlag("--json", "print JSON"),
};

/** The flags of `jobs batch cancel`. */
export const batchCancelFlags = {
  id: requiredFlag(valueFlag("--id <id>", "the batch id", uuidArg)),
  json: booleanFlag("--json", "print JSON"),
};

/** `jobs batch status|cancel`. */
const batch: Group<Cx> = {
  kind: "group",
  name: "batch",
  description: "follow or cancel a batch (jobs enqueue --targets)",
  flags: {},
  commands: [
    {
      kind: "command",
      name: "status",
      description:
        "print each target's outcome and the summary; with --watch, until every target has ended",
      flags: batchStatusFlags,
      loader: lazy<typeof import("./batch_status.ts")>(
        "commands/jobs/batch_status.ts",
      ),
    },
    {
      kind: "command",
      name: "cancel",
      description:
        "cancel a batch: its parent and the jobs not ended; targets not started are cancelled",
      flags: batchCancelFlags,
      loader: lazy<typeof import("./batch_cancel.ts")>(
        "commands/jobs/batch_cancel.ts",
      ),
    },
  ],
};

/** `jobs enqueue|status|cancel|logs|run|list|batch`: durable jobs on Hatchet. */
export const jobs: Group<Cx> = {
  kind: "group",
  name: "jobs",
  description: "enqueue, track and cancel durable jobs on Hatchet-lite",
  flags: {},
  commands: [
    {
      kind: "command",
      name: "enqueue",
      description:
        "enqueue a job and print its job_id without waiting; with --targets, a batch (one job per target, paced by the engine) and its batch_id",
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
      flags: runFlags,
      loader: lazy<typeof import("./run.ts")>("commands/jobs/run.ts"),
    },
    {
      kind: "command",
      name: "list",
      description:
        "list jobs (newest first), filtered on their target, batch, type and state (all must match)",
      flags: listFlags,
      loader: lazy<typeof import("./list.ts")>("commands/jobs/list.ts"),
    },
    batch,
  ],
};
