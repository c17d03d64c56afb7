/**
 * Runs that belong to Windows, not to the SSH session: `run_start` starts a
 * command once (an exclusive `started` marker in its run folder; outside the
 * session's job object), `run_follow` streams its output lines from byte
 * offsets and its final state. A dropped connection is followed by a
 * re-attach under the retry policy: never by a second start.
 * @module
 */
import {
  DependencyError,
  errorMessage,
  OperationalError,
  TimeoutError,
} from "../errors/mod.ts";
import type { Logger } from "../log/mod.ts";
import {
  buildRequest,
  decodeClixml,
  decodeWindowsText,
  REMOTE_COMMAND,
} from "../powershell/mod.ts";
import { DEFAULT_DELAYS_MS, type Delay, delay } from "../retry/mod.ts";
import { isConnectionLoss, type SshClient } from "../ssh/mod.ts";
import { runJsonScript, runScript } from "./remote.ts";

/** What a run id may be (it becomes a folder name on Windows). */
export const RUN_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** How long one `run_start` call may take (PowerShell's start, the CIM call). */
export const START_MS = 30_000;

/** Whether a text may be a run id. */
export function isRunId(text: string): boolean {
  return RUN_ID_PATTERN.test(text);
}

/** Which stream a line came from. */
export type RunStream = "stdout" | "stderr";

/** Receives each output line of a run as it arrives (without its line end). */
export type OnLine = (stream: RunStream, line: string) => void;

/**
 * The abort reason that stops following a run **without stopping it**: the
 * job's engine handed it to another attempt, which re-attaches to the same
 * run (its id is the job id). Any other abort reason stops the run's
 * process tree too.
 */
export class RunHandedOver extends Error {
  override readonly name = "RunHandedOver";
}

/** Whether an aborted signal asks for the run to be stopped too. */
function stopsRun(signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true && !(signal.reason instanceof RunHandedOver);
}

/** Options for following a run ({@linkcode attachRun}, {@linkcode windowsExec}). */
export interface FollowOptions {
  /**
   * The run's whole time limit in ms, measured on Windows from its start;
   * past it the run's process tree is stopped and a TimeoutError thrown.
   * 0: no limit for the run (attach).
   */
  timeoutMs: number;
  /**
   * How long to wait for the run here (attach); past it a TimeoutError says
   * the run still runs, and nothing is stopped. @default timeoutMs + 30 s
   */
  waitMs?: number;
  /**
   * Cancels: the run's process tree is stopped too, unless the reason is a
   * {@linkcode RunHandedOver}. @default undefined
   */
  signal?: AbortSignal;
  /** Bytes of stdout kept before it is marked truncated. @default 16 MiB */
  maxOutputBytes?: number;
  /** Receives re-attach and stop lines. @default undefined */
  logger?: Logger;
  /** Receives each output line as it arrives. @default undefined */
  onLine?: OnLine;
  /** Waits before each re-attach after a connection loss. @default [500, 1000, 2000] */
  retryDelaysMs?: readonly number[];
  /** Sleeps between re-attaches. @default a real timer */
  sleep?: Delay;
  /** The longest one follow call waits on Windows. @default 60 s */
  pollMs?: number;
}

/** Options for {@linkcode windowsExec}. */
export interface ExecOptions extends FollowOptions {
  /** Identifies the run on Windows (its folder). @default a new UUID */
  runId?: string;
}

/** The outcome of a run. */
export interface ExecResult {
  /** The command's exit code. */
  exitCode: number;
  /** Its stdout. */
  stdout: string;
  /** Its stderr. */
  stderr: string;
  /** Whether stdout was capped. */
  truncated: boolean;
  /** The run id on Windows. */
  runId: string;
  /** How many times the client re-attached after losing the connection. */
  reattached: number;
}

/** What `run_start` answered. */
export type StartState = "started" | "exists";

/** The run's outcome is unknown: the host could not be reached again. */
function outcomeUnknown(
  ssh: SshClient,
  runId: string,
  cause: unknown,
): DependencyError {
  return new DependencyError(
    `Cannot follow run ${runId} on ${ssh.endpoint}: the host did not answer again (${
      errorMessage(cause)
    }); the run's outcome is unknown: attach later with: win-automation windows attach --run ${runId}`,
    { cause, fields: { state: "unknown", run_id: runId } },
  );
}

/**
 * Starts a run on Windows unless it exists; returns which. A connection lost
 * while asking is retried under the retry policy (starting is idempotent:
 * `started` is claimed with an exclusive create), then reported as an
 * unknown outcome naming the run id.
 */
export async function startRun(
  ssh: SshClient,
  command: string,
  options: {
    runId: string;
    timeoutMs: number;
    signal?: AbortSignal;
    logger?: Logger;
    retryDelaysMs?: readonly number[];
    sleep?: Delay;
  },
): Promise<StartState> {
  const {
    runId,
    timeoutMs,
    signal,
    logger,
    retryDelaysMs = DEFAULT_DELAYS_MS,
    sleep = delay,
  } = options;
  if (!isRunId(runId)) throw new RangeError(`run id "${runId}" is not valid`);
  let connected = false;
  for (let failures = 0;; failures++) {
    try {
      // ssh itself retries a connection that never opened (the script never
      // ran); a broken one comes back here.
      const answer = await runJsonScript<"run_start", { state: StartState }>(
        ssh,
        {
          kind: "run_start",
          input: { command, run_id: runId },
          timeoutMs,
          signal,
        },
      );
      return answer.state;
    } catch (error) {
      if (signal?.aborted || !lostContact(error)) throw error;
      if (unreachable(error)) {
        if (!connected) {
          throw new DependencyError(
            `Cannot start run ${runId} on ${ssh.endpoint}: ${
              errorMessage(error)
            }; the run was not started`,
            { cause: error, fields: { state: "unreachable", run_id: runId } },
          );
        }
        throw outcomeUnknown(ssh, runId, error);
      }
      connected = true;
      const wait = retryDelaysMs[failures];
      if (wait === undefined) throw outcomeUnknown(ssh, runId, error);
      logger?.scope("ssh", "windows.exec").warn(
        "connection lost while starting; asking again (a started run is never started again)",
        {
          run_id: runId,
          attempt: failures + 1,
          delay_ms: wait,
          err: errorMessage(error),
        },
      );
      await sleep(wait, { signal });
    }
  }
}

/** Whether ssh could not open a connection at all (after its own retries). */
function unreachable(error: unknown): boolean {
  return error instanceof DependencyError &&
    error.fields.state === "unreachable";
}

/** Whether a failed call may be retried as a re-attach. */
function lostContact(error: unknown): boolean {
  return isConnectionLoss(error) || error instanceof NoAnswer ||
    error instanceof TimeoutError;
}

/** A follow call that ended without its status line (PowerShell cut off). */
class NoAnswer extends Error {
  override readonly name = "NoAnswer";
}

/**
 * Runs a user command in PowerShell on Windows as a run: starts it (once)
 * outside the SSH session, then follows it until it ends ({@linkcode
 * attachRun}). On timeout or cancellation the run's process tree is stopped.
 */
export async function windowsExec(
  ssh: SshClient,
  command: string,
  options: ExecOptions,
): Promise<ExecResult> {
  const { runId = crypto.randomUUID(), signal, logger } = options;
  let state: StartState;
  try {
    state = await startRun(ssh, command, {
      runId,
      // Starting is not the run: its own bound, whatever --timeout says.
      timeoutMs: START_MS,
      signal,
      logger,
      retryDelaysMs: options.retryDelaysMs,
      sleep: options.sleep,
    });
  } catch (error) {
    // Cancelled while starting: the stop leaves the `cancelled` marker, so a
    // runner that starts after it exits 130 without running anything.
    if (stopsRun(signal)) await stopRemote(ssh, runId, logger);
    throw error;
  }
  if (state === "exists") {
    logger?.scope("ssh", "windows.exec").info(
      "run exists on Windows; attaching, not starting it again",
      { run_id: runId },
    );
  }
  return await attachRun(ssh, runId, { ...options, stopOnTimeout: true });
}

/** The status line of a follow call. */
interface Status {
  state:
    | "finished"
    | "killed"
    | "lost"
    | "not_found"
    | "timeout"
    | "running"
    | "start_failed";
  exit_code?: number | null;
  elapsed_ms?: number;
}

/**
 * Follows an existing run until it ends and returns its result: waits while
 * it runs (one `run_follow` call at a time, each at most `pollMs`), streams
 * its lines to `onLine`, and after a lost connection re-attaches from the
 * byte offsets already read, under the retry policy (a call that got an
 * answer resets it). Past the retries the outcome is unknown (exit 3, naming
 * the run id). A run that ended without a result (`lost`: a reboot or crash),
 * was stopped (`killed`) or does not exist (`not_found`) is an
 * OperationalError with that state.
 */
export async function attachRun(
  ssh: SshClient,
  runId: string,
  options: FollowOptions & { stopOnTimeout?: boolean },
): Promise<ExecResult> {
  const {
    timeoutMs,
    waitMs = (timeoutMs || 60 * 60_000) + 30_000,
    signal,
    maxOutputBytes = 16 * 1024 * 1024,
    logger,
    onLine,
    retryDelaysMs = DEFAULT_DELAYS_MS,
    sleep = delay,
    pollMs = 60_000,
    stopOnTimeout = false,
  } = options;
  if (!isRunId(runId)) throw new RangeError(`run id "${runId}" is not valid`);
  const log = logger?.scope("ssh", "windows.exec");
  const offsets = { stdout: 0, stderr: 0 };
  const kept = { stdout: [] as string[], stderr: [] as string[] };
  let stdoutBytes = 0;
  let truncated = false;
  const take = (stream: RunStream, end: number, text: string) => {
    if (end <= offsets[stream]) return; // already seen before a re-attach
    offsets[stream] = end;
    onLine?.(stream, text);
    if (stream === "stdout") {
      if (stdoutBytes + text.length + 1 > maxOutputBytes) {
        truncated = true;
        return;
      }
      stdoutBytes += text.length + 1;
    }
    kept[stream].push(text);
  };
  const until = Date.now() + waitMs;
  let failures = 0;
  let reattached = 0;
  const stop = async () => {
    await stopRemote(ssh, runId, logger);
  };
  try {
    for (;;) {
      if (signal?.aborted) throw signal.reason ?? new Error("aborted");
      const left = until - Date.now();
      if (left <= 0) {
        throw new TimeoutError(
          `Cannot finish waiting for run ${runId} on ${ssh.endpoint}: still running after ${waitMs}ms; attach again with: win-automation windows attach --run ${runId}`,
          { fields: { state: "timeout", run_id: runId } },
        );
      }
      let status: Status;
      try {
        status = await followOnce(ssh, runId, {
          offsets,
          waitMs: Math.max(0, Math.min(pollMs, left)),
          timeoutMs,
          signal,
          take,
        });
      } catch (error) {
        if (signal?.aborted || !lostContact(error)) throw error;
        const wait = retryDelaysMs[failures];
        // ssh already retried a connection that would not open.
        if (wait === undefined || unreachable(error)) {
          throw outcomeUnknown(ssh, runId, error);
        }
        failures++;
        reattached++;
        log?.warn("connection lost; re-attaching to the run", {
          run_id: runId,
          attempt: failures,
          delay_ms: wait,
          err: errorMessage(error),
        });
        await sleep(wait, { signal });
        continue;
      }
      failures = 0;
      switch (status.state) {
        case "running":
          continue;
        case "finished":
          return {
            exitCode: status.exit_code ?? 1,
            stdout: joinLines(kept.stdout),
            stderr: joinLines(kept.stderr),
            truncated,
            runId,
            reattached,
          };
        case "timeout":
          if (stopOnTimeout) await stop();
          throw new TimeoutError(
            `Cannot finish run ${runId} on ${ssh.endpoint}: no result within ${timeoutMs}ms (its process tree was stopped)`,
            { fields: { state: "timeout", run_id: runId } },
          );
        case "not_found":
          throw new OperationalError(
            `Cannot attach to run ${runId} on ${ssh.endpoint}: no such run`,
            { fields: { state: "not_found", run_id: runId } },
          );
        case "lost":
          throw new OperationalError(
            `Cannot finish run ${runId} on ${ssh.endpoint}: its process ended without a result (Windows restarted or the process was killed); it is not started again`,
            { fields: { state: "lost", run_id: runId } },
          );
        case "killed":
          throw new OperationalError(
            `Cannot finish run ${runId} on ${ssh.endpoint}: it was stopped (cancelled or timed out)`,
            { fields: { state: "killed", run_id: runId } },
          );
        case "start_failed":
          throw new OperationalError(
            `Cannot start run ${runId} on ${ssh.endpoint}: ${
              kept.stderr.join(" ") || "Windows could not create its process"
            }`,
            { fields: { state: "failed", run_id: runId } },
          );
        default:
          throw new OperationalError(
            `Cannot read run ${runId} on ${ssh.endpoint}: unknown state ${
              JSON.stringify((status as { state: unknown }).state)
            }`,
          );
      }
    }
  } catch (error) {
    if (stopsRun(signal)) await stop();
    throw error;
  }
}

function joinLines(lines: string[]): string {
  return lines.length ? lines.join("\n") + "\n" : "";
}

/**
 * One `run_follow` call: streams its `o`/`e` lines to `take` as ssh delivers
 * them and returns its `x` status. A call cut off before its status line
 * throws NoAnswer (a re-attach is safe: it only reads).
 */
async function followOnce(
  ssh: SshClient,
  runId: string,
  options: {
    offsets: { stdout: number; stderr: number };
    waitMs: number;
    timeoutMs: number;
    signal?: AbortSignal;
    take: (stream: RunStream, end: number, text: string) => void;
  },
): Promise<Status> {
  const { offsets, waitMs, timeoutMs, signal, take } = options;
  const request = buildRequest("run_follow", {
    run_id: runId,
    stdout_offset: offsets.stdout,
    stderr_offset: offsets.stderr,
    wait_ms: waitMs,
    timeout_ms: timeoutMs,
  });
  const begin = `wa:${request.nonce}:begin`;
  const trailer = new RegExp(`^wa:${request.nonce}:exit=(-?\\d+)$`);
  let pending = new Uint8Array(0);
  let begun = false;
  let status: Status | undefined;
  let exit: number | undefined;
  let bad: string | undefined;
  const onLineBytes = (bytes: Uint8Array) => {
    const line = decodeWindowsText(bytes, 437).replace(/\r$/, "");
    if (!begun) {
      begun = line === begin;
      return;
    }
    const end = trailer.exec(line);
    if (end) {
      exit = Number(end[1]);
      return;
    }
    const m = /^([oe]) (\d+) (.*)$/s.exec(line);
    if (m) {
      take(m[1] === "o" ? "stdout" : "stderr", Number(m[2]), m[3]!);
      return;
    }
    if (line.startsWith("x ")) {
      try {
        status = JSON.parse(line.slice(2)) as Status;
      } catch {
        bad ??= line;
      }
      return;
    }
    bad ??= line;
  };
  const onStdout = (chunk: Uint8Array) => {
    const all = new Uint8Array(pending.length + chunk.length);
    all.set(pending);
    all.set(chunk, pending.length);
    let at = 0;
    for (;;) {
      const lf = all.indexOf(10, at);
      if (lf < 0) break;
      onLineBytes(all.subarray(at, lf));
      at = lf + 1;
    }
    pending = all.slice(at);
  };
  const result = await ssh.run(REMOTE_COMMAND, {
    stdin: request.stdin,
    signal,
    timeoutMs: waitMs + 30_000,
    onStdout,
    maxOutputBytes: 64 * 1024,
  });
  if (pending.length) onLineBytes(pending);
  if (exit !== undefined && exit !== 0) {
    const said = decodeClixml(decodeWindowsText(result.stderr, 437)).trim()
      .split("\n")[0];
    throw new OperationalError(
      `Cannot follow run ${runId} on ${ssh.endpoint}: exit code ${exit}${
        said ? ` (${said})` : ""
      }`,
    );
  }
  if (bad !== undefined) {
    throw new OperationalError(
      `Cannot follow run ${runId} on ${ssh.endpoint}: unexpected line ${
        JSON.stringify(bad.slice(0, 120))
      }`,
    );
  }
  if (!status || exit === undefined) {
    const said = decodeClixml(decodeWindowsText(result.stderr, 437)).trim()
      .split("\n").pop();
    throw new NoAnswer(
      `the follow call ended without an answer (ssh exited ${result.code}${
        said ? `: ${said.slice(0, 200)}` : ""
      })`,
    );
  }
  return status;
}

/** Stops the remote process tree of a run; returns the state Windows reported. */
export async function stopRemote(
  ssh: SshClient,
  runId: string,
  logger?: Logger,
): Promise<string> {
  const log = logger?.scope("ssh", "windows.exec");
  try {
    const answer = await runJsonScript<"kill", { state: string }>(ssh, {
      kind: "kill",
      input: { run_id: runId },
      timeoutMs: 15_000,
    });
    log?.info("stopped remote command", {
      run_id: runId,
      state: answer.state,
    });
    return answer.state;
  } catch (error) {
    log?.error("cannot stop remote command", { err: error, run_id: runId });
    return "unknown";
  }
}

/** One run on the host, as `windows runs list` shows it. */
export interface RunInfo {
  run_id: string;
  state: string;
  started: string;
  exit_code: number | null;
}

/** The runs on the host (`run_list`). */
export async function listRuns(
  ssh: SshClient,
  options: { timeoutMs: number; signal?: AbortSignal },
): Promise<RunInfo[]> {
  const result = await runScript(ssh, {
    kind: "run_list",
    input: {},
    ...options,
  });
  if (result.code !== 0) {
    throw new OperationalError(
      `Cannot list runs on ${ssh.endpoint}: exit code ${result.code}${
        result.stderr.trim() ? ` (${result.stderr.trim().split("\n")[0]})` : ""
      }`,
    );
  }
  const runs: RunInfo[] = [];
  for (const line of result.stdout.split("\n")) {
    if (!line.trim()) continue;
    try {
      runs.push(JSON.parse(line) as RunInfo);
    } catch (cause) {
      throw new OperationalError(
        `Cannot read the run list from ${ssh.endpoint}: not JSON: ${
          JSON.stringify(line.slice(0, 120))
        }`,
        { cause },
      );
    }
  }
  return runs.sort((a, b) => a.started.localeCompare(b.started));
}

/** One run folder `gcRuns` deleted, or would delete. */
export interface RunGcEntry {
  run_id: string;
  action: "deleted" | "would_delete";
  age_days: number;
}

/**
 * Deletes run folders on Windows older than `days` (`run_gc`; with `dryRun`
 * nothing is deleted) and returns what it deleted or would delete.
 */
export async function gcRuns(
  ssh: SshClient,
  options: {
    days: number;
    dryRun?: boolean;
    timeoutMs: number;
    signal?: AbortSignal;
  },
): Promise<RunGcEntry[]> {
  const { days, dryRun = false, timeoutMs, signal } = options;
  if (!Number.isInteger(days) || days < 1) {
    throw new RangeError(`days must be a positive integer, got ${days}`);
  }
  const result = await runScript(ssh, {
    kind: "run_gc",
    input: { days, dry_run: dryRun },
    timeoutMs,
    signal,
  });
  if (result.code !== 0) {
    throw new OperationalError(
      `Cannot clean runs on ${ssh.endpoint}: exit code ${result.code}${
        result.stderr.trim() ? ` (${result.stderr.trim().split("\n")[0]})` : ""
      }`,
    );
  }
  return result.stdout.split("\n").filter((l) => l.trim()).map((line) => {
    try {
      return JSON.parse(line) as RunGcEntry;
    } catch (cause) {
      throw new OperationalError(
        `Cannot read the run gc answer from ${ssh.endpoint}: not JSON: ${
          JSON.stringify(line.slice(0, 120))
        }`,
        { cause },
      );
    }
  });
}
