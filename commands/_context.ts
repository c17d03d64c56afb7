import { AlohaClient } from "../lib/aloha/mod.ts";
import {
  loadConfig,
  type ResolvedConfig,
  secretsOf,
} from "../lib/config/mod.ts";
import { UsageError } from "../lib/errors/mod.ts";
import { encodeLine, type Fields, Logger } from "../lib/log/mod.ts";
import { SshClient } from "../lib/ssh/mod.ts";

/** The process edges a command may touch: output streams and the env snapshot. */
export interface Io {
  /** Writes one payload line (newline added) to stdout. */
  stdout: (text: string) => void;
  /** Writes raw text to stdout, as is. */
  stdoutRaw: (text: string) => void;
  /** Writes one line (newline added) to stderr. */
  stderr: (text: string) => void;
  /** Writes raw text to stderr, as is. */
  stderrRaw: (text: string) => void;
  /** The environment, read once by main.ts. */
  env: Record<string, string | undefined>;
}

/** What main.ts learns from a run: the op for error lines, the logger, the code. */
export interface RunState {
  /** The op of the running command (e.g. `windows.exec`). */
  op: string;
  /** The logger, once config is loaded. */
  logger?: Logger;
  /** The exit code a command chose without throwing. */
  exitCode?: number;
  /** Fields every log line of this run carries. */
  context: Fields;
  /** Whether structured logs are suppressed (`--raw`). */
  raw?: boolean;
}

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
}

/** Everything a command needs, built once per run. */
export interface AppContext {
  config: ResolvedConfig;
  logger: Logger;
  io: Io;
  traceId: string;
  /** Writes a key=value payload line to stdout. */
  emit: (fields: Fields) => void;
  ssh: () => SshClient;
  aloha: () => AlohaClient;
}

const TRACE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** A new trace id: 32 hex digits. */
export function newTraceId(): string {
  return crypto.randomUUID().replaceAll("-", "");
}

/** Checks a user-supplied trace id. */
export function checkTraceId(value: string): string {
  if (!TRACE_ID.test(value)) {
    throw new UsageError(
      `usage error: --trace-id must be 1-128 letters, digits, ".", "_" or "-", got ${
        JSON.stringify(value)
      }`,
    );
  }
  return value;
}

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
  const config = await loadConfig({
    flagPath: options.configPath,
    env: io.env,
  });
  const logger = new Logger({
    write: io.stderr,
    silent: options.raw ?? false,
    debug: options.debug ?? false,
    context: { trace_id: traceId },
    secrets: secretsOf(config),
  });
  state.logger = logger;
  let ssh: SshClient | undefined;
  let aloha: AlohaClient | undefined;
  return {
    config,
    logger,
    io,
    traceId,
    emit: (fields) => io.stdout(logger.redact(encodeLine(fields))),
    ssh: () =>
      ssh ??= new SshClient({
        host: config.windows.sshHost,
        port: config.windows.sshPort,
        user: config.windows.sshUser,
        identityFile: config.windows.sshIdentityFile,
        connectTimeoutMs: config.timeoutMs,
        stateDir: config.stateDir,
      }, { logger }),
    aloha: () =>
      aloha ??= new AlohaClient({
        serverUrl: config.aloha.serverUrl,
        clientUrl: config.aloha.clientUrl,
        timeoutMs: config.timeoutMs,
        logger,
      }),
  };
}
