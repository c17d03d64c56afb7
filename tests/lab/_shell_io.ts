/** Where the emulator's output goes. */
export interface ShellIo {
  out(text: string): Promise<void>;
  err(text: string): Promise<void>;
}

/** What a running statement may use. */
export interface ShellContext {
  labDir: string;
  io: ShellIo;
}

/** How a statement ended: `exit` ends the script; `failed` sets exit code 1. */
export interface StepResult {
  exit?: number;
  failed?: boolean;
}

/** A statement checked and ready to run. */
export type Step = () => Promise<StepResult>;

/** The process's own stdout and stderr. */
export const processIo: ShellIo = {
  out: (text) => writeAll(Deno.stdout, text),
  err: (text) => writeAll(Deno.stderr, text),
};

async function writeAll(
  stream: { write(p: Uint8Array): Promise<number> },
  text: string,
): Promise<void> {
  let bytes = new TextEncoder().encode(text);
  while (bytes.length > 0) bytes = bytes.subarray(await stream.write(bytes));
}

/** Writes raw bytes to stdout. */
export async function writeStdoutBytes(bytes: Uint8Array): Promise<void> {
  let rest = bytes;
  while (rest.length > 0) rest = rest.subarray(await Deno.stdout.write(rest));
}

/** Sleeps without busy-waiting. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
