/**
 * DefaultShell = powershell.exe: Win32-OpenSSH runs the line as
 * `powershell.exe -c <line>` (`w32-doexec.c`: `[shell, "-c", command]`). The
 * lab models that OUTER Windows PowerShell 5.1 as its sources say
 * (PowerShell/PowerShell at 3998ce06ba, the 5.1-era import):
 *
 * - It loads the user's profile (no `-NoProfile`; `ConsoleHost.cs`,
 *   `DoRunspaceInitialization`): the `profile_output` knob, written by the
 *   host.
 * - It runs the line, one native `powershell ...` command
 *   ({@linkcode parseOuterCommand}), with the output captured
 *   (`NativeCommandProcessor.CalculateIORedirection`: captured when the host
 *   has no console of its own, `AllocateHiddenConsole` then
 *   `AlwaysCaptureApplicationIO`; with a console the child would write to
 *   the pipes directly. The lab models the capturing, less convenient case).
 *   The inner process's stdin is the session's (no pipeline input).
 * - The inner's stdout lines (`ReadLine`: CR, LF or CRLF) are strings the
 *   host writes: decoded and re-encoded in the OEM code page (byte-lossless),
 *   each ended with CRLF.
 * - The inner's stderr becomes error records rendered as text
 *   ({@linkcode nativeCommandErrorLines}); the outer's error format is XML
 *   only for `-EncodedCommand` (`ConsoleHost.ErrorFormat`:
 *   `wasInitialCommandEncoded`), so never here. A stderr that starts with
 *   `#< CLIXML` is deserialized ({@linkcode clixmlErrors}).
 * - Exit code: `$?` of the line (`ConsoleHost.DoRunspaceLoop`), false when the
 *   inner exited non-zero or any error record was written
 *   (`MshCommandRuntime._WriteErrorSkipAllowCheck` sets `ExecutionFailed`):
 *   0 or 1.
 * @module
 */
import { clixmlErrors } from "../powershell/clixml_read.ts";
import { CLIXML_HEADER } from "../powershell/clixml_write.ts";
import { decodeCodePage, encodeCodePage } from "../powershell/code_pages.ts";
import { Unsupported } from "../windows/errors.ts";
import { LineSplitter } from "./_line_splitter.ts";
import {
  nativeCommandErrorLines,
  nativeCommandErrorMessageLines,
} from "./_native_error_view.ts";
import { type OuterCommand, parseOuterCommand } from "./_outer_command.ts";
import {
  type SessionContext,
  spawnInnerPowerShell,
  windowsExitCode,
} from "./_inner.ts";
import { pump, type SessionOutput } from "./_output.ts";

const CRLF = new Uint8Array([0x0d, 0x0a]);

function hostWriter(ctx: SessionContext, output: SessionOutput) {
  const codePage = ctx.knobs.oem_codepage;
  return async (lines: string[]) => {
    for (const line of lines) {
      await output.write(encodeCodePage(line, codePage));
      await output.write(CRLF);
    }
  };
}

/** The outer host's handling of the inner's stderr, line by line. */
class ErrorStream {
  #mode: "first" | "text" | "xml" = "first";
  #xml: string[] = [];
  #command: OuterCommand;
  #write: (lines: string[]) => Promise<void>;
  /** Whether an error record was written (the line's `$?` is false). */
  failed = false;

  constructor(
    command: OuterCommand,
    write: (lines: string[]) => Promise<void>,
  ) {
    this.#command = command;
    this.#write = write;
  }

  async line(text: string): Promise<void> {
    if (this.#mode === "first") {
      if (text === CLIXML_HEADER) {
        this.#mode = "xml";
        return;
      }
      this.#mode = "text";
      this.failed = true;
      await this.#write(nativeCommandErrorLines(text, this.#command));
      return;
    }
    if (this.#mode === "xml") {
      this.#xml.push(text);
      return;
    }
    await this.#write(nativeCommandErrorMessageLines(text));
  }

  async end(): Promise<void> {
    if (this.#mode !== "xml") return;
    for (const message of clixmlErrors(this.#xml.join("\n"))) {
      this.failed = true;
      await this.#write(nativeCommandErrorLines(message, this.#command));
    }
  }
}

/** Runs the session's line as the outer `powershell.exe -c`; returns 0 or 1. */
export async function runPowerShellShell(ctx: SessionContext): Promise<number> {
  const codePage = ctx.knobs.oem_codepage;
  const out = hostWriter(ctx, ctx.stdout);
  const err = hostWriter(ctx, ctx.stderr);
  const unsupported = async (error: unknown) => {
    if (!(error instanceof Unsupported)) throw error;
    await ctx.stderr.write(
      new TextEncoder().encode(
        `lab: unsupported PowerShell: ${error.message}\n`,
      ),
    );
    return 1;
  };
  if (ctx.knobs.profile_output !== "") {
    const lines = ctx.knobs.profile_output.split(/\r?\n/);
    if (lines.at(-1) === "") lines.pop();
    await out(lines);
  }
  let command: OuterCommand;
  try {
    command = parseOuterCommand(ctx.line);
  } catch (error) {
    return await unsupported(error);
  }
  const child = spawnInnerPowerShell(ctx, command.args);
  const outLines = new LineSplitter();
  const errLines = new LineSplitter();
  const errors = new ErrorStream(command, err);
  const decode = (bytes: Uint8Array) => decodeCodePage(bytes, codePage);
  let failure: unknown = null;
  const [status] = await Promise.all([
    child.status,
    pump(child.stdout, async (chunk) => {
      await out(outLines.push(chunk).map(decode));
    }).then(async () => await out(outLines.end().map(decode))),
    pump(child.stderr, async (chunk) => {
      for (const line of errLines.push(chunk)) await errors.line(decode(line));
    }).then(async () => {
      for (const line of errLines.end()) await errors.line(decode(line));
      await errors.end();
    }).catch((error) => (failure = error)),
  ]);
  if (failure !== null) return await unsupported(failure);
  return windowsExitCode(status) !== 0 || errors.failed ? 1 : 0;
}
