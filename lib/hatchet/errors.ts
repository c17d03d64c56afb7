import {
  DependencyError,
  DomainError,
  errorMessage,
  OperationalError,
} from "../errors/mod.ts";

/** Whether an SDK error means the engine could not be reached. */
export function isUnreachable(error: unknown): boolean {
  const e = error as {
    code?: unknown;
    message?: string;
    response?: unknown;
    cause?: unknown;
  };
  const text = `${e?.message ?? ""} ${String(e?.code ?? "")}`;
  if (e?.code === 14 || e?.code === 4) return true; // gRPC UNAVAILABLE, DEADLINE_EXCEEDED
  if (
    e?.response === undefined &&
    /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EAI_AGAIN|ENOTFOUND|socket hang up|Network Error|UNAVAILABLE|connection refused/i
      .test(text)
  ) {
    return true;
  }
  return false;
}

/** The HTTP status of an SDK REST error, if any. */
export function httpStatusOf(error: unknown): number | undefined {
  return (error as { response?: { status?: number } })?.response?.status;
}

/**
 * Turns an SDK failure into a domain error: unreachable engine is exit 3,
 * anything else exit 1. The message never carries request headers (the token).
 */
/** Whether a gRPC call failed because the engine has no such run. */
export function isGrpcNotFound(error: unknown): boolean {
  const code = (error as { code?: number } | null)?.code;
  return code === 5 /* NOT_FOUND */ ||
    /not found|no rows/i.test(errorMessage(error));
}

export function hatchetError(
  action: string,
  endpoint: string,
  error: unknown,
): DomainError {
  if (error instanceof DomainError) return error;
  const status = httpStatusOf(error);
  const raw = (error as Error)?.message ?? String(error);
  const message = raw.split("\n")[0]!.slice(0, 300);
  if (isUnreachable(error)) {
    return new DependencyError(
      `Cannot ${action}: Hatchet at ${endpoint} is unreachable (${message})`,
      {
        cause: error,
        fields: { state: "unreachable" },
      },
    );
  }
  if (status === 401 || status === 403) {
    return new DependencyError(
      `Cannot ${action}: Hatchet refused the token (HTTP ${status}); check WIN_AUTOMATION_HATCHET_TOKEN`,
      { cause: error, fields: { state: "unauthorized" } },
    );
  }
  return new OperationalError(
    `Cannot ${action}: ${status ? `HTTP ${status}: ` : ""}${message}`,
    {
      cause: error,
    },
  );
}
