import type { Parsed } from "../../lib/cli/mod.ts";
import type { Cx } from "../_io.ts";
import type { rebootFlags } from "./mod.ts";
import { withContextOf } from "../_with_context.ts";

/**
 * `win-automation windows reboot`: asks Windows to restart; with `--wait`,
 * returns once ssh answers again with a new boot time.
 */
export default async function windowsRebootCommand(
  { io, state, globals }: Cx,
  opts: Parsed<typeof rebootFlags>,
  _words: string[],
): Promise<void> {
  const withContext = withContextOf(io, state, globals);
  await withContext("windows.reboot", async (ctx) => {
    const { rebootAndWait } = await import("../../lib/windows/mod.ts");
    const { newJobId } = await import("../../lib/ids/mod.ts");
    const log = ctx.logger.scope("ssh", "windows.reboot");
    const started = performance.now();
    const result = await rebootAndWait(ctx.ssh(), {
      requestId: newJobId(),
      wait: opts.wait === true,
      timeoutMs: opts.timeout ?? ctx.config.limits.rebootMs,
      requestTimeoutMs: ctx.config.limits.stepMs,
      logger: ctx.logger,
    });
    const fields = {
      state: result.state,
      reboot: result.state === "completed" ? true : undefined,
      last_boot: result.lastBoot,
      previous_boot: result.previousBoot,
      duration_ms: Math.round(performance.now() - started),
    };
    log.info(
      result.state === "completed"
        ? "Windows restarted"
        : "Windows accepted the restart",
      fields,
    );
    ctx.out.emit(fields);
  });
}
