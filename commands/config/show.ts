import type { Parsed } from "../../lib/cli/mod.ts";
import type { Cx } from "../_io.ts";
import { withContextOf } from "../_with_context.ts";

/** `win-automation config show`: each effective value and its source. */
export default async function configShowCommand(
  { io, state, globals }: Cx,
  _opts: Parsed<Record<never, never>>,
  _words: string[],
): Promise<void> {
  await withContextOf(io, state, globals)("config.show", (ctx) => {
    for (const entry of ctx.config.entries) {
      const value = entry.secret
        ? (entry.value === "" ? "" : "<redacted>")
        : entry.value;
      ctx.out.emit({
        key: entry.path,
        value,
        source: entry.source,
        env: entry.env,
      });
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
