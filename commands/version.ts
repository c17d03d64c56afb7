import { Command } from "@commander-js/extra-typings";
import { encodeLine } from "../lib/log/mod.ts";
import { buildInfo } from "../lib/version/mod.ts";
import type { Io, RunState } from "./_io.ts";

/** `win-automation version`: `version=<semver> commit=<sha> deno=<v>`. */
export function versionCommand(io: Io, state: RunState) {
  return new Command("version")
    .description("print the version, commit and Deno version")
    .action(() => {
      state.op = "version";
      io.stdout(encodeLine({ ...buildInfo() }));
    });
}
