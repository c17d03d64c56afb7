import { errorLine, oneLine } from "../errors/mod.ts";
import type { Logger } from "../log/mod.ts";

type Extra = Record<string, unknown> | undefined;

/** One extra value as one line: an Error by its message, never its stack. */
function extraValue(value: unknown): string {
  if (value instanceof Error) return errorLine(value);
  if (typeof value === "string") return oneLine(value);
  let text: string | undefined;
  try {
    text = JSON.stringify(
      value,
      (key, v) =>
        key === "stack" ? undefined : v instanceof Error ? errorLine(v) : v,
    );
  } catch {
    text = String(value);
  }
  return oneLine(text ?? String(value));
}

function fields(context: string, extra: Extra, error?: unknown) {
  const out: Record<string, string | undefined> = { sdk: context };
  if (error !== undefined && error !== null) out.err = errorLine(error);
  if (extra) {
    for (const [k, v] of Object.entries(extra)) {
      if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(k) && k !== "stack") {
        out[`sdk_${k}`] = extraValue(v);
      }
    }
  }
  return out;
}

/**
 * Adapts our key=value logger to the Hatchet SDK's logger interface, so the
 * SDK's own messages become `component=hatchet` lines (and pass the same
 * secret redaction). Errors and extra values are reduced to one line: a
 * message, never a stack trace. SDK debug lines appear only with debug on.
 */
export function sdkLogger(logger: Logger, op: string) {
  return (context: string) => ({
    debug: (message: string, extra?: Extra) =>
      logger.scope("hatchet", op).debug(
        oneLine(message),
        fields(context, extra),
      ),
    info: (message: string, extra?: Extra) =>
      logger.scope("hatchet", op).debug(
        oneLine(message),
        fields(context, extra),
      ),
    green: (message: string, extra?: Extra) =>
      logger.scope("hatchet", op).debug(
        oneLine(message),
        fields(context, extra),
      ),
    warn: (message: string, error?: Error, extra?: Extra) =>
      logger.scope("hatchet", op).warn(
        oneLine(message),
        fields(context, extra, error),
      ),
    error: (message: string, error?: Error, extra?: Extra) =>
      logger.scope("hatchet", op).log(
        "error",
        oneLine(message),
        fields(context, extra, error),
      ),
    util: (_key: string, message: string, extra?: Extra) =>
      logger.scope("hatchet", op).debug(
        oneLine(message),
        fields(context, extra),
      ),
  });
}
