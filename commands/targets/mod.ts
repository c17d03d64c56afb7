/**
 * `win-automation targets`: the route map; each command loads when it runs.
 * @module
 */
import { booleanFlag, type Group, lazy } from "../../lib/cli/mod.ts";
import type { Cx } from "../_io.ts";

/** The flags of `targets list`. */
export const listFlags = {
  json: booleanFlag("--json", "print JSON"),
};

/** `targets list`, `targets show`, `targets cordon`, `targets uncordon`. */
export const targets: Group<Cx> = {
  kind: "group",
  name: "targets",
  description: "the Windows targets of the config and the workers serving them",
  flags: {},
  commands: [
    {
      kind: "command",
      name: "list",
      description:
        "one line per target: address, groups, tags, the Hatchet workers that serve it and its cordon",
      flags: listFlags,
      loader: lazy<typeof import("./list.ts")>("commands/targets/list.ts"),
    },
    {
      kind: "command",
      name: "show",
      description:
        "one target's resolved settings with their sources; secrets redacted",
      argument: { name: "name", description: "the target's name" },
      flags: {},
      loader: lazy<typeof import("./show.ts")>("commands/targets/show.ts"),
    },
    {
      kind: "command",
      name: "cordon",
      description:
        "the target's workers take none of its new jobs (they wait, queued); running jobs finish",
      argument: { name: "name", description: "the target's name" },
      flags: {},
      loader: lazy<typeof import("./cordon.ts")>("commands/targets/cordon.ts"),
    },
    {
      kind: "command",
      name: "uncordon",
      description: "the target's workers take its jobs again",
      argument: { name: "name", description: "the target's name" },
      flags: {},
      loader: lazy<typeof import("./uncordon.ts")>(
        "commands/targets/uncordon.ts",
      ),
    },
  ],
};
