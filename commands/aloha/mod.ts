/**
 * `win-automation aloha`: the route map; each command loads when it runs.
 * @module
 */
import {
  booleanFlag,
  type Group,
  lazy,
  requiredFlag,
  valueFlag,
} from "../../lib/cli/mod.ts";
import type { Cx } from "../_io.ts";
import {
  intArg,
  longDurationArg,
  nameArg,
  targetFlag,
  textArg,
} from "../_flags.ts";

/** The flags of `aloha install`. */
export const installFlags = {
  target: targetFlag(),
  desktopUser: valueFlag(
    "--desktop-user <user>",
    "the Windows user whose desktop the client drives (default: aloha.desktop_user)",
    nameArg(64),
  ),
};

/** The flags of `aloha run`. */
export const runFlags = {
  target: targetFlag(),
  task: requiredFlag(
    valueFlag("--task <text>", "the task in plain words", textArg),
  ),
  maxSteps: valueFlag("--max-steps <n>", "step limit", intArg(1, 1000)),
  selectedScreen: valueFlag(
    "--selected-screen <n>",
    "screen index",
    intArg(0, 16),
  ),
  traceId: valueFlag(
    "--trace-id <id>",
    "this tool's trace id (generated when absent)",
  ),
  demoTrace: valueFlag(
    "--demo-trace <name>",
    "Aloha recorded demonstration (trace_data/<name>.json); Aloha's own trace_id",
    nameArg(),
  ),
  idempotent: booleanFlag(
    "--idempotent",
    "run --idempotent-check first and skip when it exits 0",
  ),
  idempotentCheck: valueFlag(
    "--idempotent-check <ps>",
    "PowerShell that exits 0 when the work is already done",
  ),
  wait: booleanFlag(
    "--wait",
    "wait for the task to finish (needs aloha.client_log_path)",
  ),
  timeout: valueFlag(
    "--timeout <dur>",
    "time limit for --wait (default: hatchet.job_timeout)",
    longDurationArg(),
  ),
};

/** `aloha health|install|run`. */
export const aloha: Group<Cx> = {
  kind: "group",
  name: "aloha",
  description: "drive the ShowUI-Aloha GUI agent",
  flags: {},
  commands: [
    {
      kind: "command",
      name: "health",
      description:
        "check the Aloha server (GET /) and that the Aloha client answers",
      flags: { target: targetFlag() },
      loader: lazy<typeof import("./health.ts")>("commands/aloha/health.ts"),
    },
    {
      kind: "command",
      name: "install",
      description:
        "register the Aloha server and client as scheduled tasks on Windows and start them",
      flags: installFlags,
      loader: lazy<typeof import("./install.ts")>("commands/aloha/install.ts"),
    },
    {
      kind: "command",
      name: "run",
      description:
        "start an Aloha task; with --wait, follow the client log until it finishes",
      flags: runFlags,
      loader: lazy<typeof import("./run.ts")>("commands/aloha/run.ts"),
    },
  ],
};
