import type { Parsed } from "../../lib/cli/mod.ts";
import type { Cx } from "../_io.ts";
import type { attachFlags } from "./mod.ts";
import { withContextOf } from "../_with_context.ts";
import { followPrinter, printRunResult } from "./_print.ts";

/**
 * `win-automation windows attach --run <id>`: wait for a run, print its
 * output as `windows exec` does and exit with its outcome. The run is never
 * started, and never stopped by a timeout here.
 */
export default async function windowsAttachCommand(
  { io, state, globals }: Cx,
  opts: Parsed<typeof attachFlags>,
): Promise<void> {
  const withContext = withContextOf(io, state, globals);
  await withContext({ op: "windows.attach", raw: opts.raw }, async (ctx) => {
    const { attachRun } = await import("../../lib/windows/mod.ts");
    const started = performance.now();
    const result = await attachRun(ctx.ssh(), opts.run, {
      timeoutMs: 0,
      waitMs: opts.timeout ?? ctx.config.limits.jobMs,
      logger: ctx.logger,
      onLine: opts.follow ? followPrinter(io, ctx, opts.raw) : undefined,
    });
    printRunResult(io, ctx, state, result, {
      op: "windows.attach",
      raw: opts.raw,
      follow: opts.follow,
      fields: { duration_ms: Math.round(performance.now() - started) },
    });
  });
}
