/**
 * The commands of the user-command subset: name → a compile function that
 * checks a statement and returns its step. Cmdlets write records through
 * `env.emit`; native programs return their exit code.
 * @module
 */
import {
  machineName,
  OS_FACTS,
  SERVICES,
  Unsupported,
  type WindowsKnobs,
  WINGET_PATH,
} from "../windows/mod.ts";
import { FILE_COMMANDS, SINKS } from "./_file_commands.ts";
import { NATIVE_COMMANDS } from "./_native_commands.ts";
import { isParamName, list, parseParams, scalar } from "./_params.ts";
import {
  type ErrorRecordData,
  type PsRecord,
  Terminating,
} from "./_records.ts";
import {
  type ShellContext,
  type ShellIo,
  sleep,
  type Step,
  type StepResult,
} from "./_shell_io.ts";
import { startProcess, stopProcess } from "./_start_process.ts";
import type { Statement, Word } from "./_tokenize.ts";

/** What a compiled command may use. */
export interface Env {
  ctx: ShellContext & { knobs: WindowsKnobs };
  emit: (record: PsRecord) => Promise<void>;
  state: { lastExitCode: number | null; status: boolean };
  nativeStderr: "records" | ((text: string) => Promise<void>);
}

/** Compiles one statement's command into a step. */
export type Compile = (statement: Statement, env: Env) => Step;

/** A pipeline's last command, fed the output lines of the first. */
export type Sink = (lines: string[]) => Promise<StepResult>;

/** The value of a word when its statement runs. */
export function wordValue(word: Word, env: Env): string | null {
  switch (word.expr) {
    case undefined:
      return word.text;
    case "$PSVersionTable.PSVersion.ToString()":
      return OS_FACTS[env.ctx.knobs.os].psVersion;
    case "$LASTEXITCODE":
      return env.state.lastExitCode === null
        ? null
        : String(env.state.lastExitCode);
    case "$?":
      return env.state.status ? "True" : "False";
    case "[Environment]::MachineName":
      return machineName();
  }
}

/** The words of a statement's arguments; expressions are unsupported. */
export function words(statement: Statement): string[] {
  const args = statement.args.slice(1);
  if (args.some(isParamName) || args.some((a) => a.some((w) => w.expr))) {
    throw new Unsupported(statement.source);
  }
  return args.flatMap((arg) => arg.map((w) => w.text));
}

/** An ErrorRecord a cmdlet writes. */
export function cmdletError(
  command: string,
  message: string,
  fields: Partial<ErrorRecordData> = {},
): ErrorRecordData {
  const id = command.replace("-", "");
  return {
    kind: "error",
    message,
    fqid: `${
      fields.exception ?? "RuntimeException"
    },Microsoft.PowerShell.Commands.${id}Command`,
    category: "NotSpecified",
    command,
    exception: "RuntimeException",
    ...fields,
  };
}

/** The `"The term 'x' is not recognized"` error of a missing command. */
export function notRecognized(name: string, command = name): ErrorRecordData {
  return {
    kind: "error",
    message:
      `The term '${name}' is not recognized as the name of a cmdlet, function, script file, or operable program. Check the spelling of the name, or if a path was included, verify that the path is correct and try again.`,
    fqid: command === name
      ? "CommandNotFoundException"
      : "CommandNotFoundException,Microsoft.PowerShell.Commands.GetCommandCommand",
    category: "ObjectNotFound",
    target: { name, type: "String" },
    command,
    exception: "CommandNotFoundException",
  };
}

/**
 * A {@linkcode ShellContext} for helpers written against text io
 * (`_start_process.ts`): `out` is an output object, `err` an ErrorRecord.
 */
