import type { Parsed } from "../../lib/cli/mod.ts";
import { UsageError } from "../../lib/errors/mod.ts";
import type { Cx } from "../_io.ts";
import { entryRow as row, groupsOf } from "../_targets.ts";
import { withContextOf } from "../_with_context.ts";

/**
 * `win-automation targets show NAME`: the target's resolved settings, one
 * `key=targets.<name>.<path> value= source= env=` row each (as `config
 * show` prints them), then its address, desktop, tags and groups.
 */
export default async function targetsShowCommand(
  { io, state, globals }: Cx,
  _opts: Parsed<Record<never, never>>,
  words: string[],
): Promise<void> {
  const name = words[0]!;
  await withContextOf(io, state, globals)("targets.show", (ctx) => {
    const { config } = ctx;
    const target = config.targets[name];
    if (!target) {
      throw new UsageError(
        `usage error: targets show: unknown target ${
          JSON.stringify(name)
        } (known: ${Object.keys(config.targets).join(", ")})`,
      );
    }
    for (const entry of target.entries) ctx.out.emit(row(entry));
    const at = `targets.${name}`;
    const w = target.windows;
    ctx.out.emit({ key: `${at}.address`, value: `${w.sshHost}:${w.sshPort}` });
    ctx.out.emit({ key: `${at}.desktop`, value: target.desktop });
    ctx.out.emit({ key: `${at}.tags`, value: target.tags.join(",") });
    ctx.out.emit({
      key: `${at}.groups`,
      value: groupsOf(config.groups, name).join(","),
    });
  });
}
