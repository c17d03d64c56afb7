import type { Parsed } from "../../lib/cli/mod.ts";
import type { Cx } from "../_io.ts";
import type { installFlags } from "./mod.ts";
import { withContextOf } from "../_with_context.ts";

/** `win-automation playwright install`: the Playwright server on Windows. */
export default async function playwrightInstallCommand(
  { io, state, globals }: Cx,
  opts: Parsed<typeof installFlags>,
  _words: string[],
): Promise<void> {
  const withContext = withContextOf(io, state, globals);
  await withContext("playwright.install", async (ctx) => {
    const { installPlaywright, serverBinding } = await import(
      "../../lib/playwright/mod.ts"
    );
    const { DependencyError } = await import("../../lib/errors/mod.ts");
    const p = ctx.config.playwright;
    const port = opts.port ?? p.port;
    try {
      const result = await installPlaywright(ctx.ssh(), {
        wsPath: p.wsPath,
        port,
        channel: p.channel,
        executablePath: p.executablePath,
        timeoutMs: ctx.config.limits.stepMs,
        logger: ctx.logger,
        // bindHost/allowFrom: 127.0.0.1 and no firewall rule through ssh,
        // 0.0.0.0 and a rule for windows.allow_from in direct mode.
        ...serverBinding(ctx.config),
      });
      ctx.out.emit({
        state: "installed",
        component: "playwright",
        port,
        playwright_version: result.playwrightVersion,
        changed: result.changed.join(",") || "none",
      });
    } catch (error) {
      if (error instanceof DependencyError && error.fields.fix) {
        ctx.out.emit({
          state: "error",
          component: "playwright",
          err: error.fields.err,
          fix: error.fields.fix,
        });
      }
      throw error;
    }
  });
}
