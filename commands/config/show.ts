import type { Parsed } from "../../lib/cli/mod.ts";
import type { Cx } from "../_io.ts";
import { entryRow as row } from "../_targets.ts";
import { withContextOf } from "../_with_context.ts";

/** `win-automation config show`: each effective value and its source. */
export default async function configShowCommand(
  { io, state, globals }: Cx,
  _opts: Parsed<Record<never, never>>,
  _words: string[],
): Promise<void> {
  await withContextOf(io, state, globals)("config.show", (ctx) => {
    for (const entry of ctx.config.entries) ctx.out.emit(row(entry));
    // Each target's settings, when the file names targets (a config without
    // them has one implicit target, whose settings are the lines above).
    const targets = Object.values(ctx.config.targets);
    if (targets.length > 1 || targets[0]?.name !== "default") {
      for (const target of targets) {
        for (const entry of target.entries) ctx.out.emit(row(entry));
        const at = `targets.${target.name}`;
        ctx.out.emit({ key: `${at}.desktop`, value: target.desktop });
        ctx.out.emit({ key: `${at}.tags`, value: target.tags.join(",") });
      }
      ctx.out.emit({ key: "target", value: ctx.config.target });
    }
    if (ctx.config.configPath) {
      const source = globals().config === undefined ? "env" : "flag";
      ctx.out.emit({
        key: "config_file",
        value: ctx.config.configPath,
        source,
        env: "WIN_AUTOMATION_CONFIG",
      });
    }
  });
}
