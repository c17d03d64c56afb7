/**
 * A UUID (any version), case-insensitive: the form of Hatchet run ids, which
 * are this tool's job ids and artifact folder names.
 */
export const UUID_PATTERN =
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether a text is a job id (a Hatchet run id: a UUID). */
export function isJobId(text: string): boolean {
  return UUID_PATTERN.test(text);
}

/** A new job id for a direct (non-queued) run: a random UUID. */
export function newJobId(): string {
  return crypto.randomUUID();
}

/** What a trace id may be: 1-128 letters, digits, `.`, `_` or `-`. */
export const TRACE_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** Whether a text may be a trace id. */
export function isTraceId(text: string): boolean {
  return TRACE_ID_PATTERN.test(text);
}

/** A new trace id: 32 hex digits. */
export function newTraceId(): string {
  return crypto.randomUUID().replaceAll("-", "");
}
