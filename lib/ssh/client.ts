import { DependencyError, errorMessage, TimeoutError } from "../errors/mod.ts";
import type { Logger } from "../log/mod.ts";
import {
  type ProcessRunner,
  runProcess,
  type RunResult,
} from "../process/mod.ts";
import { type Delay, delay, retry } from "../retry/mod.ts";
import { classifySshResult } from "./classify.ts";
import { resolveProgram } from "./program.ts";
import {
  forwardDir,
  type ForwardOptions,
  forwardSocketPath,
  forwardSpec,
  type LocalForward,
  type Tunnel,
} from "./forward.ts";
import { ensurePrivateDir } from "../fs/mod.ts";
import {
  ensureStateDirs,
  knownHostsPath,
  scpHost,
  sshOptions,
  type SshTarget,
} from "./options.ts";

/** Options for {@linkcode SshClient}. */
export interface SshClientOptions {
  /** Runs ssh/scp. @default runProcess */
  runner?: ProcessRunner;
  /** Receives retry and debug lines. @default undefined */
  logger?: Logger;
  /** Delays before connection retries. @default [500, 1000, 2000] */
  retryDelaysMs?: readonly number[];
  /** Sleeps between retries. @default a real timer */
  sleep?: Delay;
  /**
   * The ssh program to run. @default `ssh` resolved once on `searchPath` to
   * a root-owned absolute path (plain `ssh` when a fake `runner` is given)
   */
  sshProgram?: string;
  /** The scp program to run. @default as `sshProgram`, for `scp` */
  scpProgram?: string;
  /** `PATH`, searched for ssh and scp. @default "/usr/bin:/bin" */
  searchPath?: string;
  /**
   * The whole environment of ssh, scp and the ControlMaster (nothing is
   * inherited; build it with `childEnv`). @default { PATH: "/usr/bin:/bin" }
   */
  env?: Record<string, string>;
}

/** Options for one remote run. */
export interface SshRunOptions {
  /** Bytes for the remote command's stdin. @default empty */
  stdin?: Uint8Array;
  /** Aborts the run (the local ssh is killed). @default undefined */
  signal?: AbortSignal;
  /** Time limit in ms; past it the run fails with a TimeoutError. @default no limit */
  timeoutMs?: number;
  /** Bytes of stdout kept. @default 16 MiB */
  maxOutputBytes?: number;
  /** Receives each chunk of stdout as it arrives. @default undefined */
  onStdout?: (chunk: Uint8Array) => void;
}

class ConnectionFailure extends Error {
  override readonly name = "ConnectionFailure";
}

/**
 * Whether an error means the host could not be reached (`state=unreachable`)
 * or the connection broke after the remote session may have started
 * (`state=dropped`: "closed by remote host", "Broken pipe"; what the remote
 * command did is unknown, so the client never runs it again; a run
 * re-attaches instead, lib/windows/run.ts).
 */
export function isConnectionLoss(error: unknown): boolean {
  return error instanceof DependencyError &&
    (error.fields.state === "unreachable" || error.fields.state === "dropped");
}

/**
 * Runs commands on the Windows host with the system ssh: host keys checked,
 * connection multiplexing on, connection-level failures retried (never a
 * remote non-zero exit).
 */
export class SshClient implements Tunnel {
  readonly target: SshTarget;
  #runner: ProcessRunner;
  #logger?: Logger;
  #delays?: readonly number[];
  #sleep: Delay;
  #ssh?: Promise<string>;
  #scp?: Promise<string>;
  #searchPath?: string;
  #env: Record<string, string>;
  #dirsReady = false;

  constructor(target: SshTarget, options: SshClientOptions = {}) {
    this.target = target;
    this.#runner = options.runner ?? runProcess;
    this.#logger = options.logger;
    this.#delays = options.retryDelaysMs;
    this.#sleep = options.sleep ?? delay;
    const fixed = (name: string) =>
      options.runner ? Promise.resolve(name) : undefined;
    const given = (p: string | undefined) =>
      p === undefined ? undefined : Promise.resolve(p);
    this.#ssh = given(options.sshProgram) ?? fixed("ssh");
    this.#scp = given(options.scpProgram) ?? fixed("scp");
    this.#searchPath = options.searchPath;
    this.#env = options.env ?? { PATH: "/usr/bin:/bin" };
  }

