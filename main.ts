/**
 * win-automation: run a Windows VM from Linux. This is the one place that
 * reads the environment and turns errors into exit codes and output.
 * @module
 */
import {
  type Io,
  ParseError,
  runCommandLine,
  type RunState,
} from "./commands/mod.ts";
import {
  ConfigError,
  DomainError,
  errorMessage,
  EXIT_OK,
  EXIT_OPERATIONAL,
  EXIT_USAGE,
  oneLine,
} from "./lib/errors/mod.ts";
import { Logger } from "./lib/log/mod.ts";
import { scrubDebugEnv } from "./lib/process/mod.ts";
import { Redactor } from "./lib/redact/mod.ts";

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

function usageMessage(error: ParseError, args: string[]): string {
  const text = error.message;
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

/** The variables that hold secrets, for redaction before config is loaded. */
const SECRET_ENV = [
  "WIN_AUTOMATION_HATCHET_TOKEN",
  "WIN_AUTOMATION_PLAYWRIGHT_WS_PATH",
];

/**
 * `io` with every write passed through the run's redactor: the resolved
 * config's once it is loaded, before that one of the secret variables.
 */
function redactingIo(io: Io, state: RunState): Io {
  let early: Redactor | undefined;
  const redactor = () =>
    state.redactor ??
      (early ??= new Redactor(SECRET_ENV.map((name) => {
        try {
          return io.getEnv(name) ?? "";
        } catch {
          return ""; // not UTF-8: config loading reports it, without the value
        }
      })));
  const r = (text: string) => redactor().redact(text);
  return {
    stdout: (t) => io.stdout(r(t)),
    stdoutRaw: (t) => io.stdoutRaw(r(t)),
    stderr: (t) => io.stderr(r(t)),
    stderrRaw: (t) => io.stderrRaw(r(t)),
    getEnv: io.getEnv,
  };
}

/** An error's message as one line, redacted before it is cut. */
function redactedLine(error: unknown, redact: (t: string) => string): string {
  return oneLine(redact(errorMessage(error)));
}

/** Runs the CLI with `args`; returns the exit code. */
export async function run(args: string[], rawIo: Io): Promise<number> {
  const state: RunState = { op: "cli", context: {} };
  const io = redactingIo(rawIo, state);
  try {
    await runCommandLine(args, io, state);
    return state.exitCode ?? EXIT_OK;
  } catch (error) {
    if (error instanceof ParseError) {
      io.stderr(oneLine(usageMessage(error, args)));
      return EXIT_USAGE;
    }
    const logger = state.logger ??
      new Logger({ write: io.stderr, context: state.context });
    const redact = (t: string) => (state.redactor ?? logger.redactor).redact(t);
    if (error instanceof DomainError) {
      const line = redactedLine(error, redact);
      if (error.exitCode === EXIT_USAGE || state.raw) io.stderr(line);
      if (error.exitCode !== EXIT_USAGE) {
        logger.scope("cli", state.op).log("error", line, {
          ...error.fields,
          exit_code: error.exitCode,
        });
      }
      return error.exitCode;
    }
    const message = error instanceof Error
      ? `${error.name}: ${redactedLine(error, redact)}`
      : redactedLine(error, redact);
    logger.scope("cli", state.op).log("error", "unexpected error", {
      err: message,
      exit_code: EXIT_OPERATIONAL,
    });
    return EXIT_OPERATIONAL;
  }
}

if (import.meta.main) {
  // Before any command can load the Hatchet SDK or playwright-core: their
  // debug output would bypass the redactor (`--debug` is ours and does not).
  const { refused } = scrubDebugEnv(Deno.env);
  if (refused.length > 0) {
    realIo().stderr(
      `config error: ${
        refused.join(", ")
      } is set: the runtime reads it before win-automation starts, and its traces print request headers with secrets; unset it (use --debug for verbose logs)`,
    );
    Deno.exit(EXIT_USAGE);
  }
  const code = await run(Deno.args, realIo());
  Deno.exit(code);
}
