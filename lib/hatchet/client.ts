import type { HatchetClient } from "@hatchet-dev/typescript-sdk";
import type { ResolvedConfig } from "../config/mod.ts";
import { ConfigError, errorMessage } from "../errors/mod.ts";
import type { Logger } from "../log/mod.ts";
import { sdkLogger } from "./sdk_logger.ts";

/** The SDK module, loaded on first use only (it is heavy). */
export function loadSdk() {
  return import("@hatchet-dev/typescript-sdk");
}

/**
 * Opens a Hatchet client from the resolved config. The token comes only from
 * the environment (config never holds it in a file); it is passed in memory,
 * never through argv or a file.
 */
export async function connectHatchet(
  config: ResolvedConfig,
  logger: Logger,
  op: string,
): Promise<HatchetClient> {
  const h = config.hatchet;
  if (!h.token) {
    throw new ConfigError(
      "WIN_AUTOMATION_HATCHET_TOKEN",
      "must be set to reach Hatchet (create one with: hatchet-admin token create)",
    );
  }
  const sdk = await loadSdk();
  try {
    return sdk.HatchetClient.init({
      token: h.token,
      host_port: h.grpcAddress,
      api_url: h.httpUrl,
      tls_config: {
        tls_strategy: (h.tlsStrategy || "tls") as "tls" | "mtls" | "none",
      },
      namespace: h.namespace,
      log_level: logger.debugEnabled ? "DEBUG" : "WARN",
      logger: sdkLogger(logger, op),
    });
  } catch (error) {
    // The SDK's messages about a bad token never contain the token itself,
    // but keep only the first line, redacted, to be sure nothing leaks.
    const why = logger.redact(
      errorMessage(error).split("\n")[0]!,
    );
    throw new ConfigError(
      "WIN_AUTOMATION_HATCHET_TOKEN",
      `is not a usable Hatchet token (${why})`,
      {
        cause: error,
      },
    );
  }
}
