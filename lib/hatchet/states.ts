/** The job states of the CLI contract. */
export type JobState =
  | "queued"
  | "running"
  | "completed"
  | "failed"
  | "cancelled"
  /** No worker serving the job's target took it within `hatchet.schedule_timeout`. */
  | "undeliverable";

/** Terminal job states. */
export const TERMINAL_STATES: ReadonlySet<JobState> = new Set([
  "completed",
  "failed",
  "cancelled",
  "undeliverable",
]);

/** Maps a Hatchet V1TaskStatus (`QUEUED`, `RUNNING`, ...) to a job state. */
export function jobStateOf(status: string): JobState {
  switch (status.toUpperCase()) {
    case "QUEUED":
      return "queued";
    case "RUNNING":
      return "running";
    case "COMPLETED":
    case "SUCCEEDED":
      return "completed";
    case "CANCELLED":
      return "cancelled";
    default:
      return "failed";
  }
}