  /** The program to run for `what`: resolved on first use, then kept. */
  #program(what: "ssh" | "scp"): Promise<string> {
    const resolve = () =>
      resolveProgram(what, { searchPath: this.#searchPath });
    if (what === "ssh") return this.#ssh ??= resolve();
    return this.#scp ??= resolve();
  }

  /**
   * Checks (and creates) the private state directories now, so a state dir
   * that cannot be trusted is reported before any work starts.
   */
  async prepareState(): Promise<void> {
    if (this.#dirsReady) return;
    await ensureStateDirs(this.target);
    this.#dirsReady = true;
  }

  /** `host:port` for messages. */
  get endpoint(): string {
    return `${this.target.host}:${this.target.port}`;
  }

  /** Runs `remoteCommand` on the host and returns what it left. */
  run(remoteCommand: string, options: SshRunOptions = {}): Promise<RunResult> {
    const args = [
      ...sshOptions(this.target),
      "-T",
      "--",
      this.target.host,
      remoteCommand,
    ];
    return this.#invoke(args, "ssh", options);
  }

  /**
   * Copies local files (or, with `recursive`, directories) to a remote path
   * (Windows paths with forward slashes).
   */
  upload(
    localPaths: string[],
    remotePath: string,
    options: SshRunOptions & { recursive?: boolean } = {},
  ): Promise<RunResult> {
    const args = [
      "-q",
      ...(options.recursive ? ["-r"] : []),
      ...sshOptions(this.target),
      "--",
      ...localPaths,
      `${scpHost(this.target.host)}:${remotePath}`,
    ];
    return this.#invoke(args, "scp", options);
  }

  /**
   * Copies remote files (or, with `recursive`, a directory) to a local path.
   * `sftpRequests` raises the number of SFTP reads in flight (`scp -X
   * nrequests=N`, OpenSSH 9.0 or later) for large files.
   */
  download(
    remotePath: string,
    localPath: string,
    options: SshRunOptions & { recursive?: boolean; sftpRequests?: number } =
      {},
  ): Promise<RunResult> {
    const args = [
      "-q",
      ...(options.recursive ? ["-r"] : []),
      ...(options.sftpRequests
        ? ["-X", `nrequests=${options.sftpRequests}`]
        : []),
      ...sshOptions(this.target),
      "--",
      `${scpHost(this.target.host)}:${remotePath}`,
      localPath,
    ];
    return this.#invoke(args, "scp", options);
  }

  /**
   * Runs `ssh -O <op>` against this target's control socket, once (no
   * retry): `check`, or `forward`/`cancel` of one `-L` spec.
   */
  async #control(
    op: "check" | "forward" | "cancel",
    spec?: string,
    signal?: AbortSignal,
  ): Promise<RunResult> {
    await this.prepareState();
    const program = await this.#program("ssh");
    return await this.#runner(program, [
      ...sshOptions(this.target),
      "-O",
      op,
      ...(spec === undefined ? [] : ["-L", spec]),
      "--",
      this.target.host,
    ], { signal: signal ?? AbortSignal.timeout(this.target.connectTimeoutMs) });
  }

  /**
   * Makes sure a control master runs for this target: nothing when one
   * answers `-O check`, else starts one (`ControlMaster=yes -N`, which
   * ControlPersist puts in the background). When another process's master
   * won the race, ours stays in the foreground as a plain connection
   * ("already exists, disabling multiplexing") and is stopped.
   */
  async ensureMaster(options: ForwardOptions = {}): Promise<void> {
    const { signal, timeoutMs = this.target.connectTimeoutMs + 5_000 } =
      options;
    if ((await this.#control("check", undefined, signal)).code === 0) return;
    const ours = new AbortController();
    const settled = this.#invoke(
      [
        ...sshOptions(this.target),
        "-o",
        "ControlMaster=yes",
        "-N",
        "--",
        this.target.host,
      ],
      "ssh",
      {
        signal: signal ? AbortSignal.any([signal, ours.signal]) : ours.signal,
        timeoutMs,
      },
    ).then((result) => ({ result }), (error: unknown) => ({ error }));
    let lostAt: number | undefined;
    for (;;) {
      const done = await Promise.race([
        settled,
        this.#sleep(150).then(() => undefined),
      ]);
      if (done && "error" in done) {
        if (!ours.signal.aborted) throw done.error;
        return;
      }
      if (done) {
        const check = await this.#control("check", undefined, signal);
        if (check.code === 0) return;
        const why = new TextDecoder().decode(done.result.stderr).trim()
          .split("\n").pop();
        throw new DependencyError(
          `Cannot start an ssh control master for ${this.endpoint}: ssh exited ${done.result.code}${
            why ? ` (${why})` : ""
          }`,
          { fields: { state: "unreachable" } },
        );
      }
      if ((await this.#control("check", undefined, signal)).code !== 0) {
        continue;
      }
      // Another master answers while ours still runs: ours lost the race.
      lostAt ??= Date.now();
      if (Date.now() - lostAt > 1_000) {
        ours.abort(new Error("another control master won"));
        await settled;
        return;
      }
    }
  }

  /**
   * Opens a local forward on the control master: a unix socket in
   * `<state_dir>/fw` (0700; the socket itself 0600, StreamLocalBindMask)
   * that reaches `host:port` from the Windows side. Close it right after
   * the connection through it is made.
   */
  async forward(
    host: string,
    port: number,
    options: ForwardOptions = {},
  ): Promise<LocalForward> {
    await this.prepareState();
    const dir = forwardDir(this.target.stateDir);
    await ensurePrivateDir(dir, { field: "state_dir" });
    const path = forwardSocketPath(dir);
    const spec = forwardSpec(path, host, port);
    const remote = `${host}:${port}`;
    let result: RunResult | undefined;
    for (let attempt = 0; attempt < 2; attempt++) {
      await this.ensureMaster(options);
      result = await this.#control("forward", spec, options.signal);
      if (result.code === 0) break;
    }
    if (result?.code !== 0) {
      const why = new TextDecoder().decode(result?.stderr).trim()
        .split("\n").pop();
      await Deno.remove(path).catch(() => {});
      throw new DependencyError(
        `Cannot forward to ${remote} on the Windows side through ${this.endpoint}: ssh -O forward exited ${result?.code}${
          why ? ` (${why})` : ""
        }`,
        { fields: { state: "unreachable" } },
      );
    }
    this.#logger?.scope("ssh", "ssh.forward").debug("forward opened", {
      remote,
    });
    let closed = false;
    return {
      path,
      remote,
      close: async () => {
        if (closed) return;
        closed = true;
        await this.#control("cancel", spec).catch(() => undefined);
        await Deno.remove(path).catch(() => {});
        this.#logger?.scope("ssh", "ssh.forward").debug("forward cancelled", {
          remote,
        });
      },
    };
  }

  async #invoke(
    args: string[],
    what: "ssh" | "scp",
    options: SshRunOptions,
  ): Promise<RunResult> {
    await this.prepareState();
    const program = await this.#program(what);
    const { timeoutMs, signal } = options;

    try {
      return await retry(async () => {
        const timeout = timeoutMs === undefined
          ? undefined
          : AbortSignal.timeout(timeoutMs);
        const signals = [signal, timeout].filter((s): s is AbortSignal =>
          s !== undefined
        );
        const result = await this.#runner(program, args, {
          stdin: options.stdin,
          signal: signals.length ? AbortSignal.any(signals) : undefined,
          maxOutputBytes: options.maxOutputBytes,
          env: this.#env,
          onStdout: options.onStdout,
        });
        if (result.aborted) {
          if (timeout?.aborted) {
            throw new TimeoutError(
              `Cannot finish ${what} on ${this.endpoint}: no answer within ${timeoutMs}ms`,
              { fields: { state: "timeout" } },
            );
          }
          throw signal?.reason ?? new Error("aborted");
        }
        const failure = classifySshResult(result);
        const stderr =
          new TextDecoder().decode(result.stderr).trim().split("\n").pop() ??
            "";
        if (failure === "connection") throw new ConnectionFailure(stderr);
        if (failure === "dropped") {
          throw new DependencyError(
            `Cannot finish ${what} on ${this.endpoint}: the connection broke (${stderr})`,
            { fields: { state: "dropped" } },
          );
        }
        if (failure === "host_key" && this.target.hostKey) {
          throw new DependencyError(
            `Cannot connect to ${this.endpoint}: host key verification failed (the host's key is not the one pinned in windows.ssh_host_key)`,
            { fields: { state: "host_key_mismatch" } },
          );
        }
        if (failure === "host_key") {
          throw new DependencyError(
            `Cannot connect to ${this.endpoint}: host key verification failed (the host key differs from ${
              knownHostsPath(this.target)
            }; remove the stale entry with: ssh-keygen -R "[${this.target.host}]:${this.target.port}" -f ${
              knownHostsPath(this.target)
            })`,
          );
        }
        if (failure === "auth") {
          throw new DependencyError(
            `Cannot connect to ${this.endpoint}: authentication failed for user "${this.target.user}" (${stderr})`,
          );
        }
        return result;
      }, {
        // Only a connection that never opened (the command never started);
        // one that broke after is a DependencyError with state=dropped.
        shouldRetry: (e) => e instanceof ConnectionFailure,
        delaysMs: this.#delays,
        sleep: this.#sleep,
        signal,
        onRetry: (e, n, delay) =>
          this.#logger?.scope("ssh", what).warn(
            "retrying after connection failure",
            {
              attempt: n + 1,
              delay_ms: delay,
              err: errorMessage(e),
            },
          ),
      });
    } catch (error) {
      if ((error as Error)?.name === "NotCapable") {
        throw new DependencyError(
          `Cannot run ${what}: "${program}" is not among the programs this build may run (scripts/permissions.ts lists them)`,
          { fields: { state: "missing" } },
        );
      }
      if (error instanceof ConnectionFailure) {
        throw new DependencyError(
          `Cannot connect to ${this.endpoint}: ${error.message}`,
          {
            cause: error,
            fields: { state: "unreachable" },
          },
        );
      }
      throw error;
    }
  }
}
