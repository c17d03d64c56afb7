import { Command } from "@commander-js/extra-typings";
import type { Globals, Io, RunState } from "./_io.ts";
import { withContextOf } from "./_with_context.ts";

/** `win-automation config show`: each effective value and its source. */
export function configCommand(io: Io, state: RunState, globals: Globals) {
  const config = new Command("config").description(
    "inspect the effective configuration",
  );
  config.command("show")
    .description(
      "print each config value with its source (default, file or env); secrets redacted",
    )
    .action(() =>
      withContextOf(io, state, globals)("config.show", (ctx) => {
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
      })
    );
  return config;
}
