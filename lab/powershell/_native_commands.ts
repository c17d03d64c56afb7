/**
 * Native programs of the user-command subset. Their stdout lines are output
 * objects; their stderr goes to the process's stderr, or, with the streams
 * merged, becomes ErrorRecords (`NativeCommandError` for the first line,
 * `NativeCommandErrorMessage` after). Each sets `$LASTEXITCODE`.
 * @module
 */
import {
  endTask,
  getTask,
  machineName,
  OS_FACTS,
  POWERSHELL_PATH,
  requestRestart,
  runTask,
  taskPid,
  Unsupported,
  WINGET_PATH,
  WINGET_VERSION,
} from "../windows/mod.ts";
import { parseParams, scalar } from "./_params.ts";
import { shutdownMessage } from "./_reboot_kind.ts";
import { sleep, type StepResult } from "./_shell_io.ts";
import {
  type Compile,
  type Env,
  notRecognized,
  words,
} from "./_user_commands.ts";

/** Writes a native program's stderr lines as 5.1 would see them. */
async function stderrLines(
  env: Env,
  program: string,
  lines: string[],
): Promise<void> {
  if (env.nativeStderr !== "records") {
    await env.nativeStderr(lines.map((l) => l + "\n").join(""));
    return;
  }
  for (const [i, line] of lines.entries()) {
    await env.emit({
      kind: "error",
      message: line,
      fqid: i === 0 ? "NativeCommandError" : "NativeCommandErrorMessage",
      category: "NotSpecified",
      target: { name: line, type: "String" },
      command: program,
      exception: "RemoteException",
      native: true,
    });
  }
}

async function stdoutLines(env: Env, lines: string[]): Promise<void> {
  for (const text of lines) await env.emit({ kind: "output", text });
}

function number(text: string | undefined, statement: { source: string }) {
  if (text === undefined || !/^\d+$/.test(text)) {
    throw new Unsupported(statement.source);
  }
  return Number(text);
}

/** Programs `where.exe` finds on the emulated PATH, by lower-case name. */
function programPaths(env: Env): Record<string, string> {
  const system = "C:\\Windows\\System32";
  const paths: Record<string, string> = {
    powershell: POWERSHELL_PATH,
    cmd: `${system}\\cmd.exe`,
    hostname: `${system}\\HOSTNAME.EXE`,
    ping: `${system}\\PING.EXE`,
    where: `${system}\\where.exe`,
    schtasks: `${system}\\schtasks.exe`,
    shutdown: `${system}\\shutdown.exe`,
  };
  if (OS_FACTS[env.ctx.knobs.os].winget) paths.winget = WINGET_PATH;
  return paths;
}

async function schtasks(
  env: Env,
  verb: string,
  name: string,
): Promise<StepResult> {
  const missing = async () => {
    await stderrLines(env, "schtasks.exe", [
      "ERROR: The system cannot find the file specified.",
    ]);
    return { nativeExit: 1 };
  };
  switch (verb) {
    case "/run": {
      const error = await runTask(env.ctx.labDir, name);
      if (error) {
        return (await stderrLines(env, "schtasks.exe", [error]),
          { nativeExit: 1 });
      }
      await stdoutLines(env, [
        `SUCCESS: Attempted to run the scheduled task "${name}".`,
      ]);
      return { nativeExit: 0 };
    }
    case "/end":
      if (!await getTask(env.ctx.labDir, name)) return missing();
      await endTask(env.ctx.labDir, name);
      await stdoutLines(env, [
        `SUCCESS: The scheduled task "${name}" was terminated.`,
      ]);
      return { nativeExit: 0 };
    default: {
      if (!await getTask(env.ctx.labDir, name)) return missing();
      const running = await taskPid(env.ctx.labDir, name) !== null;
      await stdoutLines(env, [`${name} ${running ? "Running" : "Ready"}`]);
      return { nativeExit: 0 };
    }
  }
}

const where: Compile = (statement, env) => {
  const args = words(statement);
  if (args.length !== 1 || /[*?\\/:]/.test(args[0]!)) {
    throw new Unsupported(statement.source);
  }
  const name = args[0]!.toLowerCase().replace(/\.exe$/, "");
  return async () => {
    const path = programPaths(env)[name];
    if (path === undefined) {
      await stderrLines(env, "where.exe", [
        "INFO: Could not find files for the given pattern(s).",
      ]);
      return { nativeExit: 1 };
    }
    await stdoutLines(env, [path]);
    return { nativeExit: 0 };
  };
};

const winget: Compile = (statement, env) => {
  const args = words(statement);
  if (args.length !== 1 || !["--version", "-v"].includes(args[0]!)) {
    throw new Unsupported(statement.source);
  }
  return async () => {
    if (!OS_FACTS[env.ctx.knobs.os].winget) {
      await env.emit(notRecognized("winget"));
      return { failed: true };
    }
    await stdoutLines(env, [WINGET_VERSION]);
    return { nativeExit: 0 };
  };
};

/**
 * `shutdown.exe /r [/t <s>] [/c <comment>]`: schedules a restart (default
 * time-out 30 s) and exits 0 at once, printing nothing; 1190 with its message
 * on stderr when one is already scheduled. Other switches are not modeled.
 */
const shutdown: Compile = (statement, env) => {
  const args = words(statement);
  let delaySeconds = 30;
  let comment = "";
  if (args[0]?.toLowerCase() !== "/r") throw new Unsupported(statement.source);
  for (let i = 1; i < args.length; i += 2) {
    const flag = args[i]!.toLowerCase();
    const value = args[i + 1];
    if (flag === "/t" && value !== undefined && /^\d{1,9}$/.test(value)) {
      delaySeconds = Number(value);
      if (delaySeconds > 315_360_000) throw new Unsupported(statement.source);
    } else if (flag === "/c" && value !== undefined && value.length <= 512) {
      comment = value;
    } else {
      throw new Unsupported(statement.source);
    }
  }
  return async () => {
    const code = await requestRestart(env.ctx.labDir, {
      delaySeconds,
      comment,
    });
    if (code !== 0) {
      await stderrLines(env, "shutdown.exe", [shutdownMessage(code)]);
    }
    return { nativeExit: code };
  };
};

/** The native programs. */
export const NATIVE_COMMANDS: Record<string, Compile> = {
  "shutdown": shutdown,
  "shutdown.exe": shutdown,
  "where.exe": where,
  "winget": winget,
  "winget.exe": winget,
  "hostname": (statement, env) => {
    if (statement.args.length > 1) throw new Unsupported(statement.source);
    return async () => {
      await stdoutLines(env, [machineName()]);
      return { nativeExit: 0 };
    };
  },
  "ping": (statement, env) => {
    const params = parseParams(statement, {
      values: ["n", "host"],
      positional: ["host"],
    });
    const count = number(scalar(params, "n", statement), statement);
    if (count < 1 || !params.has("host")) {
      throw new Unsupported(statement.source);
    }
    return async () => {
      for (let i = 0; i < count; i++) {
        if (i > 0) await sleep(1000);
        await stdoutLines(env, [
          "Reply from 127.0.0.1: bytes=32 time<1ms TTL=128",
        ]);
      }
      return { nativeExit: 0 };
    };
  },
  "schtasks": (statement, env) => {
    const [verb, flag, name, ...rest] = words(statement);
    const known = ["/run", "/end", "/query"];
    if (
      !verb || !known.includes(verb.toLowerCase()) ||
      flag?.toLowerCase() !== "/tn" || !name || rest.length > 0
    ) {
      throw new Unsupported(statement.source);
    }
    return () => schtasks(env, verb.toLowerCase(), name);
  },
};
