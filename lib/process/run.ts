import { delay } from "../retry/mod.ts";

/** Options for one process run. */
export interface RunOptions {
  /** Bytes written to stdin, which is then closed. @default empty */
  stdin?: Uint8Array;
  /** Kills the process (SIGTERM, then SIGKILL after 2 s) when aborted. @default undefined */
  signal?: AbortSignal;
  /** Bytes kept of stdout; the rest is read and dropped. @default 16 MiB */
  maxOutputBytes?: number;
  /**
   * The child's whole environment: nothing is inherited from this process,
   * whose environment holds the secrets (see {@linkcode childEnv}).
   * @default {} (empty)
   */
  env?: Record<string, string>;
  /**
   * Receives each chunk of stdout as it arrives (before any cap), for
   * callers that follow a long run. @default undefined
   */
  onStdout?: (chunk: Uint8Array) => void;
}

/** What a finished process left. */
export interface RunResult {
  /** Exit code (128 + signal number when killed by a signal). */
  code: number;
  /** Captured stdout, at most `maxOutputBytes`. */
  stdout: Uint8Array;
  /** Captured stderr, at most 1 MiB. */
  stderr: Uint8Array;
  /** Whether stdout was cut at `maxOutputBytes`. */
  truncated: boolean;
  /**
   * The last bytes of stdout (at most 8 KiB), kept even when stdout was cut,
   * so an end-of-output marker survives truncation. @default undefined
   */
  stdoutTail?: Uint8Array;
  /** Whether the run was ended by `signal`. */
  aborted: boolean;
}

/** Runs a program; the narrow edge that tests replace with a fake. */
export type ProcessRunner = (
  command: string,
  args: string[],
  options?: RunOptions,
) => Promise<RunResult>;

const DEFAULT_MAX_OUTPUT = 16 * 1024 * 1024;
const MAX_STDERR = 1024 * 1024;

const TAIL_BYTES = 8192;

interface Drain {
  done: Promise<{ bytes: Uint8Array; truncated: boolean; tail: Uint8Array }>;
  /** Stops reading and resolves `done` with what was read so far. */
  stop: () => void;
}

function drain(
  stream: ReadableStream<Uint8Array>,
  limit: number,
  onChunk?: (chunk: Uint8Array) => void,
): Drain {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let kept = 0;
  let truncated = false;
  let tail: Uint8Array = new Uint8Array(0);
  const done = (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        onChunk?.(value);
        tail = keepTail(tail, value);
        if (kept >= limit) {
          truncated = truncated || value.length > 0;
          continue;
        }
        const take = Math.min(value.length, limit - kept);
        if (take < value.length) truncated = true;
        chunks.push(take === value.length ? value : value.subarray(0, take));
        kept += take;
      }
    } catch { /* cancelled */ }
    const bytes = new Uint8Array(kept);
    let at = 0;
    for (const c of chunks) {
      bytes.set(c, at);
      at += c.length;
    }
    return { bytes, truncated, tail };
  })();
  return { done, stop: () => void reader.cancel().catch(() => {}) };
}

/**
 * The real {@linkcode ProcessRunner}, on `Deno.Command`, with a cleared
 * environment: the child sees only `options.env`.
 */
export const runProcess: ProcessRunner = async (
  command,
  args,
  options = {},
) => {
  const {
    stdin,
    signal,
    maxOutputBytes = DEFAULT_MAX_OUTPUT,
    env = {},
    onStdout,
  } = options;
  const child = new Deno.Command(command, {
    args,
    clearEnv: true,
    env,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let aborted = false;
  let killTimer: ReturnType<typeof setTimeout> | undefined;
  const onAbort = () => {
    aborted = true;
    try {
      child.kill("SIGTERM");
    } catch { /* already gone */ }
    killTimer = setTimeout(() => {
      try {
        child.kill("SIGKILL");
      } catch { /* already gone */ }
    }, 2000);
  };
  if (signal?.aborted) onAbort();
  else signal?.addEventListener("abort", onAbort, { once: true });
  const writer = child.stdin.getWriter();
  const writing = (async () => {
    try {
      if (stdin && stdin.length > 0) await writer.write(stdin);
      await writer.close();
    } catch { /* the process closed stdin early */ }
  })();
  const out = drain(child.stdout, maxOutputBytes, onStdout);
  const err = drain(child.stderr, MAX_STDERR);
  try {
    const status = await child.status;
    if (aborted) {
      // A killed ssh may have handed its pipes to a multiplexing master,
      // which keeps them open until the remote side ends: do not wait for it.
      await Promise.race([
        Promise.all([out.done, err.done]),
        delay(200),
      ]);
      out.stop();
      err.stop();
    }
    const [o, e] = await Promise.all([out.done, err.done, writing]);
    return {
      code: status.signal ? 128 + signalNumber(status.signal) : status.code,
      stdout: o.bytes,
      stderr: e.bytes,
      truncated: o.truncated,
      stdoutTail: o.tail,
      aborted,
    };
  } finally {
    signal?.removeEventListener("abort", onAbort);
    if (killTimer !== undefined) clearTimeout(killTimer);
  }
};

function keepTail(tail: Uint8Array, chunk: Uint8Array): Uint8Array {
  if (chunk.length >= TAIL_BYTES) return chunk.slice(chunk.length - TAIL_BYTES);
  const keep = Math.min(tail.length, TAIL_BYTES - chunk.length);
  const next = new Uint8Array(keep + chunk.length);
  next.set(tail.subarray(tail.length - keep));
  next.set(chunk, keep);
  return next;
}

function signalNumber(name: string): number {
  const table: Record<string, number> = {
    SIGHUP: 1,
    SIGINT: 2,
    SIGKILL: 9,
    SIGTERM: 15,
  };
  return table[name] ?? 1;
}
