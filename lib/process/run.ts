/** Options for one process run. */
export interface RunOptions {
  /** Bytes written to stdin, which is then closed. @default empty */
  stdin?: Uint8Array;
  /** Kills the process (SIGTERM, then SIGKILL after 2 s) when aborted. @default undefined */
  signal?: AbortSignal;
  /** Bytes kept of stdout; the rest is read and dropped. @default 16 MiB */
  maxOutputBytes?: number;
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

async function drain(
  stream: ReadableStream<Uint8Array>,
  limit: number,
): Promise<{ bytes: Uint8Array; truncated: boolean }> {
  const chunks: Uint8Array[] = [];
  let kept = 0;
  let truncated = false;
  for await (const chunk of stream) {
    if (kept >= limit) {
      truncated = truncated || chunk.length > 0;
      continue;
    }
    const take = Math.min(chunk.length, limit - kept);
    if (take < chunk.length) truncated = true;
    chunks.push(take === chunk.length ? chunk : chunk.subarray(0, take));
    kept += take;
  }
  const bytes = new Uint8Array(kept);
  let at = 0;
  for (const c of chunks) {
    bytes.set(c, at);
    at += c.length;
  }
  return { bytes, truncated };
}

/** The real {@linkcode ProcessRunner}, on `Deno.Command`. */
export const runProcess: ProcessRunner = async (
  command,
  args,
  options = {},
) => {
  const { stdin, signal, maxOutputBytes = DEFAULT_MAX_OUTPUT } = options;
  const child = new Deno.Command(command, {
    args,
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
  try {
    const [out, err, status] = await Promise.all([
      drain(child.stdout, maxOutputBytes),
      drain(child.stderr, MAX_STDERR),
      child.status,
      writing,
    ]);
    return {
      code: status.signal ? 128 + signalNumber(status.signal) : status.code,
      stdout: out.bytes,
      stderr: err.bytes,
      truncated: out.truncated,
      aborted,
    };
  } finally {
    signal?.removeEventListener("abort", onAbort);
    if (killTimer !== undefined) clearTimeout(killTimer);
  }
};

function signalNumber(name: string): number {
  const table: Record<string, number> = {
    SIGHUP: 1,
    SIGINT: 2,
    SIGKILL: 9,
    SIGTERM: 15,
  };
  return table[name] ?? 1;
}
