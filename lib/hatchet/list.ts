import type { HatchetClient } from "@hatchet-dev/typescript-sdk";
import type { TargetOutcome } from "../fleet/mod.ts";
import { childOutcome } from "./batch.ts";
import { hatchetError } from "./errors.ts";
import { errorText } from "./jobs.ts";
import { type JobState, jobStateOf, TERMINAL_STATES } from "./states.ts";

/** What `jobs list` filters on; every given filter must hold (AND). */
export interface ListFilter {
  target?: string;
  batch_id?: string;
  type?: string;
  /** Only runs in these states (Hatchet's statuses; `undeliverable` is read from FAILED). */
  states?: readonly JobState[];
  /** Runs created at or after this instant. */
  since: Date;
  /** At most this many rows, newest first. */
  limit: number;
}

/** One row of `jobs list`. */
export interface JobRow {
  job_id: string;
  type: string;
  target: string;
  batch_id: string;
  state: JobState;
  created: string;
  started: string | null;
  finished: string | null;
  exit_code: number | null;
  error: string | null;
  /** The task output (completed runs). */
  output?: unknown;
}

const STATUS_OF: Record<JobState, string> = {
  queued: "QUEUED",
  running: "RUNNING",
  completed: "COMPLETED",
  failed: "FAILED",
  cancelled: "CANCELLED",
  undeliverable: "FAILED",
};

/** The metadata pairs a filter asks for, as the runs API takes them: `key:value`. */
export function metadataPairs(filter: ListFilter): string[] {
  const pairs: string[] = [];
  if (filter.target !== undefined) pairs.push(`target:${filter.target}`);
  if (filter.batch_id !== undefined) pairs.push(`batch_id:${filter.batch_id}`);
  if (filter.type !== undefined) pairs.push(`type:${filter.type}`);
  return pairs;
}

function realTime(value: string | undefined): string | null {
  return !value || value.startsWith("0001-01-01") ? null : value;
}

/** A row of the runs API as a job row. */
export function jobRowOf(row: {
  taskExternalId?: string;
  workflowRunExternalId?: string;
  metadata: { id: string };
  status: string;
  createdAt?: string;
  startedAt?: string;
  finishedAt?: string;
  errorMessage?: string;
  additionalMetadata?: object;
  output?: object;
  displayName?: string;
  workflowName?: string;
}): JobRow {
  const meta = (row.additionalMetadata ?? {}) as Record<string, unknown>;
  const str = (v: unknown) => typeof v === "string" ? v : "";
  let state = jobStateOf(row.status);
  const started = realTime(row.startedAt);
  const error = state === "failed" || state === "cancelled"
    ? errorText(row.errorMessage)
    : null;
  // The REST view of a run no worker took: FAILED, no error, never started
  // (lib/hatchet/jobs.ts undeliverableReason).
  if (state === "failed" && error === null && started === null) {
    state = "undeliverable";
  }
  const target = str(meta.target);
  const view: JobRow = {
    job_id: row.workflowRunExternalId || row.taskExternalId ||
      row.metadata.id,
    type: str(meta.type) || row.workflowName || row.displayName || "",
    target,
    batch_id: str(meta.batch_id),
    state,
    created: row.createdAt ?? "",
    started,
    finished: TERMINAL_STATES.has(state) ? realTime(row.finishedAt) : null,
    exit_code: null,
    error,
    output: state === "completed" ? row.output : undefined,
  };
  const outcome = outcomeOfRow(view);
  view.exit_code = outcome.exit_code ?? null;
  return view;
}

/** A job row's outcome as a batch counts it (lib/hatchet/batch.ts childOutcome). */
export function outcomeOfRow(row: JobRow): TargetOutcome {
  return childOutcome({
    target: row.target,
    state: row.state,
    error: row.error,
    started_at: row.started,
    ended_at: row.finished,
    output: row.output,
  });
}

/** Rows per page of the runs API. */
const PAGE = 200;

/**
 * The jobs matching every filter (Hatchet's REST runs list, the raw call
 * with `additional_metadata_operator: "AND"`: the SDK's `runs.list` ORs
 * several pairs), newest first, at most `filter.limit`.
 */
export async function listJobs(
  hatchet: HatchetClient,
  filter: ListFilter,
  endpoint: string,
): Promise<JobRow[]> {
  const pairs = metadataPairs(filter);
  const statuses = filter.states === undefined
    ? undefined
    : [...new Set(filter.states.map((s) => STATUS_OF[s]))];
  const rows: JobRow[] = [];
  for (let offset = 0; rows.length < filter.limit; offset += PAGE) {
    let page;
    try {
      page = (await hatchet.api.v1WorkflowRunList(hatchet.tenantId, {
        since: filter.since.toISOString(),
        only_tasks: true,
        include_payloads: true,
        additional_metadata: pairs.length ? pairs : undefined,
        additional_metadata_operator: pairs.length ? "AND" as never : undefined,
        statuses: statuses as never,
        offset,
        limit: PAGE,
      })).data;
    } catch (error) {
      throw hatchetError("list jobs", endpoint, error);
    }
    for (const r of page.rows ?? []) {
      const row = jobRowOf(r as never);
      // Hatchet has no undeliverable status: FAILED covers both.
      if (filter.states && !filter.states.includes(row.state)) continue;
      rows.push(row);
    }
    if ((page.rows ?? []).length < PAGE) break;
  }
  return rows.slice(0, filter.limit);
}
