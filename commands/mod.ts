import { Command } from "@commander-js/extra-typings";
import type { Io, RunState } from "./_io.ts";
import { alohaCommand } from "./aloha.ts";
import { artifactsCommand } from "./artifacts.ts";
import { configCommand } from "./config.ts";
import { doctorCommand } from "./doctor.ts";
import { jobsCommand } from "./jobs.ts";
import { playwrightCommand } from "./playwright.ts";
import { workerCommand } from "./worker.ts";
import { supervisorCommand } from "./supervisor.ts";
import { versionCommand } from "./version.ts";
import { windowsCommand } from "./windows.ts";

export type { Io, RunState } from "./_io.ts";

/**
 * The command tree. `--config` is a program option, accepted only before the
 * subcommand (positional options).
 */
export function buildProgram(io: Io, state: RunState) {
  const program = new Command("win-automation")
    .description(
      "Run a Windows VM from Linux: PowerShell over SSH, Aloha GUI tasks, Playwright, doctor",
    )
    .option(
      "--config <path>",
      "JSON config file (before the subcommand; overrides WIN_AUTOMATION_CONFIG)",
    )
    .option(
      "--debug",
      "verbose logs on stderr, redacted like every line (before the subcommand; DEBUG and the other debug variables of dependencies are ignored)",
    )
    .enablePositionalOptions()
    .exitOverride()
    .configureOutput(output(io))
    .helpOption("-h, --help", "show help");
  const globals = () => program.opts();
  program.hook("preAction", () => {
    state.debug = program.opts().debug === true;
  });
  program.addCommand(versionCommand(io, state));
  program.addCommand(configCommand(io, state, globals));
  program.addCommand(doctorCommand(io, state, globals));
  program.addCommand(windowsCommand(io, state, globals));
  program.addCommand(alohaCommand(io, state, globals));
  program.addCommand(playwrightCommand(io, state, globals));
  program.addCommand(jobsCommand(io, state, globals));
  program.addCommand(workerCommand(io, state, globals));
  program.addCommand(supervisorCommand(io, state, globals));
  program.addCommand(artifactsCommand(io, state, globals));
  for (const cmd of program.commands) applyExitOverride(cmd, io);
  return program;
}

function applyExitOverride(
  cmd: Command<unknown[], Record<string, unknown>, Record<string, unknown>>,
  io: Io,
) {
  cmd.exitOverride().configureOutput(output(io));
  for (const sub of cmd.commands) applyExitOverride(sub, io);
}

/** Commander's output: through Io, plain, 80 columns wide whatever the terminal. */
function output(io: Io) {
  return {
    writeOut: (s: string) => io.stdoutRaw(s),
    writeErr: (s: string) => io.stderrRaw(s),
    outputError: () => {},
    getOutHelpWidth: () => 80,
    getErrHelpWidth: () => 80,
    getOutHasColors: () => false,
    getErrHasColors: () => false,
  };
}
