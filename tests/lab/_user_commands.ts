import { Unsupported } from "./_errors.ts";
import { isParamName, list, parseParams, scalar } from "./_params.ts";
import {
  type Arg,
  parseStatements,
  PS_VERSION_EXPR,
  type Statement,
} from "./_tokenize.ts";
import { mapWindowsPath } from "./_win_path.ts";
import { type ShellContext, sleep, type Step } from "./_shell_io.ts";
import { startProcess, stopProcess } from "./_start_process.ts";
import { endTask, getTask, runTask, taskPid } from "./_tasks.ts";

/** What `$PSVersionTable.PSVersion.ToString()` and the version kind report. */
export const PS_VERSION = "5.1.19041.4522";
/** What `hostname` and the version kind report. */
export const HOSTNAME = "WIN-LAB";

type Compile = (statement: Statement, ctx: ShellContext) => Step;

/**
 * Runs user-command text (the subset in tests/lab/README.md). Every statement
 * is checked before the first runs, so an unsupported one throws
 * {@linkcode Unsupported} with nothing done. Returns the exit code: `exit n`,
 * else 1 after any error, else 0.
 */
export async function runUserCommands(
  text: string,
  ctx: ShellContext,
): Promise<number> {
  const steps = parseStatements(text).map((statement) =>
    compile(statement, ctx)
  );
  let failed = false;
  for (const step of steps) {
    const result = await step();
    if (result.exit !== undefined) return result.exit;
    failed ||= result.failed ?? false;
  }
  return failed ? 1 : 0;
}

function compile(statement: Statement, ctx: ShellContext): Step {
  const [first, ...rest] = statement.args;
  const word = first?.length === 1 ? first[0]! : undefined;
  if (!word) throw new Unsupported(statement.source);
  if (word.quoted || word.text === PS_VERSION_EXPR) {
    if (rest.length > 0) throw new Unsupported(statement.source);
    const text = word.quoted ? word.text : PS_VERSION;
    return async () => (await ctx.io.out(text + "\n"), {});
  }
  const command = COMMANDS[word.text.toLowerCase()];
  if (!command) throw new Unsupported(statement.source);
  return command(statement, ctx);
}

function words(statement: Statement): string[] {
  const args = statement.args.slice(1);
  if (args.some(isParamName)) throw new Unsupported(statement.source);
  return args.flatMap((arg: Arg) => arg.map((w) => w.text));
}

function number(text: string | undefined, statement: Statement): number {
  if (text === undefined || !/^\d+(\.\d+)?$/.test(text)) {
    throw new Unsupported(statement.source);
  }
  return Number(text);
}

const write: Compile = (statement, ctx) => {
  const text = words(statement).join(" ");
  return async () => (text && await ctx.io.out(text + "\n"), {});
};

const COMMANDS: Record<string, Compile> = {
  "write-output": write,
  "echo": write,
  "write-host": write,
  "write-error": (statement, ctx) => {
    const text = words(statement).join(" ");
    return async () => (await ctx.io.err(text + "\n"), { failed: true });
  },
  "exit": (statement) => {
    const args = words(statement);
    if (
      args.length > 1 || (args[0] !== undefined && !/^-?\d+$/.test(args[0]))
    ) {
      throw new Unsupported(statement.source);
    }
    const code = Number(args[0] ?? 0) & 0xff;
    return () => Promise.resolve({ exit: code });
  },
  "start-sleep": (statement) => {
    const params = parseParams(statement, {
      values: ["seconds", "milliseconds"],
      positional: ["seconds"],
    });
    const seconds = scalar(params, "seconds", statement);
    const ms = scalar(params, "milliseconds", statement);
    if ((seconds === undefined) === (ms === undefined)) {
      throw new Unsupported(statement.source);
    }
    const total = seconds !== undefined
      ? number(seconds, statement) * 1000
      : number(ms, statement);
    return async () => (await sleep(total), {});
  },
  "ping": (statement, ctx) => {
    const params = parseParams(statement, {
      values: ["n", "host"],
      positional: ["host"],
    });
    const count = number(scalar(params, "n", statement), statement);
    if (!Number.isInteger(count) || count < 1 || !params.has("host")) {
      throw new Unsupported(statement.source);
    }
    return async () => {
      for (let i = 0; i < count; i++) {
        if (i > 0) await sleep(1000);
        await ctx.io.out("Reply from 127.0.0.1: bytes=32 time<1ms TTL=128\n");
      }
      return {};
    };
  },
  "hostname": (statement, ctx) => {
    if (statement.args.length > 1) throw new Unsupported(statement.source);
    return async () => (await ctx.io.out(HOSTNAME + "\n"), {});
  },
  "schtasks": schtasks,
  "start-process": startProcess,
  "stop-process": stopProcess,
  "get-content": (statement, ctx) => {
    const [path, mapped] = onePath(statement, ctx);
    return async () => {
      let text: string;
      try {
        text = await Deno.readTextFile(mapped);
      } catch {
        await ctx.io.err(
          `Get-Content : Cannot find path '${path}' because it does not exist.\n`,
        );
        return { failed: true };
      }
      const lines = text.split(/\r?\n/);
      if (lines.at(-1) === "") lines.pop();
      for (const line of lines) await ctx.io.out(line + "\n");
      return {};
    };
  },
  "test-path": (statement, ctx) => {
    const [, mapped] = onePath(statement, ctx);
    return async () => {
      const exists = await Deno.stat(mapped).then(() => true, () => false);
      await ctx.io.out(exists ? "True\n" : "False\n");
      return {};
    };
  },
};

/** `schtasks /Run|/End|/Query /TN <name>` against `state/tasks.json`. */
function schtasks(statement: Statement, ctx: ShellContext): Step {
  const [verb, flag, name, ...rest] = words(statement);
  if (!verb || flag?.toLowerCase() !== "/tn" || !name || rest.length > 0) {
    throw new Unsupported(statement.source);
  }
  const missing = async () => {
    await ctx.io.err("ERROR: The system cannot find the file specified.\n");
    return { failed: true };
  };
  switch (verb.toLowerCase()) {
    case "/run":
      return async () => {
        const error = await runTask(ctx.labDir, name);
        if (error) return (await ctx.io.err(error + "\n"), { failed: true });
        await ctx.io.out(
          `SUCCESS: Attempted to run the scheduled task "${name}".\n`,
        );
        return {};
      };
    case "/end":
      return async () => {
        if (!await getTask(ctx.labDir, name)) return missing();
        await endTask(ctx.labDir, name);
        await ctx.io.out(
          `SUCCESS: The scheduled task "${name}" was terminated.\n`,
        );
        return {};
      };
    case "/query":
      return async () => {
        if (!await getTask(ctx.labDir, name)) return missing();
        const running = await taskPid(ctx.labDir, name) !== null;
        await ctx.io.out(`${name} ${running ? "Running" : "Ready"}\n`);
        return {};
      };
  }
  throw new Unsupported(statement.source);
}

function onePath(statement: Statement, ctx: ShellContext): [string, string] {
  const params = parseParams(statement, {
    values: ["path"],
    positional: ["path"],
  });
  const path = scalar(params, "path", statement);
  if (path === undefined || list(params, "path").length !== 1) {
    throw new Unsupported(statement.source);
  }
  return [path, mapWindowsPath(ctx.labDir, path)];
}
