/**
 * `win-automation supervisor`: the route map; `run` loads when it runs.
 * @module
 */
import { booleanFlag, type Group, lazy, valueFlag } from "../../lib/cli/mod.ts";
import type { Cx } from "../_io.ts";
import { durationArg, targetFlag, targetsFlag } from "../_flags.ts";

/** The flags of `supervisor run`. */
export const runFlags = {
  target: targetFlag(),
  targets: targetsFlag(),
  once: booleanFlag("--once", "run one pass; exit 0 healthy, 1 unhealthy"),
  debug: booleanFlag("--debug", "verbose logs on stderr"),
  interval: valueFlag(
    "--interval <dur>",
    "pause between passes without --once (default: 30s)",
    durationArg(),
  ),
};

/** `supervisor run`. */
export const supervisor: Group<Cx> = {
  kind: "group",
  name: "supervisor",
  description: "keep the Windows session healthy: check, remediate, repeat",
  flags: {},
  commands: [{
    kind: "command",
    name: "run",
    description:
      "check SSH, Aloha server and client, Hatchet-lite and Playwright in order; remediate what fails",
    flags: runFlags,
    loader: lazy<typeof import("./run.ts")>("commands/supervisor/run.ts"),
  }],
};
