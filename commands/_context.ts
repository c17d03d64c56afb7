import { AlohaClient } from "../lib/aloha/mod.ts";
import {
  configForTarget,
  FIELDS,
  loadConfig,
  type ResolvedConfig,
  secretsOf,
  settingName,
} from "../lib/config/mod.ts";
import { Logger, ResultLog } from "../lib/log/mod.ts";
import { ConfigError } from "../lib/errors/mod.ts";
import type { RunGate, RunOutcome } from "../lib/artifacts/mod.ts";
import type { JobArtifacts } from "../lib/artifacts/mod.ts";
import type { Io, RunState } from "./_io.ts";
import { newTraceId } from "./_trace.ts";
import { SshClient } from "../lib/ssh/mod.ts";
import { CHILD_ENV_NAMES, childEnv } from "../lib/process/mod.ts";

/** Options for {@linkcode createContext}. */
export interface ContextOptions {
  /** The `--config` flag. @default undefined */
  configPath?: string;
  /** Suppress structured logs. @default false */
  raw?: boolean;
  /** Verbose logs. @default false */
  debug?: boolean;
  /** The run's trace id. @default a new one */
  traceId?: string;
  /** The op name for log lines. */
  op: string;
  /** The `--target` flag. @default undefined */
  target?: string;
}

/** Everything a command needs, built once per run. */
export interface AppContext {
  config: ResolvedConfig;
  logger: Logger;
  io: Io;
  traceId: string;
  /** The op of this command, for log lines. */
  op: string;
  /** The result lines on stdout: payload lines and schema lines. */
  out: ResultLog;
  ssh: () => SshClient;
  aloha: () => AlohaClient;
  /**
   * One target's view: the config with its `windows`, `aloha` and
   * `playwright`, and its own ssh and Aloha clients (made on first use).
   * An unknown name is a config error naming the known ones.
   */
  forTarget: (name: string) => TargetContext;
  /**
   * Runs `body` as a direct recorded run under a new job id: the artifact
   * root (`artifacts.out_dir` checked first), the gate, the manifest and the
   * mirror, as a worker job has them. A manifest that cannot be written
   * makes the exit code 1 without hiding the run's own error.
   */
  record: <T>(
    body: (art: JobArtifacts, signal: AbortSignal) => Promise<T>,
    run?: DirectRun<T>,
  ) => Promise<RunOutcome<T>>;
}

/** One target's config and clients (see {@linkcode AppContext.forTarget}). */
export interface TargetContext {
  config: ResolvedConfig;
  ssh: () => SshClient;
  aloha: () => AlohaClient;
}

/** What a direct run adds to the context's defaults. */
export interface DirectRun<T> {
  /** The idempotent check; none: no gate. @default undefined */
  check?: string;
  /** The manifest state of the body's value. @default "completed" */
  stateOf?: (value: T) => "completed" | "failed";
  /** Stops the run. @default undefined */
  signal?: AbortSignal;
  /**
   * The target the run is on (a fan-out's): its ssh client runs the gate and
   * the mirror, and the manifest names it. @default the chosen target
   */
  target?: string;
}

/** Env variables read besides the config fields. */
const EXTRA_ENV = [
  "WIN_AUTOMATION_CONFIG",
  "XDG_STATE_HOME",
  "CREDENTIALS_DIRECTORY",
  ...CHILD_ENV_NAMES,
];

/** Loads config and builds the logger and clients for one command. */
export async function createContext(
  io: Io,
  state: RunState,
  options: ContextOptions,
): Promise<AppContext> {
  state.op = options.op;
  state.raw = options.raw ?? false;
  const traceId = options.traceId ?? newTraceId();
  state.context = { trace_id: traceId };
  const env: Record<string, string | undefined> = {};
  for (const name of [...FIELDS.map((f) => f.env), ...EXTRA_ENV]) {
    env[name] = io.getEnv(name);
  }
  const config = await loadConfig({
    flagPath: options.configPath,
    env,
    getEnv: io.getEnv,
    target: options.target,
  });
  const logger = new Logger({
    write: io.stderr,
    silent: options.raw ?? false,
    debug: options.debug || state.debug || false,
    context: { trace_id: traceId },
    secrets: secretsOf(config),
  });
  state.logger = logger;
  state.redactor = logger.redactor;
  const clientsOf = (cfg: ResolvedConfig): TargetContext => {
    let ssh: SshClient | undefined;
    let aloha: AlohaClient | undefined;
    const sshOf = () => ssh ??= newSsh(cfg);
    return {
      config: cfg,
      ssh: sshOf,
      aloha: () =>
        aloha ??= new AlohaClient({
          serverUrl: cfg.aloha.serverUrl,
          clientUrl: cfg.aloha.clientUrl,
          timeoutMs: cfg.limits.httpMs,
          logger,
          tunnel: cfg.aloha.via === "ssh" ? sshOf() : undefined,
        }),
    };
  };
  const chosen = clientsOf(config);
  const sshClient = () => {
    if (config.target === "") {
      throw new ConfigError(
        "--target",
        `is needed: the config names several targets (${
          Object.keys(config.targets).join(", ")
        }); give --target, or set WIN_AUTOMATION_TARGET or default_target`,
      );
    }
    return chosen.ssh();
  };
  const targetContexts = new Map<string, TargetContext>();
  const forTarget = (name: string): TargetContext => {
    let found = targetContexts.get(name);
    if (!found) {
      found = name === config.target
        ? chosen
        : clientsOf(configForTarget(config, name));
      targetContexts.set(name, found);
    }
    return found;
  };
  return {
    config,
    logger,
    io,
    traceId,
    op: options.op,
    out: new ResultLog({
      write: io.stdout,
      redactor: logger.redactor,
      context: { trace_id: traceId },
    }),
    ssh: sshClient,
    aloha: () => {
      if (config.aloha.via === "ssh") sshClient();
      return chosen.aloha();
    },
    forTarget,
    record: async (body, run = {}) => {
      const { recordedRun } = await import("../lib/artifacts/mod.ts");
      const { ensureWritableDir } = await import("../lib/fs/mod.ts");
      const { newJobId } = await import("../lib/ids/mod.ts");
      const outDir = config.artifacts.outDir;
      await ensureWritableDir(outDir, settingName(config, "artifacts.out_dir"));
      const jobId = newJobId();
      const ssh = run.target === undefined
        ? sshClient()
        : forTarget(run.target).ssh();
      const gate: RunGate = {
        ssh,
        check: run.check,
        requireUnlocked: true,
        timeoutMs: config.limits.gateMs,
      };
      return await recordedRun({
        outDir,
        jobId,
        traceId,
        target: run.target,
        log: logger.with({ job_id: jobId }).scope("cli", options.op),
        manifestLine: "debug",
        mirror: config.artifacts.mirror
          ? { ssh, timeoutMs: config.limits.mirrorMs }
          : undefined,
        gate,
        signal: run.signal,
        stateOf: run.stateOf,
        onManifestError: () => state.exitCode = 1,
      }, body);
    },
  };
  function newSsh(cfg: ResolvedConfig): SshClient {
    return new SshClient({
      host: cfg.windows.sshHost,
      port: cfg.windows.sshPort,
      user: cfg.windows.sshUser,
      identityFile: cfg.windows.sshIdentityFile,
      connectTimeoutMs: cfg.limits.connectMs,
      stateDir: cfg.stateDir,
      hostKey: cfg.windows.sshHostKey,
    }, {
      logger,
      searchPath: env.PATH,
      env: childEnv((name) => env[name]),
    });
  }
}
