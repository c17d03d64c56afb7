import type { Parsed } from "../../lib/cli/mod.ts";
import type { Cx } from "../_io.ts";
import { withContextOf } from "../_with_context.ts";

/** `win-automation playwright health`: connect and report the server's version. */
export default async function playwrightHealthCommand(
  { io, state, globals }: Cx,
  _opts: Parsed<Record<never, never>>,
  _words: string[],
): Promise<void> {
  const withContext = withContextOf(io, state, globals);
  await withContext("playwright.health", async (ctx) => {
    const { playwrightHealth, targetOf, CLIENT_VERSION } = await import(
      "../../lib/playwright/mod.ts"
    );
    const { DependencyError } = await import("../../lib/errors/mod.ts");
    const log = ctx.logger.scope("playwright", "playwright.health");
    try {
      const health = await playwrightHealth(
        targetOf(ctx.config, ctx.ssh()),
        {
          timeoutMs: ctx.config.limits.playwrightConnectMs,
        },
      );
      log.info(
        "playwright healthy",
        {
          version: health.version,
          browser_version: health.browserVersion,
        },
      );
      ctx.out.emit({
        state: "ok",
        component: "playwright",
        version: health.version,
        client_version: CLIENT_VERSION,
        browser_version: health.browserVersion,
      });
    } catch (error) {
      if (!(error instanceof DependencyError)) throw error;
      const mismatch = error.fields.err === "version_mismatch";
      // The whole message as err, over the kind in fields.err.
      log.error("playwright unavailable", {
        ...error.fields,
        exit_code: error.exitCode,
        err: error.message,
      });
      ctx.out.emit({
        state: "error",
        component: "playwright",
        err: mismatch ? "version_mismatch" : error.message,
        server_version: error.fields.server_version,
        client_version: mismatch ? CLIENT_VERSION : undefined,
      });
      state.exitCode = error.exitCode;
    }
  });
}
