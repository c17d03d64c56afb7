/**
 * DefaultShell unset (cmd.exe, Win32-OpenSSH's default): the line runs as
 * `cmd.exe /c <line>`. The lab runs the one program the line names; only
 * `powershell`/`powershell.exe` exists on its "Windows". Its stdout and
 * stderr reach ssh byte for byte (cmd gives the child its own handles) and
 * `cmd /c` exits with the child's exit code.
 * @module
 */
import { cmdCommand } from "./_cmd_exe.ts";
import { programName } from "../windows/argv.ts";
import { Unsupported } from "../windows/errors.ts";
import {
  type SessionContext,
  spawnInnerPowerShell,
  windowsExitCode,
} from "./_inner.ts";
import { pump } from "./_output.ts";

/** Runs the session's line as `cmd /c` would; returns its exit code. */
export async function runCmdShell(ctx: SessionContext): Promise<number> {
  let args: string[];
  try {
    const command = cmdCommand(ctx.line);
    if (programName(command.program) !== "powershell") {
      throw new Unsupported(
        `program "${command.program}" (the lab's Windows runs only powershell): ${ctx.line}`,
      );
    }
    args = command.args;
  } catch (error) {
    if (!(error instanceof Unsupported)) throw error;
    await ctx.stderr.write(
      new TextEncoder().encode(`lab: unsupported cmd: ${error.message}\n`),
    );
    return 1;
  }
  const child = spawnInnerPowerShell(ctx, args);
  const [status] = await Promise.all([
    child.status,
    pump(child.stdout, (chunk) => ctx.stdout.write(chunk)),
    pump(child.stderr, (chunk) => ctx.stderr.write(chunk)),
  ]);
  return windowsExitCode(status);
}
