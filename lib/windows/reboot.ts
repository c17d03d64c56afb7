import {
  DependencyError,
  DomainError,
  errorMessage,
  OperationalError,
  TimeoutError,
} from "../errors/mod.ts";
import type { Logger } from "../log/mod.ts";
import { type Delay, delay } from "../retry/mod.ts";
import type { SshClient } from "../ssh/mod.ts";
import { formatDuration } from "../duration/mod.ts";
import { remoteVersion } from "./probes.ts";
import { runJsonScript } from "./remote.ts";

/**
 * Seconds Windows waits between accepting the restart and starting the
 * shutdown (`shutdown.exe /r /t`): long enough for the answer to travel back
 * over the session the shutdown will end.
 */
export const REBOOT_DELAY_S = 5;

/** What the `reboot` kind answers. */
export interface RebootRequest {
  /** `requested` now, or `already_requested` by an earlier call with the same id. */
  state: "requested" | "already_requested";
  /** The boot time when this call ran. */
  last_boot: string;
  /** The boot time when the request was accepted: the one to see change. */
  requested_boot: string;
}

/** Options of {@linkcode requestReboot}. */
export interface RequestRebootOptions {
  /**
   * Names the request on Windows, so a retry of the same request (the answer
   * was lost, a job attempt is retried) never restarts Windows twice:
   * `[A-Za-z0-9_-]{1,64}`.
   */
  requestId: string;
  /** Time limit of the request in ms. */
  timeoutMs: number;
  /** Cancels the request. @default undefined */
  signal?: AbortSignal;
}

const REQUEST_ID = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * Asks Windows to restart, once per `requestId` (`shutdown.exe /r /t
 * {@linkcode REBOOT_DELAY_S}`). The ssh retry policy applies: a retry after a
 * lost answer finds the request's marker and restarts nothing again.
 */
export async function requestReboot(
  ssh: SshClient,
  options: RequestRebootOptions,
): Promise<RebootRequest> {
  const { requestId, timeoutMs, signal } = options;
  if (!REQUEST_ID.test(requestId)) {
    throw new RangeError(`Cannot request a reboot: "${requestId}" is no id`);
  }
  return await runJsonScript<"reboot", RebootRequest>(ssh, {
    kind: "reboot",
    input: { request_id: requestId, delay_s: REBOOT_DELAY_S },
    timeoutMs,
    signal,
  });
}

/** Options of {@linkcode waitForNewBoot}. */
export interface WaitForBootOptions {
  /** Gives up (TimeoutError) this many ms after the call. */
  timeoutMs: number;
  /** The time limit the TimeoutError names. @default timeoutMs */
  limitMs?: number;
  /** Time limit of one probe in ms. @default 15000, never past the deadline */
  probeTimeoutMs?: number;
  /** Pause between probes in ms. @default 2000 */
  pollMs?: number;
  /** Receives one line per probe that did not see a new boot. @default undefined */
  logger?: Logger;
  /** Cancels the wait. @default undefined */
  signal?: AbortSignal;
  /** Sleeps between probes. @default a real timer */
  sleep?: Delay;
  /** The clock in ms. @default Date.now */
  now?: () => number;
}

/**
 * Waits until Windows answers over ssh with a boot time other than
 * `previousBoot`, and returns it. Ssh answering is not enough: until the boot
 * time changes the restart has not happened (or is still to come), so
 * unreachable hosts, dropped sessions and an unchanged boot time all mean
 * "probe again", until `timeoutMs` (TimeoutError, exit 4, naming what the
 * last probe saw).
 */
export async function waitForNewBoot(
  ssh: SshClient,
  previousBoot: string,
  options: WaitForBootOptions,
): Promise<string> {
  const {
    timeoutMs,
    limitMs = timeoutMs,
    probeTimeoutMs = 15_000,
    pollMs = 2_000,
    logger,
    signal,
    sleep = delay,
    now = Date.now,
  } = options;
  const deadline = now() + timeoutMs;
  const log = logger?.scope("ssh", "windows.reboot");
  let last = "no probe finished";
  for (;;) {
    signal?.throwIfAborted();
    const left = deadline - now();
    if (left <= 0) break;
    try {
      const version = await remoteVersion(ssh, {
        timeoutMs: Math.min(probeTimeoutMs, left),
        signal,
      });
      if (version.last_boot !== previousBoot) return version.last_boot;
      last = `last_boot still ${version.last_boot}`;
    } catch (error) {
      if (!waitable(error)) throw error;
      last = errorMessage(error);
    }
    log?.info("waiting for the new boot", { detail: last });
    const pause = Math.min(pollMs, deadline - now());
    if (pause > 0) await sleep(pause, { signal });
  }
  throw new TimeoutError(
    `Cannot confirm the reboot of ${ssh.endpoint}: no new boot time within ${
      formatDuration(limitMs)
    } (${last})`,
    { fields: { state: "timeout", previous_boot: previousBoot } },
  );
}

