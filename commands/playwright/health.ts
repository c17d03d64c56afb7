import type { Parsed } from "../../lib/cli/mod.ts";
import type { Cx } from "../_io.ts";

/** `win-automation playwright health`: connect and report the server's version. */
export default async function playwrightHealthCommand(
  { io, state, globals }: Cx,
  _opts: Parsed<Record<never, never>>,
  _words: string[],
): Promise<void> {
  const { createContext } = await import("../_context.ts");
  const { playwrightHealth, targetOf, CLIENT_VERSION } = await import(
    "../../lib/playwright/mod.ts"
  );
  const { DependencyError } = await import("../../lib/errors/mod.ts");
  const ctx = await createContext(io, state, {
    op: "playwright.health",
    configPath: globals().config,
  });
  try {
    const health = await playwrightHealth(targetOf(ctx.config, ctx.ssh()), {
      timeoutMs: ctx.config.timeoutMs,
    });
    ctx.logger.info(
      "playwright",
      "playwright.health",
      "playwright healthy",
      {
        version: health.version,
        browser_version: health.browserVersion,
      },
    );
    ctx.emit({
      state: "ok",
      component: "playwright",
      version: health.version,
      client_version: CLIENT_VERSION,
      browser_version: health.browserVersion,
    });
  } catch (error) {
    if (!(error instanceof DependencyError)) throw error;
    const mismatch = error.fields.err === "version_mismatch";
    ctx.logger.error(
      "playwright",
      "playwright.health",
      "playwright unavailable",
      error.message,
      { ...error.fields, exit_code: error.exitCode },
    );
    ctx.emit({
      state: "error",
      component: "playwright",
      err: mismatch ? "version_mismatch" : error.message,
      server_version: error.fields.server_version,
      client_version: mismatch ? CLIENT_VERSION : undefined,
    });
    state.exitCode = error.exitCode;
  }
}
