import { errorMessage, OperationalError } from "../errors/mod.ts";
import type { ScopedLogger } from "../log/mod.ts";
import type { Redactor } from "../redact/mod.ts";
import type { SshClient } from "../ssh/mod.ts";
import { idempotencyGate } from "../windows/mod.ts";
import { type BeginOptions, JobArtifacts } from "./job_artifacts.ts";
import { windowsMirror } from "./mirror.ts";

/** What runs before the body: the idempotent check and the desktop lock. */
export interface RunGate {
  ssh: SshClient;
  /** PowerShell that exits 0 when the work is already done; none: no check. @default undefined */
  check?: string;
  /** Fail with `state=blocked` when the desktop is locked. @default false */
  requireUnlocked?: boolean;
  /** Time limit of each gate step in ms (the config's gate limit). */
  timeoutMs: number;
}

/** Options for {@linkcode recordedRun}. */
export interface RecordedRunOptions<T> {
  /** `artifacts.out_dir`. */
  outDir: string;
  /** The job id (a UUID): the root is `<out_dir>/<job_id>/`. */
  jobId: string;
  traceId: string;
  /** The target, written into the manifest. @default undefined */
  target?: string;
  /** Where the run's own lines go (manifest written, mirror, failures). */
  log: ScopedLogger;
  /** The level of the `manifest written` line. @default "info" */
  manifestLine?: "info" | "debug";
  /** Redacts the files and the manifest. @default the logger's redactor */
  redactor?: Redactor;
  /** Mirrors the finished root to Windows over this connection. @default undefined: no mirror */
  mirror?: { ssh: SshClient; timeoutMs: number };
  /** Checked after the root opens, before the body. @default undefined: no gate */
  gate?: RunGate;
  /** Stops the gate and the body. @default undefined */
  signal?: AbortSignal;
  /**
   * The signal whose abort, unless for a time limit, is a cancellation: the
   * manifest then says `cancelled` instead of `failed`. @default signal
   */
  cancelSignal?: AbortSignal;
  /** The manifest state of a body that returned. @default "completed" */
  stateOf?: (value: T) => "completed" | "failed";
  /**
   * Told when the manifest could not be written (the failure is logged
   * first); the run's own outcome, value or error, stands. @default undefined
   */
  onManifestError?: (error: unknown) => void;
  /** Opens the root; tests inject one. @default JobArtifacts.begin */
  begin?: (options: BeginOptions) => Promise<JobArtifacts>;
  /** This host's name, in the marker and the manifest. @default Deno.hostname() */
  hostname?: string;
  /** Told once the root exists, before the gate and the body. @default undefined */
  onBegin?: (art: JobArtifacts) => void;
}

/** How a recorded run ended when it did not throw. */
export type RunOutcome<T> =
  | { state: "skipped"; art: JobArtifacts }
  | { state: "ran"; value: T; art: JobArtifacts };

/** The artifact root could not be created: the same job would fail again. */
export class ArtifactRootError extends OperationalError {}

/**
 * Whether `signal` aborted for a cancellation, not for a time limit (an
 * abort whose reason speaks of a timeout is the engine's execution timeout).
 */
export function isCancelled(signal: AbortSignal | undefined): boolean {
  if (!signal?.aborted) return false;
  const reason = signal.reason as { message?: unknown } | undefined;
  return !/timeout|timed out|exceeded/i.test(
    String(reason?.message ?? reason),
  );
}

/**
 * One recorded run, the same for a direct CLI run and a worker job: opens
 * `<out_dir>/<job_id>/`, runs the gate (desktop lock, idempotent check: exit
 * 0 skips the body), runs `body`, and in every outcome writes the manifest
 * (`completed`, `failed`, `cancelled`; `partial` when the body set
 * `art.partial`) and then the mirror. A manifest that cannot be written is
 * logged and reported through `onManifestError`, never thrown over the
 * run's own value or error.
 */
export async function recordedRun<T>(
  options: RecordedRunOptions<T>,
  body: (art: JobArtifacts, signal: AbortSignal) => Promise<T>,
): Promise<RunOutcome<T>> {
  const {
    outDir,
    jobId,
    traceId,
    target,
    log,
    manifestLine = "info",
    redactor,
    mirror,
    gate,
    signal = new AbortController().signal,
    cancelSignal = signal,
    stateOf = () => "completed",
    onManifestError,
    begin = (o: BeginOptions) => JobArtifacts.begin(o),
    hostname,
    onBegin,
  } = options;
  let art: JobArtifacts;
  try {
    art = await begin({
      outDir,
      jobId,
      traceId,
      target,
      logger: log.logger,
      redactor,
      mirror: mirror ? windowsMirror(mirror.ssh, mirror) : undefined,
      hostname,
    });
  } catch (error) {
    throw new ArtifactRootError(
      `Cannot create the artifact root in "${outDir}": ${errorMessage(error)}`,
    );
  }
  let state: string = "failed";
  try {
    onBegin?.(art);
    if (gate?.check !== undefined) {
      const decision = await idempotencyGate(gate.ssh, gate.check, {
        timeoutMs: gate.timeoutMs,
        requireUnlocked: gate.requireUnlocked,
        signal,
      });
      if (decision === "skip") {
        state = "completed";
        return { state: "skipped", art };
      }
    }
    const value = await body(art, signal);
    state = stateOf(value);
    return { state: "ran", value, art };
  } catch (error) {
    if (isCancelled(cancelSignal)) state = "cancelled";
    throw error;
  } finally {
    await finish(art, state, { log, manifestLine, onManifestError });
  }
}

async function finish(
  art: JobArtifacts,
  state: string,
  options: Pick<
    RecordedRunOptions<unknown>,
    "log" | "manifestLine" | "onManifestError"
  >,
): Promise<void> {
  const { log, manifestLine, onManifestError } = options;
  try {
    const manifest = await art.finish(state);
    log[manifestLine ?? "info"]("manifest written", {
      job_id: art.jobId,
      artifact_root: art.root,
      manifest_state: manifest?.state,
      artifacts: manifest?.artifacts.length,
      mirror: manifest?.mirror?.state,
    });
  } catch (error) {
    log.error("cannot write the manifest", {
      err: error,
      job_id: art.jobId,
      artifact_root: art.root,
    });
    onManifestError?.(error);
  }
}
