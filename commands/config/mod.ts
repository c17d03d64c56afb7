/**
 * `win-automation config`: the route map; `show` loads when it runs.
 * @module
 */
import { type Group, lazy } from "../../lib/cli/mod.ts";
import type { Cx } from "../_io.ts";

/** `config show`. */
export const config: Group<Cx> = {
  kind: "group",
  name: "config",
  description: "inspect the effective configuration",
  flags: {},
  commands: [{
    kind: "command",
    name: "show",
    description:
      "print each config value with its source (default, file or env); secrets redacted",
    flags: {},
    loader: lazy<typeof import("./show.ts")>("commands/config/show.ts"),
  }],
};
