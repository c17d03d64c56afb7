import { OperationalError } from "../errors/mod.ts";
import {
  buildScript,
  encodeStdin,
  REMOTE_COMMAND,
  type ScriptInputs,
  type ScriptKind,
} from "../powershell/mod.ts";
import type { SshClient, SshRunOptions } from "../ssh/mod.ts";

/** What a remote script left, decoded. */
export interface ScriptResult {
  /** The script's exit code. */
  code: number;
  /** Stdout as UTF-8 text. */
  stdout: string;
  /** Stderr as UTF-8 text, without PowerShell's CLIXML progress noise. */
  stderr: string;
  /** Whether stdout was capped. */
  truncated: boolean;
}

/** Removes the `#< CLIXML` progress records PowerShell writes to stderr. */
export function stripClixml(text: string): string {
  return text
    .split(/\r?\n/)
    .filter((line) =>
      !line.startsWith("#< CLIXML") && !line.startsWith("<Objs ")
    )
    .join("\n");
}

/** Runs one script kind on the Windows host over ssh. */
export async function runScript<K extends ScriptKind>(
  ssh: SshClient,
  kind: K,
  input: ScriptInputs[K],
  options: Omit<SshRunOptions, "stdin"> = {},
): Promise<ScriptResult> {
  const result = await ssh.run(REMOTE_COMMAND, {
    ...options,
    stdin: encodeStdin(buildScript(kind, input)),
  });
  const decoder = new TextDecoder();
  return {
    code: result.code,
    stdout: decoder.decode(result.stdout),
    stderr: stripClixml(decoder.decode(result.stderr)),
    truncated: result.truncated,
  };
}

/**
 * Runs a script kind that answers with one JSON line and returns it parsed.
 * A non-zero exit or an unreadable answer is an OperationalError naming the
 * kind.
 */
export async function runJsonScript<K extends ScriptKind, T>(
  ssh: SshClient,
  kind: K,
  input: ScriptInputs[K],
  options: Omit<SshRunOptions, "stdin"> = {},
): Promise<T> {
  const result = await runScript(ssh, kind, input, options);
  const firstErr = result.stderr.trim().split("\n")[0] ?? "";
  if (result.code !== 0) {
    throw new OperationalError(
      `Cannot run ${kind} on ${ssh.endpoint}: exit code ${result.code}${
        firstErr ? ` (${firstErr})` : ""
      }`,
    );
  }
  const line = result.stdout.trim().split(/\r?\n/).pop() ?? "";
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
