import { UsageError } from "../../lib/errors/mod.ts";
import type { Cx } from "../_io.ts";
import { withContextOf } from "../_with_context.ts";

/**
 * `targets cordon|uncordon NAME`: sets the target's cordon on every worker
 * Hatchet lists for it (lib/hatchet/cordon.ts) and prints
 * `target= cordoned=yes|no workers= changed=` (and `shared_with=`, the other
 * targets those workers keep serving). An unknown NAME is exit 2 naming the
 * known ones; cordoning a target no worker serves is exit 1; Hatchet
 * unreachable is exit 3.
 */
export async function cordonCommand(
  { io, state, globals }: Cx,
  words: string[],
  cordon: boolean,
): Promise<void> {
  const name = words[0]!;
  const verb = cordon ? "cordon" : "uncordon";
  await withContextOf(io, state, globals)(`targets.${verb}`, async (ctx) => {
    const { config } = ctx;
    if (!config.targets[name]) {
      throw new UsageError(
        `usage error: targets ${verb}: unknown target ${
          JSON.stringify(name)
        } (known: ${Object.keys(config.targets).join(", ")})`,
      );
    }
    const hatchet = await import("../../lib/hatchet/mod.ts");
    const client = await hatchet.connectHatchet(config, ctx.logger, ctx.op);
    const r = await hatchet.setCordon(
      hatchet.hatchetCordonApi(client, config.hatchet),
      name,
      cordon,
    );
    ctx.out.emit({
      target: r.target,
      cordoned: r.cordoned,
      workers: r.workers,
      changed: r.changed,
      shared_with: r.sharedWith.join(",") || undefined,
    });
  });
}
