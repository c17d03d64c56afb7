/**
 * Starts `win-automation worker` as a real subprocess (the shipped permission
 * set) for integration tests, and stops it with a signal.
 * @module
 */
import { CLI_PERMISSIONS } from "../scripts/permissions.ts";

const ROOT = new URL("..", import.meta.url).pathname;

/** A running worker. */
export interface WorkerProcess {
  pid: number;
  /** Everything the worker wrote to stderr so far. */
  stderr: () => string;
  /** Everything the worker wrote to stdout so far. */
  stdout: () => string;
  /** Resolves when a stderr line matches `pattern`. */
  waitFor: (pattern: RegExp, timeoutMs?: number) => Promise<void>;
  /** Sends a signal and waits for the exit code. */
  stop: (signal?: Deno.Signal) => Promise<number>;
}

/**
 * Starts a worker with `env` and waits until it is ready. `denoFlags` go to
 * `deno run` (the benchmark's `--inspect`).
 */
export async function startWorker(
  env: Record<string, string>,
  args: string[] = [],
  denoFlags: string[] = [],
): Promise<WorkerProcess> {
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      ...CLI_PERMISSIONS,
      ...denoFlags,
      "--quiet",
      `${ROOT}main.ts`,
      "worker",
      ...args,
    ],
    env: { ...env, NO_COLOR: "1" },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let err = "";
  let out = "";
  const pump = async (
    stream: ReadableStream<Uint8Array>,
    add: (t: string) => void,
  ) => {
    const dec = new TextDecoder();
    for await (const chunk of stream) add(dec.decode(chunk, { stream: true }));
  };
  const pumping = Promise.all([
    pump(child.stderr, (t) => err += t),
    pump(child.stdout, (t) => out += t),
  ]);
  const status = child.status;
  const waitFor = async (pattern: RegExp, timeoutMs = 30_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!pattern.test(err)) {
      if (Date.now() > deadline) {
        throw new Error(
          `worker never logged ${pattern}; stderr:\n${err.slice(-3000)}`,
        );
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  const worker: WorkerProcess = {
    pid: child.pid,
    stderr: () => err,
    stdout: () => out,
    waitFor,
    stop: async (signal: Deno.Signal = "SIGTERM") => {
      try {
        child.kill(signal);
      } catch { /* already gone */ }
      const s = await status;
      await pumping;
      return s.code;
    },
  };
  await waitFor(/msg="worker ready"/);
  return worker;
}
