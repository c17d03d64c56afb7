import { dirname } from "node:path";
import {
  currentJob,
  mapWindowsPath,
  programName,
  recordProcess,
  splitCommandLine,
  stopProcesses,
  Unsupported,
} from "../windows/mod.ts";
import { list, parseParams, scalar } from "./_params.ts";
import type { ShellContext, Step } from "./_shell_io.ts";
import { spawnDetached } from "../linux/mod.ts";
import type { Statement } from "./_tokenize.ts";

/**
 * `Start-Process`: starts `<lab>/winbin/<name>` detached and records it, with
 * the caller's job when it runs inside an ssh session (the child inherits the
 * job on Windows, and `WIN_LAB_JOB` here), so it dies when that session ends.
 */
export function startProcess(statement: Statement, ctx: ShellContext): Step {
  const params = parseParams(statement, {
    values: [
      "filepath",
      "argumentlist",
      "redirectstandardoutput",
      "redirectstandarderror",
      "windowstyle",
    ],
    switches: ["nonewwindow"],
    positional: ["filepath", "argumentlist"],
  });
  const file = scalar(params, "filepath", statement);
  const style = scalar(params, "windowstyle", statement);
  if (
    file === undefined || /[\\/:]/.test(file) ||
    (style !== undefined && style.toLowerCase() !== "hidden") ||
    (style !== undefined && params.has("nonewwindow"))
  ) {
    throw new Unsupported(statement.source);
  }
  const args = splitCommandLine(list(params, "argumentlist").join(" "));
  const redirects = ["redirectstandardoutput", "redirectstandarderror"].map(
    (name): Redirect | undefined => {
      const win = scalar(params, name, statement);
      return win === undefined
        ? undefined
        : { win, path: mapWindowsPath(ctx.labDir, win) };
    },
  );
  const [stdoutPath, stderrPath] = redirects.map((r) => r?.path);
  const name = programName(file);
  return async () => {
    const program = `${ctx.labDir}/winbin/${name}`;
    const problem = await startProblem(program, redirects);
    if (problem) {
      await ctx.io.err(`Start-Process : ${problem}\n`);
      return { failed: true };
    }
    const pid = await spawnDetached(program, args, { stdoutPath, stderrPath });
    await recordProcess(ctx.labDir, name, pid, { job: currentJob() });
    return {};
  };
}

interface Redirect {
  win: string;
  path: string;
}

async function startProblem(
  program: string,
  redirects: (Redirect | undefined)[],
): Promise<string | null> {
  if (!await Deno.stat(program).then((s) => s.isFile, () => false)) {
    return "This command cannot be run due to the error: The system cannot find the file specified.";
  }
  if (redirects[0] && redirects[0].path === redirects[1]?.path) {
    return 'This command cannot be run because "RedirectStandardOutput" and "RedirectStandardError" are same.';
  }
  for (const redirect of redirects) {
    if (!redirect) continue;
    const dir = dirname(redirect.path);
    if (!await Deno.stat(dir).then((s) => s.isDirectory, () => false)) {
      return `Could not find a part of the path '${redirect.win}'.`;
    }
  }
  return null;
}

/** `Stop-Process -Name`: kills the recorded live processes of those names. */
export function stopProcess(statement: Statement, ctx: ShellContext): Step {
  const params = parseParams(statement, {
    values: ["name"],
    switches: ["force"],
  });
  const names = list(params, "name").map(programName);
  if (names.length === 0) throw new Unsupported(statement.source);
  return async () => {
    const stopped = await stopProcesses(
      ctx.labDir,
      (record) => names.includes(programName(record.name)),
    );
    let failed = false;
    for (const name of names) {
      if (stopped.some((record) => programName(record.name) === name)) continue;
      await ctx.io.err(
        `Stop-Process : Cannot find a process with the name "${name}". Verify the process name and call the cmdlet again.\n`,
      );
      failed = true;
    }
    return { failed };
  };
}
