import { OperationalError } from "../errors/mod.ts";
import {
  buildRequest,
  parseReply,
  type RawReply,
  REMOTE_COMMAND,
  type ScriptInputs,
  type ScriptKind,
} from "../powershell/mod.ts";
import type { SshClient, SshRunOptions } from "../ssh/mod.ts";

/** One run of a script kind: its kind, its input, and the ssh run's options. */
export interface ScriptCall<K extends ScriptKind>
  extends Omit<SshRunOptions, "stdin"> {
  /** The script kind to run. */
  kind: K;
  /** Its input, sent as data (never compiled). */
  input: ScriptInputs[K];
}

/** What a remote script left, decoded. */
export interface ScriptResult {
  /** The script's exit code, from its in-band trailer. */
  code: number;
  /** Stdout as text (LF line ends), between the run's markers. */
  stdout: string;
  /** Stderr as text (LF line ends), CLIXML decoded into its messages. */
  stderr: string;
  /** Whether stdout was capped. */
  truncated: boolean;
}

/**
 * Runs one script kind on the Windows host over ssh. The exit code is the one
 * the script reported in-band; when there is none (the script did not run to
 * its end), an OperationalError says so with what Windows printed.
 */
export async function runScript<K extends ScriptKind>(
  ssh: SshClient,
  call: ScriptCall<K>,
): Promise<ScriptResult> {
  const { kind, input, ...options } = call;
  const request = buildRequest(kind, input);
  const result = await ssh.run(REMOTE_COMMAND, {
    ...options,
    stdin: request.stdin,
  });
  return decodeScriptRun(result, {
    kind,
    nonce: request.nonce,
    endpoint: ssh.endpoint,
  });
}

/** What one run of a script left: ssh's status and the bytes it printed. */
export interface ScriptRun extends RawReply {
  /** ssh's exit status (what Windows' process or sshd's DefaultShell returned). */
  code: number;
  /** Whether stdout was capped. */
  truncated: boolean;
}

/** Options for {@linkcode decodeScriptRun}. */
export interface DecodeScriptRunOptions {
  /** The script kind that ran, for messages. */
  kind: ScriptKind;
  /** The nonce the run's answer is framed with. */
  nonce: string;
  /** `host:port` of the Windows host, for messages. */
  endpoint: string;
}

/**
 * What {@linkcode runScript} makes of a finished run, with no I/O: the exit
 * code from the in-band trailer and the decoded streams. A run with no
 * trailer (the script did not run to its end) is an OperationalError that
 * says what Windows printed.
 */
export function decodeScriptRun(
  run: ScriptRun,
  options: DecodeScriptRunOptions,
): ScriptResult {
  const { kind, nonce, endpoint } = options;
  const reply = parseReply(run, nonce);
  if (reply.exitCode === null) {
    const said = firstLine(reply.stderr) || firstLine(reply.preamble);
    throw new OperationalError(
      `Cannot run ${kind} on ${endpoint}: the script did not finish (powershell exited ${run.code}${
        said ? `: ${said}` : ""
      })`,
    );
  }
  return {
    code: reply.exitCode,
    stdout: reply.stdout,
    stderr: reply.stderr,
    truncated: run.truncated,
  };
}

function firstLine(text: string): string {
  return text.split("\n").map((l) => l.trim()).find((l) => l !== "") ?? "";
}

/**
 * Runs a script kind that answers with one JSON line and returns it parsed.
 * A non-zero exit or an unreadable answer is an OperationalError naming the
 * kind and Windows' reason.
 */
export async function runJsonScript<K extends ScriptKind, T>(
  ssh: SshClient,
  call: ScriptCall<K>,
): Promise<T> {
  const { kind } = call;
  const result = await runScript(ssh, call);
  const firstErr = firstLine(result.stderr);
  if (result.code !== 0) {
    throw new OperationalError(
      `Cannot run ${kind} on ${ssh.endpoint}: exit code ${result.code}${
        firstErr ? ` (${firstErr})` : ""
      }`,
    );
  }
  const line = result.stdout.trim().split("\n").pop() ?? "";
  try {
    return JSON.parse(line) as T;
  } catch (cause) {
    throw new OperationalError(
      `Cannot read the answer of ${kind} from ${ssh.endpoint}: not JSON: ${
        JSON.stringify(line.slice(0, 200))
      }`,
      { cause },
    );
  }
}
