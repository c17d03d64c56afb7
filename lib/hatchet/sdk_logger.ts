import type { Logger } from "../log/mod.ts";

type Extra = Record<string, unknown> | undefined;

function fields(context: string, extra: Extra, error?: Error) {
  const out: Record<string, string | undefined> = { sdk: context };
  if (error) out.err = error.message;
  if (extra) {
    for (const [k, v] of Object.entries(extra)) {
      if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(k)) {
        out[`sdk_${k}`] = typeof v === "string" ? v : JSON.stringify(v);
      }
    }
  }
  return out;
}

/**
 * Adapts our key=value logger to the Hatchet SDK's logger interface, so the
 * SDK's own messages become `component=hatchet` lines (and pass the same
 * secret redaction). SDK debug lines appear only with debug on.
 */
export function sdkLogger(logger: Logger, op: string) {
  return (context: string) => ({
    debug: (message: string, extra?: Extra) =>
      logger.debug("hatchet", op, message, fields(context, extra)),
    info: (message: string, extra?: Extra) =>
      logger.debug("hatchet", op, message, fields(context, extra)),
    green: (message: string, extra?: Extra) =>
      logger.debug("hatchet", op, message, fields(context, extra)),
    warn: (message: string, error?: Error, extra?: Extra) =>
      logger.warn("hatchet", op, message, fields(context, extra, error)),
    error: (message: string, error?: Error, extra?: Extra) =>
      logger.log(
        "error",
        "hatchet",
        op,
        message,
        fields(context, extra, error),
      ),
    util: (_key: string, message: string, extra?: Extra) =>
      logger.debug("hatchet", op, message, fields(context, extra)),
  });
}