function recordIo(env: Env): ShellIo {
  return {
    out: (text) => env.emit({ kind: "output", text: text.replace(/\n$/, "") }),
    err: (text) => {
      const line = text.replace(/\n$/, "");
      const match = /^([A-Z][A-Za-z]+-[A-Za-z]+) : (.*)$/s.exec(line);
      const command = match?.[1] ?? "";
      const fqid = command === "Stop-Process"
        ? "NoProcessFoundForGivenName,Microsoft.PowerShell.Commands.StopProcessCommand"
        : "InvalidOperationException,Microsoft.PowerShell.Commands.StartProcessCommand";
      return env.emit({
        kind: "error",
        message: match?.[2] ?? line,
        fqid,
        category: command === "Stop-Process"
          ? "ObjectNotFound"
          : "InvalidOperation",
        command,
        exception: command === "Stop-Process"
          ? "ProcessCommandException"
          : "InvalidOperationException",
      });
    },
  };
}

function number(text: string | undefined, statement: Statement): number {
  if (text === undefined || !/^\d+(\.\d+)?$/.test(text)) {
    throw new Unsupported(statement.source);
  }
  return Number(text);
}

/** Write-Output: each argument (each array item) is one output object. */
const writeOutput: Compile = (statement, env) => {
  const args = statement.args.slice(1);
  if (args.some(isParamName)) throw new Unsupported(statement.source);
  return async () => {
    for (const word of args.flat()) {
      const value = wordValue(word, env);
      if (value !== null) await env.emit({ kind: "output", text: value });
    }
    return {};
  };
};

/** Write-Host: the arguments joined by spaces, an InformationRecord (PSHOST). */
const writeHost: Compile = (statement, env) => {
  const args = statement.args.slice(1);
  if (args.some(isParamName)) throw new Unsupported(statement.source);
  return async () => {
    const parts = args.map((arg) =>
      arg.map((w) => wordValue(w, env) ?? "").join(" ")
    );
    await env.emit({ kind: "information", message: parts.join(" ") });
    return {};
  };
};

function messageCommand(
  kind: "warning" | "verbose" | "debug",
  switchName?: "verbose" | "debug",
): Compile {
  return (statement, env) => {
    const params = parseParams(statement, {
      values: ["message"],
      switches: switchName ? [switchName] : [],
      positional: ["message"],
    });
    const message = list(params, "message").join(" ");
    const shown = !switchName || params.has(switchName);
    return async () => {
      if (shown) await env.emit({ kind, message });
      return {};
    };
  };
}

