/**
 * `win-automation windows`: the route map; each command loads when it runs.
 * @module
 */
import {
  booleanFlag,
  type Group,
  InvalidArgumentError,
  lazy,
  requiredFlag,
  valueFlag,
} from "../../lib/cli/mod.ts";
import type { Cx } from "../_io.ts";
import { intArg, longDurationArg, targetFlag, textArg } from "../_flags.ts";
import { fanOutFlags } from "../_fan_out.ts";

/**
 * A run id: 1-64 letters, digits, `_` or `-` (it becomes a folder name on
 * Windows; the same rule as lib/windows' RUN_ID_PATTERN, which this module
 * does not import so that the route map loads nothing else).
 */
function runIdArg(value: string): string {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(value)) {
    throw new InvalidArgumentError(
      `must be 1-64 letters, digits, "_" or "-", got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

/** The flags of `windows exec`. */
export const execFlags = {
  target: targetFlag(),
  raw: booleanFlag(
    "--raw",
    "print the command's stdout only, with no structured logs",
  ),
  timeout: valueFlag(
    "--timeout <dur>",
    "time limit of the whole run (default: config timeout)",
    longDurationArg(),
  ),
  follow: booleanFlag(
    "--follow",
    "print output lines as they arrive",
  ),
  detach: booleanFlag(
    "--detach",
    "start the run and return: run_id=<id> state=running",
  ),
  rebootIfRequired: booleanFlag(
    "--reboot-if-required",
    "on exit 3010 or 1641 restart Windows, wait for it and report state=completed reboot=true",
  ),
  idempotent: booleanFlag(
    "--idempotent",
    "run --idempotent-check first and skip when it exits 0",
  ),
  idempotentCheck: valueFlag(
    "--idempotent-check <ps>",
    "PowerShell that exits 0 when the work is already done",
  ),
  ...fanOutFlags(),
  outDir: valueFlag(
    "--out-dir <dir>",
    "with --targets: write <target>.stdout, .stderr and .json into <dir>",
    textArg,
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

/** The flags of `windows attach`. */
export const attachFlags = {
  target: targetFlag(),
  run: requiredFlag(valueFlag("--run <id>", "the run id", runIdArg)),
  raw: booleanFlag(
    "--raw",
    "print the command's stdout only, with no structured logs",
  ),
  follow: booleanFlag("--follow", "print output lines as they arrive"),
  timeout: valueFlag(
    "--timeout <dur>",
    "how long to wait (default: hatchet.job_timeout); the run is not stopped",
    longDurationArg(),
  ),
};

/** The flags of `windows runs list`. */
export const runsListFlags = { target: targetFlag() };

/** The flags of `windows runs gc`. */
export const runsGcFlags = {
  target: targetFlag(),
  days: valueFlag(
    "--days <n>",
    "retention in days (default: artifacts.retention_days)",
    intArg(1, 3650),
  ),
  dryRun: booleanFlag(
    "--dry-run",
    "list what would be deleted, delete nothing",
  ),
};

/** `windows exec`, `windows reboot`, `windows attach`, `windows runs list|gc`. */
export const windows: Group<Cx> = {
  kind: "group",
  name: "windows",
  description: "run commands on the Windows host over SSH",
  flags: {},
  commands: [{
    kind: "command",
    name: "exec",
    description:
      "run a PowerShell command on Windows as a run; exit 1 when it exits non-zero",
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
  }, {
    kind: "command",
    name: "attach",
    description: "wait for a run, print its output and exit with its exit code",
    flags: attachFlags,
    loader: lazy<typeof import("./attach.ts")>("commands/windows/attach.ts"),
  }, {
    kind: "group",
    name: "runs",
    description: "the runs on the Windows host",
    flags: {},
    commands: [{
      kind: "command",
      name: "list",
      description: "one line per run: run_id, state, started, exit_code",
      flags: runsListFlags,
      loader: lazy<typeof import("./runs_list.ts")>(
        "commands/windows/runs_list.ts",
      ),
    }, {
      kind: "command",
      name: "gc",
      description:
        "delete run folders on Windows older than the retention (as artifacts gc does on Linux)",
      flags: runsGcFlags,
      loader: lazy<typeof import("./runs_gc.ts")>(
        "commands/windows/runs_gc.ts",
      ),
    }],
  }],
};
