/**
 * win-automation: run a Windows VM from Linux. This is the one place that
 * reads the environment and turns errors into exit codes and output.
 * @module
 */
import { CommanderError } from "@commander-js/extra-typings";
import { buildProgram, type Io, type RunState } from "./commands/mod.ts";
import {
  ConfigError,
  DomainError,
  errorLine,
  EXIT_OK,
  EXIT_OPERATIONAL,
  EXIT_USAGE,
  oneLine,
} from "./lib/errors/mod.ts";
import { Logger } from "./lib/log/mod.ts";

function realIo(): Io {
  const enc = new TextEncoder();
  const write = (stream: typeof Deno.stdout, text: string) => {
    const bytes = enc.encode(text);
    let off = 0;
    try {
      while (off < bytes.length) off += stream.writeSync(bytes.subarray(off));
    } catch (error) {
      // The reader went away (`| head`): stop quietly, as Unix tools do.
      if (error instanceof Deno.errors.BrokenPipe) Deno.exit(0);
      throw error;
    }
  };
  return {
    stdout: (t) => write(Deno.stdout, t + "\n"),
    stdoutRaw: (t) => write(Deno.stdout, t),
    stderr: (t) => write(Deno.stderr, t + "\n"),
    stderrRaw: (t) => write(Deno.stderr, t),
    getEnv: (name) => {
      try {
        return Deno.env.get(name);
      } catch (error) {
        // Deno refuses a value that is not UTF-8 with a message quoting the
        // value: a secret must never be echoed, so only the name is kept.
        if (error instanceof Deno.errors.InvalidData) {
          throw new ConfigError(
            name,
            "is not valid UTF-8 (the value is not shown)",
          );
        }
        throw error;
      }
    },
  };
}

function usageMessage(error: CommanderError, args: string[]): string {
  const text = error.message.replace(/^error: /, "");
  const configAt = args.indexOf("--config");
  const firstCommand = args.findIndex((a) => !a.startsWith("-"));
  if (
    /unknown option '--config/.test(text) ||
    (configAt > 0 && firstCommand >= 0 && configAt > firstCommand &&
      /--config/.test(text))
  ) {
    return "usage error: --config must come before the subcommand (win-automation --config <path> <command>)";
  }
  return `usage error: ${text}`;
}

/** Runs the CLI with `args`; returns the exit code. */
export async function run(args: string[], io: Io): Promise<number> {
  const state: RunState = { op: "cli", context: {} };
  const program = buildProgram(io, state);
  try {
    await program.parseAsync(args, { from: "user" });
    return state.exitCode ?? EXIT_OK;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (
        error.code === "commander.helpDisplayed" ||
        error.code === "commander.help" ||
        error.code === "commander.version"
      ) return EXIT_OK;
      if (error.code === "commander.executeSubCommandAsync") {
        return error.exitCode;
      }
      io.stderr(oneLine(usageMessage(error, args)));
      return EXIT_USAGE;
    }
    const logger = state.logger ??
      new Logger({ write: io.stderr, context: state.context });
    if (error instanceof DomainError) {
      const line = errorLine(error);
      if (error.exitCode === EXIT_USAGE || state.raw) io.stderr(line);
      if (error.exitCode !== EXIT_USAGE) {
        logger.log("error", "cli", state.op, line, {
          ...error.fields,
          exit_code: error.exitCode,
        });
      }
      return error.exitCode;
    }
    const message = error instanceof Error
      ? `${error.name}: ${errorLine(error)}`
      : errorLine(error);
    logger.log("error", "cli", state.op, "unexpected error", {
      err: message,
      exit_code: EXIT_OPERATIONAL,
    });
    return EXIT_OPERATIONAL;
  }
}

if (import.meta.main) {
  const code = await run(Deno.args, realIo());
  Deno.exit(code);
}
