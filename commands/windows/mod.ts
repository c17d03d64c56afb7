/**
 * `win-automation windows`: the route map; `exec` and `reboot` load when
 * they run.
 * @module
 */
import { booleanFlag, type Group, lazy, valueFlag } from "../../lib/cli/mod.ts";
import type { Cx } from "../_io.ts";
import { longDurationArg, targetFlag } from "../_flags.ts";

/** The flags of `windows exec`. */
export const execFlags = {
  target: targetFlag(),
  raw: booleanFlag(
    "--raw",
    "print the command's stdout only, with no structured logs",
  ),
  timeout: valueFlag(
    "--timeout <dur>",
    "time limit (default: config timeout)",
    longDurationArg(),
  ),
  idempotent: booleanFlag(
    "--idempotent",
    "run --idempotent-check first and skip when it exits 0",
  ),
  idempotentCheck: valueFlag(
    "--idempotent-check <ps>",
    "PowerShell that exits 0 when the work is already done",
  ),
};

/** The flags of `windows reboot`. */
export const rebootFlags = {
  target: targetFlag(),
  wait: booleanFlag(
    "--wait",
    "return once Windows answers again with a new boot time",
  ),
  timeout: valueFlag(
    "--timeout <dur>",
    "time limit of the whole reboot (default: config hatchet.job_timeout)",
    longDurationArg(),
  ),
};

/** `windows exec` and `windows reboot`. */
export const windows: Group<Cx> = {
  kind: "group",
  name: "windows",
  description: "run commands on the Windows host over SSH",
  flags: {},
  commands: [{
    kind: "command",
    name: "exec",
    description:
      "run a PowerShell command on Windows; exit 1 when it exits non-zero",
    argument: {
      name: "command",
      description: "the PowerShell command (put it after --)",
      variadic: true,
    },
    flags: execFlags,
    loader: lazy<typeof import("./exec.ts")>("commands/windows/exec.ts"),
  }, {
    kind: "command",
    name: "reboot",
    description:
      "restart Windows; --wait returns once ssh answers with a new boot time",
    flags: rebootFlags,
    loader: lazy<typeof import("./reboot.ts")>("commands/windows/reboot.ts"),
  }],
};
