/**
 * The command tree and its dispatch. Every command's implementation is loaded
 * only when it runs, so start-up is the tree itself (plain objects and the
 * flag parsers) plus what the command loads.
 * @module
 */
import {
  booleanFlag,
  defaultedFlag,
  type Group,
  lazy,
  renderHelp,
  route,
  SHELLS,
  valueFlag,
} from "../lib/cli/mod.ts";
import type { Cx, Io, RunState } from "./_io.ts";
import { durationArg, targetFlag, targetsFlag } from "./_flags.ts";
import { aloha } from "./aloha/mod.ts";
import { artifacts } from "./artifacts/mod.ts";
import { config } from "./config/mod.ts";
import { jobs } from "./jobs/mod.ts";
import { playwright } from "./playwright/mod.ts";
import { supervisor } from "./supervisor/mod.ts";
import { targets } from "./targets/mod.ts";
import { windows } from "./windows/mod.ts";

export type { Cx, Io, RunState } from "./_io.ts";
export { ParseError } from "../lib/cli/mod.ts";

/** The program's name in help and completion scripts. */
export const PROGRAM = "win-automation";

/** The flags of `doctor`. */
export const doctorFlags = {
  target: targetFlag(),
  targets: targetsFlag(),
};

/** The flags of `worker`. */
export const workerFlags = {
  target: targetFlag(),
  targets: targetsFlag("the targets it serves"),
  metrics: booleanFlag(
    "--metrics",
    "emit job metrics (stdout, or WIN_AUTOMATION_METRICS_PATH)",
  ),
  metricsInterval: defaultedFlag(
    valueFlag(
      "--metrics-interval <dur>",
      "how often metrics are emitted (default: 30s)",
      durationArg(),
    ),
    30_000,
  ),
  drainTimeout: defaultedFlag(
    valueFlag(
      "--drain-timeout <dur>",
      "how long running jobs may take to finish on SIGTERM (default: 30s)",
      durationArg(),
    ),
    30_000,
  ),
};

/**
 * The whole tree. `--config` and `--debug` are the root's own flags, so they
 * are accepted only before the subcommand.
 */
export const ROOT: Group<Cx> = {
  kind: "group",
  name: PROGRAM,
  description:
    "Run a Windows VM from Linux: PowerShell over SSH, Aloha GUI tasks, Playwright, doctor",
  flags: {
    config: valueFlag(
      "--config <path>",
      "JSON config file (before the subcommand; overrides WIN_AUTOMATION_CONFIG)",
    ),
    debug: booleanFlag(
      "--debug",
      "verbose logs on stderr, redacted like every line (before the subcommand; DEBUG and the other debug variables of dependencies are ignored)",
    ),
  },
  commands: [
    {
      kind: "command",
      name: "version",
      description: "print the version, commit and Deno version",
      flags: {},
      loader: lazy<typeof import("./version.ts")>("commands/version.ts"),
    },
    config,
    {
      kind: "command",
      name: "doctor",
      description:
        "check SSH, PowerShell, Aloha, firewall rules, the desktop, Hatchet and Playwright; print fixes",
      flags: doctorFlags,
      loader: lazy<typeof import("./doctor.ts")>("commands/doctor.ts"),
    },
    windows,
    aloha,
    playwright,
    jobs,
    {
      kind: "command",
      name: "worker",
      description:
        "run the Hatchet worker for windows.exec, aloha.run and playwright.run until SIGTERM",
      flags: workerFlags,
      loader: lazy<typeof import("./worker.ts")>("commands/worker.ts"),
    },
    supervisor,
    targets,
    artifacts,
    {
      kind: "command",
      name: "completions",
      description:
        "print a shell completion script (bash, zsh or fish); see README",
      argument: {
        name: "shell",
        description: "bash, zsh or fish",
        choices: SHELLS,
      },
      flags: {},
      loader: lazy<typeof import("./completions.ts")>(
        "commands/completions.ts",
      ),
    },
    {
      kind: "command",
      name: "__complete",
      description: "print the completions of a command line (for the scripts)",
      argument: {
        name: "words",
        description: "the words after the program name, the current one last",
        variadic: true,
        required: false,
      },
      flags: {},
      hidden: true,
      loader: lazy<typeof import("./complete.ts")>("commands/complete.ts"),
    },
  ],
};

/**
 * Runs the command line `args`: prints help, or loads and runs one command.
 * Throws {@linkcode ParseError} for input the tree refuses, and whatever the
 * command throws.
 */
export async function runCommandLine(
  args: string[],
  io: Io,
  state: RunState,
): Promise<void> {
  const r = route(ROOT, args);
  if (r.kind === "help") {
    const text = renderHelp(PROGRAM, r.node, r.path);
    if (r.toStderr) io.stderrRaw(text);
    else io.stdoutRaw(text);
    return;
  }
  state.debug = r.globals.debug === true;
  const config = r.globals.config as string | undefined;
  const { default: action } = await r.command.loader();
  const target = (r.options as { target?: string }).target;
  await action(
    { io, state, globals: () => ({ config, target }) },
    r.options,
    r.words,
  );
}
