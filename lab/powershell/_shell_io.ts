import type { PsRecord } from "./_records.ts";
import type { WindowsKnobs } from "../windows/mod.ts";

/**
 * Where a command's text goes. For a kind's body these are `[Console]::Out`
 * and `[Console]::Error` lines; for a user command, `out` is an output object
 * and `err` an ErrorRecord (`"<Cmdlet> : <message>"` names its command).
 */
export interface ShellIo {
  out(text: string): Promise<void>;
  err(text: string): Promise<void>;
}

/** The process's real streams, as bytes. */
export interface RawIo {
  stdout(bytes: Uint8Array): Promise<void>;
  stderr(bytes: Uint8Array): Promise<void>;
  /** Whether stderr is redirected (not a terminal): the host then writes CLIXML. */
  stderrRedirected: boolean;
}

/** What a running statement may use. */
export interface ShellContext {
  labDir: string;
  io: ShellIo;
  /** Writes one record to the current pipeline. @default through `io` */
  emit?: (record: PsRecord) => Promise<void>;
  /** The Windows knobs of this invocation. */
  knobs?: WindowsKnobs;
  /** The process's streams (log_follow writes its bytes there). */
  raw?: RawIo;
}

/** How a statement ended. */
export interface StepResult {
  /** `exit n` ran: the script (or process) ends with n. */
  exit?: number;
  /** A non-terminating error was written: `$?` becomes False. */
  failed?: boolean;
  /** A native program ran and exited with this code (`$LASTEXITCODE`). */
  nativeExit?: number;
}

/** A statement checked and ready to run. */
export type Step = () => Promise<StepResult>;

/** The process's own stdout and stderr. */
export const processRaw: RawIo = {
  stdout: (bytes) => writeAll(Deno.stdout, bytes),
  stderr: (bytes) => writeAll(Deno.stderr, bytes),
  stderrRedirected: !Deno.stderr.isTerminal(),
};

async function writeAll(
  stream: { write(p: Uint8Array): Promise<number> },
  bytes: Uint8Array,
): Promise<void> {
  let rest = bytes;
  while (rest.length > 0) rest = rest.subarray(await stream.write(rest));
}

/**
 * `[Console]::Out` and `[Console]::Error` after the bootstrap set
 * `[Console]::OutputEncoding` to UTF-8: text as UTF-8, each `\n` as CRLF
 * (`WriteLine` ends lines with `Environment.NewLine`).
 */
export function consoleIo(raw: RawIo): ShellIo {
  const encode = (text: string) =>
    new TextEncoder().encode(text.replace(/\r?\n/g, "\r\n"));
  return {
    out: (text) => raw.stdout(encode(text)),
    err: (text) => raw.stderr(encode(text)),
  };
}

/** Sleeps without busy-waiting. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
