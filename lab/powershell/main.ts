/**
 * The lab's `powershell`: a stand-in for Windows PowerShell 5.1 reached over
 * the lab's real sshd. It runs the tool's bootstrap + script kinds against lab
 * state, and a small user-command subset (see lab/README.md). Anything
 * else exits 1 with `lab: unsupported PowerShell: <what>`. Every invocation is
 * journaled to `<lab>/journal.jsonl`.
 * @module
 */
import { ConsoleHost } from "./_console_host.ts";
import {
  mapWindowsPath,
  readWindowsKnobs,
  Unsupported,
  unsupportedLine,
  type WindowsKnobs,
} from "../windows/mod.ts";
import { compileUserScript } from "./_interpreter.ts";
import { appendJsonLine } from "../linux/mod.ts";
import { BODY_PINS, BOOTSTRAP_PIN, RUNNER_PIN, UNREVIEWED } from "./_pins.ts";
import { runnerHash, runRunner } from "./_run_kinds.ts";
import {
  checkBootstrap,
  parseRequest,
  type Pins,
  scriptKind,
} from "./_script.ts";
import { runScript } from "./_script_kinds.ts";
import { consoleIo, processRaw, type RawIo } from "./_shell_io.ts";

/** How every bootstrap's text begins; such a text must be the pinned one. */
const BOOTSTRAP_PREFIX = "# win-automation bootstrap";
const SWITCHES = ["-nologo", "-noprofile", "-noninteractive"];
const VALUES: Record<string, (v: string) => boolean> = {
  "-executionpolicy": () => true,
  "-outputformat": (v) => v.toLowerCase() === "text",
  // The Aloha service tasks' action (docs/CONTEXT.md, "Delivery of PowerShell").
  "-windowstyle": (v) => v.toLowerCase() === "hidden",
};
const COMMAND = ["-command", "-c"];
const ENCODED = ["-encodedcommand", "-e", "-ec"];
const FILE = ["-file"];

