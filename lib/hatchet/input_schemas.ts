import { z } from "zod";
import {
  DURATION_MAX_MS,
  DURATION_MIN_MS,
  LONG_DURATION_MAX_MS,
} from "../duration/mod.ts";
import { quote } from "../errors/mod.ts";
import type { JobInputs, JobType } from "./inputs.ts";

const got = (iss: { input?: unknown }) => `got ${quote(iss.input)}`;

const text = (what: string, max: number) =>
  z.string({ error: (iss) => `must be ${what}, ${got(iss)}` })
    .refine((v) => v.trim() !== "", { error: "must not be empty", abort: true })
    .refine((v) => v.length <= max, {
      error: `must be at most ${max} characters`,
    });

const int = (min: number, max: number) => {
  const reason = (iss: { input?: unknown }) =>
    `must be an integer from ${min} to ${max}, ${got(iss)}`;
  return z.number({ error: reason }).int({ error: reason })
    .min(min, { error: reason }).max(max, { error: reason });
};

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const name = z.string({ error: (iss) => `must be a string, ${got(iss)}` })
  .regex(NAME, {
    error: (iss) =>
      `must be 1-128 letters, digits, ".", "_" or "-", ${got(iss)}`,
  });

const flag = z.boolean({
  error: (iss) => `must be true or false, ${got(iss)}`,
});

/** Time limits a job input may carry: 1 s to 1 h, in ms. */
const timeoutMs = int(DURATION_MIN_MS, DURATION_MAX_MS);
/** A command's time limit: 1 s to 24 h, in ms (its run outlives reconnects). */
const runTimeoutMs = int(DURATION_MIN_MS, LONG_DURATION_MAX_MS);

const common = {
  trace_id: name,
  target: z.string({ error: (iss) => `must be a string, ${got(iss)}` })
    .regex(/^[a-z0-9][a-z0-9-]{0,30}$/, {
      error: (iss) =>
        `must be a target name (a-z, 0-9 and "-", at most 31 characters), ${
          got(iss)
        }`,
    }).optional(),
  idempotency_key: z.string({
    error: (iss) => `must be a string, ${got(iss)}`,
    // The user's key (at most 255) after its target and "/" (at most 32).
  }).regex(/^[\x21-\x7e]{1,287}$/, {
    error: (iss) =>
      `must be 1-287 printable ASCII characters without spaces, ${got(iss)}`,
  }),
  idempotent_check: text("PowerShell text", 65_536).optional(),
};

/**
 * The zod schema of each job type's input: what the worker accepts from the
 * engine and what the CLI sends. Unknown keys are refused (strict), so a
 * misspelt field is an error instead of a silent default.
 */
export const JOB_INPUT_SCHEMAS = {
  "windows.exec": z.strictObject({
    ...common,
    cmd: text("PowerShell text", 1_048_576),
    timeout_ms: runTimeoutMs.optional(),
  }),
  "aloha.run": z.strictObject({
    ...common,
    task: text("a task in plain words", 65_536),
    max_steps: int(1, 1000).optional(),
    selected_screen: int(0, 16).optional(),
    demo_trace: name.optional(),
    host: text("a desktop (host:port)", 260),
  }),
  "playwright.run": z.strictObject({
    ...common,
    url: text("a URL", 8192),
    timeout_ms: timeoutMs.optional(),
    screenshot: flag.optional(),
    trace: flag.optional(),
    video: flag.optional(),
  }),
  "windows.reboot": z.strictObject({
    ...common,
    timeout_ms: runTimeoutMs.optional(),
  }),
} as const;

/** A job input that failed its schema: names the field, never retried. */
export class JobInputError extends Error {
  override readonly name = "JobInputError";
  constructor(
    message: string,
    /** The input field at fault (`timeout_ms`), or empty for the whole input. */
    readonly field: string,
  ) {
    super(message);
  }
}

/**
 * Checks a job input against its type's schema and returns it typed; throws
 * {@linkcode JobInputError} ("Cannot run windows.exec: input field
 * "timeout_ms" must be an integer ...") on the first problem.
 */
export function parseJobInput<T extends JobType>(
  type: T,
  raw: unknown,
): JobInputs[T] {
  const parsed = JOB_INPUT_SCHEMAS[type].safeParse(raw);
  if (parsed.success) return parsed.data as JobInputs[T];
  const issue = parsed.error.issues[0]!;
  const keys = (issue as { keys?: string[] }).keys;
  const field = [...issue.path.map(String), ...(keys?.slice(0, 1) ?? [])]
    .join(".");
  const why = issue.code === "unrecognized_keys"
    ? "is not a field of this job type"
    : issue.path.length === 0
    ? `must be an object, got ${quote(raw)}`
    : issue.message;
  throw new JobInputError(
    field
      ? `Cannot run ${type}: input field "${field}" ${why}`
      : `Cannot run ${type}: input ${why}`,
    field,
  );
}
