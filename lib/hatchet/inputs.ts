/** The job types the worker runs (Hatchet task names). */
export const JOB_TYPES = [
  "windows.exec",
  "aloha.run",
  "playwright.run",
  "windows.reboot",
] as const;

/** One job type. */
export type JobType = typeof JOB_TYPES[number];

/** Fields every job input carries. */
export interface CommonInput {
  /** This tool's trace id; also in Hatchet's additional metadata. */
  trace_id: string;
  /**
   * The engine's idempotency key (a CEL expression on the input reads it). A
   * random one is sent when the user gives none, so only `--idempotency-key`
   * ever deduplicates.
   */
  idempotency_key: string;
  /** PowerShell that exits 0 when the work is already done. */
  idempotent_check?: string;
  /**
   * The target the job is for; the run is routed to its workers and a
   * worker refuses a job for a target it does not serve. @default "default"
   */
  target?: string;
}

/** Input of `windows.exec`. */
export interface WindowsExecInput extends CommonInput {
  /** The PowerShell command. */
  cmd: string;
  /** Time limit of the command in ms. */
  timeout_ms?: number;
}

/** Input of `aloha.run`. */
export interface AlohaRunInput extends CommonInput {
  /** The task in plain words. */
  task: string;
  max_steps?: number;
  selected_screen?: number;
  /** Aloha's own `trace_id` (a recorded demonstration), if any. */
  demo_trace?: string;
  /**
   * The target's desktop (its `desktop`, by default `host:port`): one GUI
   * task at a time per desktop, the engine's concurrency key.
   */
  host: string;
}

/** Input of `playwright.run`. */
export interface PlaywrightRunInput extends CommonInput {
  /** The page to open. */
  url: string;
  /** Time limit of the run in ms (default: the config timeout). */
  timeout_ms?: number;
  screenshot?: boolean;
  trace?: boolean;
  video?: boolean;
}

/** Input of `windows.reboot`. */
export interface WindowsRebootInput extends CommonInput {
  /** Time limit of the whole reboot (request and wait) in ms. */
  timeout_ms?: number;
}

/** Input of each job type. */
export interface JobInputs {
  "windows.exec": WindowsExecInput;
  "aloha.run": AlohaRunInput;
  "playwright.run": PlaywrightRunInput;
  "windows.reboot": WindowsRebootInput;
}

/** What every job's output carries (all but a refused job's). */
export interface CommonOutput {
  /** How long the attempt that ended the job took, in ms (the worker's clock). */
  duration_ms?: number;
}

/**
 * Output of `windows.exec` (a completed job's; a failed job's output is
 * rebuilt from its task log, since the engine keeps none).
 */
export interface WindowsExecOutput extends CommonOutput {
  state: "completed" | "skipped";
  exit_code?: number;
  /** The command's stdout, redacted, cut at 1 MiB (UTF-8 bytes). */
  stdout?: string;
  /** The command's stderr, redacted, cut at 1 MiB (UTF-8 bytes). */
  stderr?: string;
  /** Whether stdout was cut. */
  stdout_truncated?: boolean;
  /** Whether stderr was cut. */
  stderr_truncated?: boolean;
  /** Kept for compatibility: the same as `stdout_truncated`. */
  truncated?: boolean;
}

/** Output of `playwright.run`. */
export interface PlaywrightRunOutput extends CommonOutput {
  state: "completed" | "skipped";
  /** `<out_dir>/<job_id>` on the worker's host. */
  artifact_root?: string;
  /** Artifact kind to path. */
  artifacts?: Record<string, string>;
  http_status?: number;
}

/** Output of `windows.reboot`. */
export interface WindowsRebootOutput extends CommonOutput {
  state: "completed" | "skipped";
  /** The boot time after the restart. */
  last_boot?: string;
  /** The boot time when the restart was requested. */
  previous_boot?: string;
}

/** Output of `aloha.run`. */
export interface AlohaRunOutput extends CommonOutput {
  state: "completed" | "started" | "skipped";
}