/** What the arguments ask for: a command text, base64 to decode, or a script file. */
export type Invocation =
  | { command: string }
  | { encoded: string }
  | { file: string };

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
    if (COMMAND.includes(flag)) {
      const rest = argv.slice(i + 1);
      if (rest.length === 0) throw new Unsupported(`${arg} without text`);
      if (rest[0] === "-") throw new Unsupported(`${arg} - (stdin commands)`);
      return { command: rest.join(" ") };
    }
    if (FILE.includes(flag)) {
      // -File <path> with no script arguments: only the run's runner.
      const value = argv[i + 1];
      if (value === undefined || i + 2 !== argv.length) {
        throw new Unsupported(`${arg} ${argv.slice(i + 1).join(" ")}`);
      }
      return { file: value };
    }
    if (ENCODED.includes(flag)) {
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

/**
 * The pins to check against: lab/powershell/_pins.ts, or, for the emulator's own
 * unit tests only, `WIN_LAB_TEST_PINS` (JSON {@linkcode Pins}); sshd never
 * passes it, and the journal records its use.
 */
function pinsFromEnv(): { pins: Pins; override: boolean } {
  const text = Deno.env.get("WIN_LAB_TEST_PINS");
  if (!text) {
    return {
      pins: { bootstrap: BOOTSTRAP_PIN, bodies: BODY_PINS, runner: RUNNER_PIN },
      override: false,
    };
  }
  return { pins: JSON.parse(text) as Pins, override: true };
}

/** Options of {@linkcode main}. */
export interface MainOptions {
  labDir: string;
  /** @default the process's stdout and stderr */
  raw?: RawIo;
  /** Reads all of stdin. @default the process's stdin */
  readStdin?: () => Promise<Uint8Array>;
}

/** Runs one invocation; returns its exit code. */
export async function main(
  argv: string[],
  options: MainOptions,
): Promise<number> {
  const { labDir, raw = processRaw, readStdin = readProcessStdin } = options;
  const { pins, override } = pinsFromEnv();
  const entry: JournalEntry = {
    ts: new Date().toISOString(),
    argv,
    script: null,
    kind: null,
    ...(override ? { pins: "test-override" } : {}),
  };
  let journaled = false;
  const journal = async () => {
    journaled = true;
    await appendJsonLine(`${labDir}/journal.jsonl`, entry);
  };
  let host: ConsoleHost | null = null;
  try {
    const knobs = await readKnobs(labDir);
    const request = parseArgs(argv);
    let command: string;
    if ("file" in request) {
      return await runFile(request.file, {
        labDir,
        knobs,
        raw,
        pins,
        entry,
        journal,
      });
    }
    if ("command" in request) {
      command = request.command;
    } else {
      const bytes = base64Bytes(request.encoded, "-EncodedCommand");
      command = decode(bytes, "utf-16le", "-EncodedCommand");
      entry.script = command;
    }
    host = new ConsoleHost(raw, { codePage: knobs.oem_codepage });
    if (!command.startsWith(BOOTSTRAP_PREFIX)) {
      await journal();
      return await runHostCommand(command, { labDir, knobs, raw, host });
    }
    checkBootstrap(command, pins);
    const stdin = decode(await readStdin(), "utf-8", "stdin");
    entry.kind = scriptKind(
      new TextDecoder().decode(
        base64Bytes(stdin.split("\n", 1)[0] ?? "", "stdin line 1"),
      ),
    );
    const parsed = parseRequest(stdin, pins);
    entry.script = parsed.script;
    entry.input = parsed.input;
    await journal();
    await host.start();
    const io = consoleIo(raw);
    await io.out(`wa:${parsed.nonce}:begin\n`);
    const code = await runScript(parsed, { labDir, io, knobs, raw });
    await io.out(`wa:${parsed.nonce}:exit=${code}\n`);
    return code & 0xff;
  } catch (error) {
    if (!(error instanceof Unsupported)) throw error;
    if (!journaled) await journal();
    await raw.stderr(new TextEncoder().encode(unsupportedLine(error)));
    return 1;
  } finally {
    await host?.close();
  }
}

async function readKnobs(labDir: string): Promise<WindowsKnobs> {
  try {
    return await readWindowsKnobs(labDir);
  } catch (error) {
    throw new Unsupported((error as Error).message.replace(/^lab: /, ""));
  }
}

/**
 * `-Command <text>` (or `-EncodedCommand` of a text that is not a bootstrap):
 * the text runs at the host, whose renderer gets every record. Exit: `exit n`,
 * else 0 or 1 from `$?` of the last statement (ConsoleHost.cs: `$global:?`).
 */
async function runHostCommand(
  command: string,
  options: {
    labDir: string;
    knobs: WindowsKnobs;
    raw: RawIo;
    host: ConsoleHost;
  },
): Promise<number> {
  const { labDir, knobs, raw, host } = options;
  const run = compileUserScript(command, {
    ctx: { labDir, knobs, raw, io: consoleIo(raw) },
    emit: (record) => host.write(record),
    nativeStderr: (text) => host.nativeStderr(text),
  });
  await host.start();
  const outcome = await run();
  if (outcome.exit !== null) return outcome.exit & 0xff;
  return outcome.status && !outcome.terminating ? 0 : 1;
}

/**
 * `-File <path>`: only the runner a run's `run_start` wrote, whose text must
 * hash to the pinned runner (`RUNNER_PIN`); anything else is refused.
 */
async function runFile(
  file: string,
  options: {
    labDir: string;
    knobs: WindowsKnobs;
    raw: RawIo;
    pins: Pins;
    entry: JournalEntry;
    journal: () => Promise<void>;
  },
): Promise<number> {
  const { labDir, knobs, raw, pins, entry, journal } = options;
  const path = mapWindowsPath(labDir, file);
  const bytes = await Deno.readFile(path).catch(() => null);
  if (bytes === null) throw new Unsupported(`-File ${file}: no such file`);
  const hash = runnerHash(bytes);
  entry.kind = "runner";
  entry.script = new TextDecoder().decode(bytes).replace(/^\ufeff/, "");
  await journal();
  if (
    hash === null || pins.runner === undefined || pins.runner === UNREVIEWED ||
    hash !== pins.runner
  ) {
    throw new Unsupported(
      `-File ${file} is not the pinned runner (sha256 ${hash}; lab/powershell/_pins.ts)`,
    );
  }
  return (await runRunner(path, { labDir, knobs, raw })) & 0xff;
}

/** One line of `<lab>/journal.jsonl`. */
export interface JournalEntry {
  ts: string;
  argv: string[];
  /** The decoded script (bootstrap) or decoded -EncodedCommand text. */
  script: string | null;
  /** The script's kind from its header, when there is one. */
  kind: string | null;
  /** The request's data input (stdin line 2), for a bootstrap request. */
  input?: Record<string, unknown>;
  /** `test-override` when the emulator's unit tests set the pins. */
  pins?: string;
}

async function readProcessStdin(): Promise<Uint8Array> {
  return new Uint8Array(await new Response(Deno.stdin.readable).arrayBuffer());
}

if (import.meta.main) {
  const labDir = Deno.env.get("WIN_LAB_DIR");
  if (!labDir) {
    await processRaw.stderr(
      new TextEncoder().encode(
        "lab: Cannot run powershell: WIN_LAB_DIR is not set\n",
      ),
    );
    Deno.exit(1);
  }
  Deno.exit(await main(Deno.args, { labDir }));
}
