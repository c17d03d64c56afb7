import { AlohaClient } from "../lib/aloha/mod.ts";
import {
  FIELDS,
  loadConfig,
  type ResolvedConfig,
  secretsOf,
} from "../lib/config/mod.ts";
import { encodeLine, type Fields, Logger } from "../lib/log/mod.ts";
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
}

/** Everything a command needs, built once per run. */
export interface AppContext {
  config: ResolvedConfig;
  logger: Logger;
  io: Io;
  traceId: string;
  /** The op of this command, for log lines. */
  op: string;
  /** Writes a key=value payload line to stdout. */
  emit: (fields: Fields) => void;
  ssh: () => SshClient;
  aloha: () => AlohaClient;
}

/** Env variables read besides the config fields. */
const EXTRA_ENV = [
  "WIN_AUTOMATION_CONFIG",
  "XDG_STATE_HOME",
  "CREDENTIALS_DIRECTORY",
  ...CHILD_ENV_NAMES,
];

/** Field values redacted before they are encoded (and so before any escaping). */
function redactFields(logger: Logger, fields: Fields): Fields {
  const out: Fields = {};
  for (const [key, value] of Object.entries(fields)) {
    out[key] = typeof value === "string" ? logger.redact(value) : value;
  }
  return out;
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
  const env: Record<string, string | undefined> = {};
  for (const name of [...FIELDS.map((f) => f.env), ...EXTRA_ENV]) {
    env[name] = io.getEnv(name);
  }
  const config = await loadConfig({ flagPath: options.configPath, env });
  const logger = new Logger({
    write: io.stderr,
    silent: options.raw ?? false,
    debug: options.debug || state.debug || false,
    context: { trace_id: traceId },
    secrets: secretsOf(config),
  });
  state.logger = logger;
  state.redactor = logger.redactor;
  let ssh: SshClient | undefined;
  let aloha: AlohaClient | undefined;
  return {
    config,
    logger,
    io,
    traceId,
    op: options.op,
    emit: (fields) => io.stdout(encodeLine(redactFields(logger, fields))),
    ssh: sshClient,
    aloha: () =>
      aloha ??= new AlohaClient({
        serverUrl: config.aloha.serverUrl,
        clientUrl: config.aloha.clientUrl,
        timeoutMs: config.timeoutMs,
        logger,
        tunnel: config.aloha.via === "ssh" ? sshClient() : undefined,
      }),
  };
  function sshClient(): SshClient {
    return ssh ??= new SshClient({
      host: config.windows.sshHost,
      port: config.windows.sshPort,
      user: config.windows.sshUser,
      identityFile: config.windows.sshIdentityFile,
      connectTimeoutMs: config.timeoutMs,
      stateDir: config.stateDir,
      hostKey: config.windows.sshHostKey,
    }, {
      logger,
      searchPath: env.PATH,
      env: childEnv((name) => env[name]),
    });
  }
}
