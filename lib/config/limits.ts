/**
 * Every time limit the tool applies, each named once and derived from the
 * two settings a user writes: `timeout` (one remote step, one request, one
 * connection) and `hatchet.job_timeout` (a whole job). Defaults are those
 * settings' defaults; nothing else decides a limit.
 */
export interface Limits {
  /** An SSH connection's connect timeout (`ssh -o ConnectTimeout`): `timeout`. */
  connectMs: number;
  /** A direct `windows exec` command without `--timeout`: `timeout`. */
  commandMs: number;
  /** A queued `windows.exec` or `playwright.run` without `timeout_ms`, a watch, a whole job: `hatchet.job_timeout`. */
  jobMs: number;
  /** Each step of a run's gate (desktop lock, idempotent check): `timeout`. */
  gateMs: number;
  /** Waiting for an Aloha task to finish (`--wait`, a queued `aloha.run`): `hatchet.job_timeout`. */
  alohaWaitMs: number;
  /** A queued `aloha.run`'s own wait: `hatchet.job_timeout` less `alohaStopMs` and a 5 s margin (at least 1 s), so the stop and its confirmation end before the engine's execution timeout frees the desktop. */
  alohaJobWaitMs: number;
  /** After an Aloha `/stop` (time limit, cancellation), following the client log for the task's real end: `timeout`. */
  alohaStopMs: number;
  /** Each step of the artifact mirror to Windows: `hatchet.job_timeout`. */
  mirrorMs: number;
  /** `jobs cancel` waiting for the cancelled state: `timeout`, at least 30 s. */
  cancelMs: number;
  /** One HTTP request (Aloha, Hatchet's health endpoint): `timeout`. */
  httpMs: number;
  /** Connecting to the Playwright server (`playwright health`, the supervisor's probe): `timeout`. */
  playwrightConnectMs: number;
  /** A whole page run without `--timeout` or `timeout_ms`, direct or queued: `timeout`. */
  pageRunMs: number;
  /** The worker registering with the engine and becoming ready: `timeout`. */
  workerReadyMs: number;
  /** One remote step of install, doctor and supervisor (a probe, a script): `timeout`. */
  stepMs: number;
  /** A whole `windows reboot` (request and wait) without `--timeout`, a queued `windows.reboot`: `hatchet.job_timeout`. */
  rebootMs: number;
}

/** The floor of {@linkcode Limits.cancelMs}: a cancel reaches the worker and back. */
export const CANCEL_FLOOR_MS = 30_000;

/** The limits derived from `timeout` and `hatchet.job_timeout` (both in ms). */
export function limitsOf(
  settings: { timeoutMs: number; jobTimeoutMs: number },
): Limits {
  const { timeoutMs, jobTimeoutMs } = settings;
  return {
    connectMs: timeoutMs,
    commandMs: timeoutMs,
    jobMs: jobTimeoutMs,
    gateMs: timeoutMs,
    alohaWaitMs: jobTimeoutMs,
    alohaJobWaitMs: Math.max(1000, jobTimeoutMs - timeoutMs - 5000),
    alohaStopMs: timeoutMs,
    mirrorMs: jobTimeoutMs,
    cancelMs: Math.max(timeoutMs, CANCEL_FLOOR_MS),
    httpMs: timeoutMs,
    playwrightConnectMs: timeoutMs,
    pageRunMs: timeoutMs,
    workerReadyMs: timeoutMs,
    stepMs: timeoutMs,
    rebootMs: jobTimeoutMs,
  };
}