/** What may happen while Windows restarts: wait and probe again. */
function waitable(error: unknown): boolean {
  return error instanceof DependencyError ||
    error instanceof TimeoutError ||
    error instanceof OperationalError;
}

/** Options of {@linkcode rebootAndWait}. */
export interface RebootOptions
  extends Omit<WaitForBootOptions, "timeoutMs" | "limitMs"> {
  /** See {@linkcode RequestRebootOptions.requestId}. */
  requestId: string;
  /** Time limit of the whole reboot (request and wait) in ms. */
  timeoutMs: number;
  /** Time limit of the restart request in ms. @default 30000, never past timeoutMs */
  requestTimeoutMs?: number;
  /** Wait for the new boot; false returns once Windows accepted the request. @default true */
  wait?: boolean;
}

/** What {@linkcode rebootAndWait} reports. */
export interface RebootResult {
  /** `requested` (not waited for) or `completed` (a new boot time seen). */
  state: "requested" | "completed";
  /** The boot time when the restart was requested. */
  previousBoot: string;
  /** The new boot time (`completed` only). */
  lastBoot?: string;
  /** Whether an earlier call with the same request id had asked already. */
  alreadyRequested: boolean;
}

/**
 * Restarts Windows and, with `wait`, returns once ssh answers again with a
 * new boot time (`doctor`'s `last_boot=`). The restart is asked for once per
 * `requestId`, never re-sent after Windows accepted it. Errors: the request
 * refused (OperationalError, exit 1), ssh unreachable before the request
 * (DependencyError, exit 3), no new boot time within `timeoutMs`
 * (TimeoutError, exit 4). `windows exec --reboot-if-required` and the
 * `windows.reboot` job use it too.
 */
export async function rebootAndWait(
  ssh: SshClient,
  options: RebootOptions,
): Promise<RebootResult> {
  const {
    requestId,
    timeoutMs,
    requestTimeoutMs = 30_000,
    wait = true,
    now = Date.now,
    ...waitOptions
  } = options;
  const started = now();
  let request: RebootRequest;
  try {
    request = await requestReboot(ssh, {
      requestId,
      timeoutMs: Math.min(requestTimeoutMs, timeoutMs),
      signal: options.signal,
    });
  } catch (error) {
    if (error instanceof DomainError) throw error;
    throw new OperationalError(
      `Cannot request a reboot of ${ssh.endpoint}: ${errorMessage(error)}`,
      { cause: error },
    );
  }
  const previousBoot = request.requested_boot;
  const alreadyRequested = request.state === "already_requested";
  if (alreadyRequested && request.last_boot !== previousBoot) {
    // An earlier attempt's restart has already happened.
    return {
      state: "completed",
      previousBoot,
      lastBoot: request.last_boot,
      alreadyRequested,
    };
  }
  if (!wait) return { state: "requested", previousBoot, alreadyRequested };
  const lastBoot = await waitForNewBoot(ssh, previousBoot, {
    ...waitOptions,
    now,
    timeoutMs: Math.max(0, timeoutMs - (now() - started)),
    limitMs: timeoutMs,
  });
  return { state: "completed", previousBoot, lastBoot, alreadyRequested };
}

/**
 * Exit codes that mean "restart Windows to finish" (Microsoft, System Error
 * Codes 1300-1699 and 3000-3999): 3010 ERROR_SUCCESS_REBOOT_REQUIRED asks for
 * a restart; 1641 ERROR_SUCCESS_REBOOT_INITIATED says the command (an
 * installer) has started one itself.
 */
export const REBOOT_EXIT_CODES: readonly number[] = [3010, 1641];

/** Options of {@linkcode rebootForExit}. */
export interface RebootForExitOptions extends RebootOptions {
  /** The command's exit code, one of {@linkcode REBOOT_EXIT_CODES}. */
  exitCode: number;
  /** The boot time read before the command ran. */
  bootBefore: string;
}

/**
 * Finishes what a command's exit code asked for: after 3010 it restarts
 * Windows once (by `requestId`) and waits; after 1641 the restart is already
 * under way, so it only waits for a boot time newer than `bootBefore` (asking
 * again would meet "a system shutdown has already been scheduled", 1190).
 */
export async function rebootForExit(
  ssh: SshClient,
  options: RebootForExitOptions,
): Promise<RebootResult> {
  const { exitCode, bootBefore, ...reboot } = options;
  if (!REBOOT_EXIT_CODES.includes(exitCode)) {
    throw new RangeError(`exit code ${exitCode} asks for no restart`);
  }
  if (exitCode === 3010) return await rebootAndWait(ssh, reboot);
  const { requestId: _id, requestTimeoutMs: _r, wait: _w, ...waitOptions } =
    reboot;
  const lastBoot = await waitForNewBoot(ssh, bootBefore, {
    ...waitOptions,
    limitMs: reboot.timeoutMs,
  });
  return {
    state: "completed",
    previousBoot: bootBefore,
    lastBoot,
    alreadyRequested: true,
  };
}
