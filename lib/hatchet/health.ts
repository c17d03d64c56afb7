import { httpRequest, type HttpRequestOptions } from "../http/mod.ts";
import type { Logger } from "../log/mod.ts";

/** The result of Hatchet-lite's health endpoints. */
export interface HatchetHealth {
  live: boolean;
  ready: boolean;
}

/**
 * Asks Hatchet-lite's health server (`/live`, `/ready`), with the retry
 * policy. Unreachable after the retries throws a DependencyError.
 */
export async function hatchetHealth(
  healthUrl: string,
  options: {
    timeoutMs: number;
    logger?: Logger;
    http?: Pick<HttpRequestOptions, "fetch" | "sleep" | "retryDelaysMs">;
  },
): Promise<HatchetHealth> {
  const ask = async (path: string) => {
    const answer = await httpRequest(`${healthUrl}${path}`, {
      ...options.http,
      timeoutMs: options.timeoutMs,
      log: options.logger?.scope("hatchet", "hatchet.health"),
      what: `Hatchet health ${path}`,
    });
    return answer.status === 200;
  };
  const live = await ask("/live");
  const ready = await ask("/ready");
  return { live, ready };
}