const COMMANDS: Record<string, Compile> = {
  "write-output": writeOutput,
  "echo": writeOutput,
  "write-host": writeHost,
  "write-warning": messageCommand("warning"),
  "write-verbose": messageCommand("verbose", "verbose"),
  "write-debug": messageCommand("debug", "debug"),
  "write-error": (statement, env) => {
    const params = parseParams(statement, {
      values: ["message"],
      positional: ["message"],
    });
    const message = list(params, "message").join(" ");
    return async () => {
      await env.emit({
        kind: "error",
        message,
        fqid: "Microsoft.PowerShell.Commands.WriteErrorException",
        category: "NotSpecified",
        command: "Write-Error",
        exception: "WriteErrorException",
      });
      return { failed: true };
    };
  },
  "exit": (statement) => {
    const args = words(statement);
    if (
      args.length > 1 || (args[0] !== undefined && !/^-?\d+$/.test(args[0]))
    ) {
      throw new Unsupported(statement.source);
    }
    const code = Number(args[0] ?? 0);
    return () => Promise.resolve({ exit: code });
  },
  "throw": (statement) => {
    const [message, ...rest] = words(statement);
    if (message === undefined || rest.length > 0) {
      throw new Unsupported(statement.source);
    }
    return () => {
      throw new Terminating({
        kind: "error",
        message,
        fqid: message,
        category: "OperationStopped",
        target: { name: message, type: "String" },
        command: "",
        exception: "RuntimeException",
      });
    };
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
  "start-process": (statement, env) =>
    startProcess(statement, { ...env.ctx, io: recordIo(env) }),
  "stop-process": (statement, env) =>
    stopProcess(statement, { ...env.ctx, io: recordIo(env) }),
  "get-service": (statement, env) => {
    const params = parseParams(statement, {
      values: ["name"],
      positional: ["name"],
    });
    const names = list(params, "name");
    return async () => {
      let failed = false;
      const found: typeof SERVICES = [];
      for (const name of names.length ? names : SERVICES.map((s) => s.name)) {
        const service = SERVICES.find((s) =>
          s.name.toLowerCase() === name.toLowerCase()
        );
        if (service) {
          found.push(service);
          continue;
        }
        failed = true;
        await env.emit(
          cmdletError(
            "Get-Service",
            `Cannot find any service with service name '${name}'.`,
            {
              fqid:
                "NoServiceFoundForGivenName,Microsoft.PowerShell.Commands.GetServiceCommand",
              category: "ObjectNotFound",
              target: { name, type: "String" },
              exception: "ServiceCommandException",
            },
          ),
        );
      }
      if (found.length > 0) {
        const row = (a: string, b: string, c: string) =>
          `${a.padEnd(8)} ${b.padEnd(18)} ${c}`.trimEnd();
        const lines = [
          "",
          row("Status", "Name", "DisplayName"),
          row("------", "----", "-----------"),
          ...found.map((s) => row(s.status, s.name, s.display)),
          "",
          "",
        ];
        await env.emit({ kind: "output", text: lines.join("\n") });
      }
      return { failed };
    };
  },
  "get-command": (statement, env) => {
    const params = parseParams(statement, {
      values: ["name"],
      positional: ["name"],
    });
    const name = scalar(params, "name", statement);
    if (name?.toLowerCase() !== "winget") {
      throw new Unsupported(statement.source);
    }
    return async () => {
      if (!OS_FACTS[env.ctx.knobs.os].winget) {
        await env.emit(notRecognized("winget", "Get-Command"));
        return { failed: true };
      }
      const row = (a: string, b: string, c: string, d: string) =>
        `${a.padEnd(15)} ${b.padEnd(50)} ${c.padEnd(10)} ${d}`.trimEnd();
      const lines = [
        "",
        row("CommandType", "Name", "Version", "Source"),
        row("-----------", "----", "-------", "------"),
        row("Application", "winget.exe", "1.9.25200.0", WINGET_PATH),
        "",
        "",
      ];
      await env.emit({ kind: "output", text: lines.join("\n") });
      return {};
    };
  },
  ...FILE_COMMANDS,
  ...NATIVE_COMMANDS,
};

const ALIASES: Record<string, string> = {
  "cat": "get-content",
  "type": "get-content",
  "gc": "get-content",
  "dir": "get-childitem",
  "ls": "get-childitem",
  "gci": "get-childitem",
  "gsv": "get-service",
  "sleep": "start-sleep",
};

/** Compiles one command (a bare string or expression outputs its value). */
export function compileCommand(statement: Statement, env: Env): Step {
  const [first, ...rest] = statement.args;
  const word = first?.length === 1 ? first[0]! : undefined;
  if (!word) throw new Unsupported(statement.source);
  if (word.quoted || word.expr) {
    if (rest.length > 0) throw new Unsupported(statement.source);
    return async () => {
      const value = wordValue(word, env);
      if (value !== null) await env.emit({ kind: "output", text: value });
      return {};
    };
  }
  const name = word.text.toLowerCase();
  const command = COMMANDS[ALIASES[name] ?? name];
  if (!command) throw new Unsupported(statement.source);
  return command(statement, env);
}

/** The sink for a pipeline's last command (`Out-File`, `Out-Null`, ...). */
export function sinkFor(statement: Statement, env: Env): Sink {
  const [first] = statement.args;
  const name = first?.length === 1 ? first[0]!.text.toLowerCase() : "";
  const sink = SINKS[name];
  if (!sink) throw new Unsupported(statement.source);
  return sink(statement, env);
}
