/**
 * The lab's `powershell`: a stand-in for Windows PowerShell 5.1 reached over
 * the lab's real sshd. It runs the tool's bootstrap + script kinds against lab
 * state, and a small user-command subset (see tests/lab/README.md). Anything
 * else exits 1 with `lab: unsupported PowerShell: <what>`. Every invocation is
 * journaled to `<lab>/journal.jsonl`.
 * @module
 */
import { Unsupported, unsupportedLine } from "./_errors.ts";
import { appendJsonLine } from "./_json_file.ts";
import { BOOTSTRAP_MARKER, parseScript, scriptKind } from "./_script.ts";
import { runScript } from "./_script_kinds.ts";
import { processIo, type ShellContext, type ShellIo } from "./_shell_io.ts";
import { runUserCommands } from "./_user_commands.ts";

const SWITCHES = ["-nologo", "-noprofile", "-noninteractive"];
const VALUES: Record<string, (v: string) => boolean> = {
  "-executionpolicy": () => true,
  "-outputformat": (v) => v.toLowerCase() === "text",
  // The Aloha service tasks' action (docs/WIRE_V2_DRAFT.md, "Service tasks").
  "-windowstyle": (v) => v.toLowerCase() === "hidden",
};

/** What the arguments ask for: a command text, or base64 to decode. */
export type Invocation = { command: string } | { encoded: string };

/** Parses PowerShell's arguments; throws {@linkcode Unsupported}. */
export function parseArgs(argv: string[]): Invocation {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const flag = arg.toLowerCase();
    if (SWITCHES.includes(flag)) continue;
    const check = VALUES[flag];
    if (check) {
      const value = argv[++i];
      if (value === undefined || !check(value)) {
        throw new Unsupported(`${arg} ${value ?? ""}`);
      }
      continue;
    }
    if (flag === "-command") {
      const rest = argv.slice(i + 1);
      if (rest.length === 0) throw new Unsupported(`${arg} without text`);
      return { command: rest.join(" ") };
    }
    if (flag === "-encodedcommand") {
      const value = argv[i + 1];
      if (value === undefined || i + 2 !== argv.length) {
        throw new Unsupported(`${arg} ${argv.slice(i + 1).join(" ")}`);
      }
      return { encoded: value };
    }
    throw new Unsupported(arg);
  }
  throw new Unsupported("no -Command or -EncodedCommand");
}

function base64Bytes(text: string, what: string): Uint8Array {
  try {
    return Uint8Array.from(atob(text.trim()), (c) => c.charCodeAt(0));
  } catch {
    throw new Unsupported(`${what} is not base64`);
  }
}

function decode(bytes: Uint8Array, encoding: string, what: string): string {
  try {
    return new TextDecoder(encoding, { fatal: true }).decode(bytes);
  } catch {
    throw new Unsupported(`${what} is not ${encoding}`);
  }
}

/** Options of {@linkcode main}. */
export interface MainOptions {
  labDir: string;
  /** @default the process's stdout and stderr */
  io?: ShellIo;
  /** Reads all of stdin. @default the process's stdin */
  readStdin?: () => Promise<Uint8Array>;
}

/** Runs one invocation; returns its exit code. */
export async function main(
  argv: string[],
  options: MainOptions,
): Promise<number> {
  const { labDir, io = processIo, readStdin = readProcessStdin } = options;
  const ctx: ShellContext = { labDir, io };
  const entry: JournalEntry = {
    ts: new Date().toISOString(),
    argv,
    script: null,
    kind: null,
  };
  let journaled = false;
  const journal = async () => {
    journaled = true;
    await appendJsonLine(`${labDir}/journal.jsonl`, entry);
  };
  try {
    const request = parseArgs(argv);
    let command: string;
    if ("command" in request) {
      command = request.command;
    } else {
      const bytes = base64Bytes(request.encoded, "-EncodedCommand");
      command = decode(bytes, "utf-16le", "-EncodedCommand");
      entry.script = command;
    }
    if (!command.startsWith(BOOTSTRAP_MARKER)) {
      await journal();
      return await runUserCommands(command, ctx);
    }
    const payload = new TextDecoder().decode(await readStdin());
    const script = decode(base64Bytes(payload, "stdin"), "utf-8", "stdin");
    entry.script = script;
    entry.kind = scriptKind(script);
    await journal();
    return await runScript(parseScript(script), ctx);
  } catch (error) {
    if (!(error instanceof Unsupported)) throw error;
    if (!journaled) await journal();
    await io.err(unsupportedLine(error));
    return 1;
  }
}

/** One line of `<lab>/journal.jsonl`. */
export interface JournalEntry {
  ts: string;
  argv: string[];
  /** The decoded script (bootstrap) or decoded -EncodedCommand text. */
  script: string | null;
  /** The script's kind from its header, when there is one. */
  kind: string | null;
}

async function readProcessStdin(): Promise<Uint8Array> {
  return new Uint8Array(await new Response(Deno.stdin.readable).arrayBuffer());
}

if (import.meta.main) {
  const labDir = Deno.env.get("WIN_LAB_DIR");
  if (!labDir) {
    await processIo.err("lab: Cannot run powershell: WIN_LAB_DIR is not set\n");
    Deno.exit(1);
  }
  Deno.exit(await main(Deno.args, { labDir }));
}
