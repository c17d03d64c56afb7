import { ConfigError, errorMessage, truncate } from "../errors/mod.ts";
import { limitsOf } from "./limits.ts";
import { FileRefused, MIB, readRegularFile } from "../fs/mod.ts";
import { controlPathProblem } from "../ssh/mod.ts";
import {
  type FieldPath,
  FIELDS,
  type FieldSpec,
  type FieldValue,
  fromEnvString,
} from "./fields.ts";
import { checkField, fileProblem } from "./check.ts";
import {
  groupsOf,
  TARGET_FIELDS,
  type TargetLayer,
  targetLayers,
  targetSecretEnv,
  targetsProblem,
} from "./targets.ts";
import type {
  ConfigEntry,
  ConfigSource,
  ResolvedConfig,
  ResolvedTarget,
  Via,
} from "./resolved.ts";

function allowFrom(text: string): string[] {
  return text === "" ? [] : text.split(",");
}

/** Options for {@linkcode loadConfig}. */
export interface LoadConfigOptions {
  /** The `--config` flag's value; wins over `WIN_AUTOMATION_CONFIG`. @default undefined */
  flagPath?: string;
  /** The environment snapshot. @default {} */
  env?: Record<string, string | undefined>;
  /**
   * Reads a variable the snapshot cannot list in advance: a target's secret
   * (`WIN_AUTOMATION_TARGET_<NAME>_PLAYWRIGHT_WS_PATH`) and
   * `WIN_AUTOMATION_TARGET`. @default a lookup in `env`
   */
  getEnv?: (name: string) => string | undefined;
  /** The `--target` flag; wins over `WIN_AUTOMATION_TARGET`. @default undefined */
  target?: string;
  /**
   * Reads the config file's bytes; throws {@linkcode FileRefused} (or a
   * Deno error) when it cannot. @default readRegularFile: a regular file of
   * at most 1 MiB, checked before it is opened
   */
  readFile?: (path: string) => Promise<Uint8Array>;
  /** Reads the file as text instead (tests). @default undefined */
  readTextFile?: (path: string) => Promise<string>;
  /**
   * Reads a systemd credential file (`$CREDENTIALS_DIRECTORY/<name>`).
   * @default readRegularFile: a regular file of at most 64 KiB
   */
  readCredential?: (path: string) => Promise<Uint8Array>;
}

/**
 * A credential's text without its final line end (operators write them with
 * `echo`), or undefined when the file does not exist. Invalid UTF-8 is a
 * config error that never shows the value.
 */
async function readCredentialText(
  path: string,
  read: (path: string) => Promise<Uint8Array>,
): Promise<string | undefined> {
  let bytes: Uint8Array;
  try {
    bytes = await read(path);
  } catch (error) {
    const cause = error instanceof FileRefused ? error.cause : error;
    if (cause instanceof Deno.errors.NotFound) return undefined;
    const why = errorMessage(error);
    throw new ConfigError(path, `cannot be read: ${truncate(why, 120)}`);
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new ConfigError(path, NOT_UTF8);
  }
  return text.replace(/\r?\n$/, "");
}

/** The largest config file read. */
export const MAX_CONFIG_BYTES = MIB;

const NOT_UTF8 = "is not valid UTF-8 (the value is not shown)";

/** The JSON path of the first string (key or value) holding U+FFFD. */
function replacedAt(value: unknown, path: string[] = []): string | undefined {
  if (typeof value === "string") {
    return value.includes("\uFFFD")
      ? path.join(".") || "(top level)"
      : undefined;
  }
  if (value === null || typeof value !== "object") return undefined;
  for (const [k, v] of Object.entries(value)) {
    if (k.includes("\uFFFD")) return [...path, "<key>"].join(".");
    const at = replacedAt(v, [...path, k]);
    if (at !== undefined) return at;
  }
  return undefined;
}

function readAt(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  for (const part of path.split(".")) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

async function readText(
  path: string,
  readFile: (path: string) => Promise<Uint8Array>,
): Promise<{ text: string; validUtf8: boolean }> {
  const bytes = await readFile(path);
  try {
    return {
      text: new TextDecoder("utf-8", { fatal: true }).decode(bytes),
      validUtf8: true,
    };
  } catch {
    return { text: new TextDecoder().decode(bytes), validUtf8: false };
  }
}

async function readFileLayer(
  path: string,
  readFile: (path: string) => Promise<Uint8Array>,
  readTextFile?: (path: string) => Promise<string>,
): Promise<unknown> {
  let text: string;
  let validUtf8 = true;
  try {
    if (readTextFile) text = await readTextFile(path);
    else ({ text, validUtf8 } = await readText(path, readFile));
  } catch (err) {
    const why = err instanceof FileRefused
      ? err.reason
      : err instanceof Deno.errors.NotFound
      ? "does not exist"
      : err instanceof Deno.errors.PermissionDenied ||
          (err as Error).name === "NotCapable"
      ? "cannot be read: permission denied"
      : err instanceof Deno.errors.IsADirectory
      ? "is a directory"
      : `cannot be read: ${(err as Error).name}`;
    throw new ConfigError(path, why, { cause: err });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    if (!validUtf8) throw new ConfigError(path, NOT_UTF8);
    // The parser's message quotes the file; keep it short and on one line.
    throw new ConfigError(
      path,
      `is not valid JSON: ${
        truncate(errorMessage(err).replace(/\s+/g, " "), 120)
      }`,
      { cause: err },
    );
  }
  const bad = replacedAt(json);
  if (bad !== undefined) throw new ConfigError(bad, NOT_UTF8);
  if (!validUtf8) throw new ConfigError(path, NOT_UTF8);
  const problem = fileProblem(json) ??
    targetsProblem(json as Record<string, unknown>);
  if (problem) throw new ConfigError(problem.path || path, problem.reason);
  return json;
}

function checkOne(spec: FieldSpec, raw: unknown, where: string): FieldValue {
  const checked = checkField(spec, raw);
  if (!checked.ok) throw new ConfigError(where, checked.reason);
  return checked.value;
}

/**
 * `$XDG_STATE_HOME/win-automation`, else `$HOME/.local/state/win-automation`;
 * undefined without either (never a shared fallback such as /tmp).
 */
function defaultStateDir(
  env: Record<string, string | undefined>,
): string | undefined {
  if (env.XDG_STATE_HOME?.startsWith("/")) {
    return `${env.XDG_STATE_HOME}/win-automation`;
  }
  if (env.HOME?.startsWith("/")) {
    return `${env.HOME}/.local/state/win-automation`;
  }
  return undefined;
}

/**
 * Builds the resolved config: defaults < config file < env. The file is read
 * only when `--config` or `WIN_AUTOMATION_CONFIG` names one. Every failure is
 * a {@linkcode ConfigError} reading `config error: <field> <reason>`.
 */
export async function loadConfig(
  options: LoadConfigOptions = {},
): Promise<ResolvedConfig> {
  const {
    flagPath,
    env = {},
    readFile = (p) => readRegularFile(p, { maxBytes: MAX_CONFIG_BYTES }),
    readTextFile,
    readCredential = (p) => readRegularFile(p, { maxBytes: 64 * 1024 }),
  } = options;
  const getEnv = options.getEnv ?? ((name: string) => env[name]);
  for (const [name, value] of Object.entries(env)) {
    if (value?.includes("\uFFFD")) throw new ConfigError(name, NOT_UTF8);
  }
  const configPath = flagPath ?? (env.WIN_AUTOMATION_CONFIG || undefined);
  if (flagPath !== undefined && flagPath.trim() === "") {
    throw new ConfigError("--config", "must not be empty");
  }
  const file = configPath === undefined
    ? undefined
    : await readFileLayer(configPath, readFile, readTextFile);

  const values = new Map<FieldPath, FieldValue>();
  const entries: ConfigEntry[] = [];
  for (const spec of FIELDS) {
    let source: ConfigSource = "default";
    let value = checkOne(spec, spec.default, spec.path);
    const fromFile = file === undefined ? undefined : readAt(file, spec.path);
    if (fromFile !== undefined) {
      value = checkOne(spec, fromFile, spec.path);
      source = "file";
    }
    const fromEnv = env[spec.env];
    if (fromEnv !== undefined) {
      value = checkOne(spec, fromEnvString(spec, fromEnv), spec.env);
      source = "env";
    } else if (spec.credential && env.CREDENTIALS_DIRECTORY) {
      const path = `${env.CREDENTIALS_DIRECTORY}/${spec.credential}`;
      const text = await readCredentialText(path, readCredential);
      if (text !== undefined) {
        value = checkOne(
          spec,
          text,
          `$CREDENTIALS_DIRECTORY/${spec.credential}`,
        );
        source = "credential";
      }
    }
    values.set(spec.path, value);
    const shown = spec.kind.type === "duration" && typeof value === "number"
      ? String(
        source === "default"
          ? spec.default
          : (source === "file" ? fromFile : fromEnv),
      )
      : value;
    entries.push({
      path: spec.path,
      env: spec.env,
      value: shown,
      source,
      secret: !!spec.secret,
    });
  }

  const s = (p: FieldPath) => values.get(p) as string;
  const n = (p: FieldPath) => values.get(p) as number;
  const stateDir = s("state_dir") || defaultStateDir(env);
  if (stateDir === undefined) {
    throw new ConfigError(
      "state_dir",
      "is not set and neither HOME nor XDG_STATE_HOME is: set state_dir or WIN_AUTOMATION_STATE_DIR",
    );
  }
  const tooLong = controlPathProblem(stateDir);
  if (tooLong) {
    const source = entries.find((e) => e.path === "state_dir")?.source;
    throw new ConfigError(
      source === "env" ? "WIN_AUTOMATION_STATE_DIR" : "state_dir",
      `${JSON.stringify(truncate(stateDir, 120))} ${tooLong}`,
    );
  }
  const allowFromSource = entries.find((e) => e.path === "windows.allow_from")
    ?.source;
  const checkDirect = (at: string, get: (p: FieldPath) => FieldValue) => {
    const direct = (["aloha.via", "playwright.via"] as const).filter((p) =>
      get(p) === "direct"
    );
    if (direct.length > 0 && s("windows.allow_from") === "") {
      throw new ConfigError(
        allowFromSource === "env"
          ? "WIN_AUTOMATION_WINDOWS_ALLOW_FROM"
          : "windows.allow_from",
        `must name the Linux host's address(es) when ${
          direct.map((p) => at + p).join(" and ")
        } is "direct": the firewall rules allow only them (or use "ssh")`,
      );
    }
  };
  checkDirect("", s);
  if (s("state_dir") === "") {
    const row = entries.find((e) => e.path === "state_dir");
    if (row) row.value = stateDir;
  }
  const layers = targetLayers(file);
  const targets: Record<string, ResolvedTarget> = {};
  for (const [name, layer] of layers) {
    const resolved = resolveTarget(name, layer, { values, entries, getEnv });
    targets[name] = resolved.target;
    checkDirect(`targets.${name}.`, (p) => resolved.values.get(p)!);
  }
  const names = Object.keys(targets);
  const target = selectTarget({
    names,
    flag: options.target,
    env: getEnv("WIN_AUTOMATION_TARGET"),
    configured: s("default_target"),
    configuredSource: entries.find((e) =>
      e.path === "default_target"
    )?.source ?? "default",
  });
  const chosen = target === "" ? undefined : targets[target]!;
  const top = sectionsOf(s, n);
  return {
    windows: chosen?.windows ?? top.windows,
    aloha: chosen?.aloha ?? top.aloha,
    playwright: chosen?.playwright ?? top.playwright,
    hatchet: {
      httpUrl: s("hatchet.http_url"),
      grpcAddress: s("hatchet.grpc_address"),
      healthUrl: s("hatchet.health_url"),
      token: s("hatchet.token"),
      tlsStrategy: s("hatchet.tls_strategy"),
      namespace: s("hatchet.namespace"),
      workerName: s("hatchet.worker_name"),
      workerConcurrency: n("hatchet.worker_concurrency"),
      jobTimeoutMs: n("hatchet.job_timeout"),
      retryMax: n("hatchet.retry_max"),
      retryBackoffMs: n("hatchet.retry_backoff"),
      scheduleTimeoutMs: n("hatchet.schedule_timeout"),
    },
    artifacts: {
      outDir: s("artifacts.out_dir"),
      retentionDays: n("artifacts.retention_days"),
      mirror: s("artifacts.mirror") === "on",
    },
    timeoutMs: n("timeout"),
    limits: limitsOf({
      timeoutMs: n("timeout"),
      jobTimeoutMs: n("hatchet.job_timeout"),
    }),
    metricsPath: s("metrics_path"),
    stateDir,
    configPath,
    entries,
    target,
    targets,
    groups: groupsOf(file),
  };
}

type Get = (p: FieldPath) => string;
type GetNumber = (p: FieldPath) => number;

/** A target's three sections from its values. */
function sectionsOf(s: Get, n: GetNumber) {
  return {
    windows: {
      sshHost: s("windows.ssh_host"),
      sshPort: n("windows.ssh_port"),
      sshUser: s("windows.ssh_user"),
      sshIdentityFile: s("windows.ssh_identity_file"),
      sshHostKey: s("windows.ssh_host_key"),
      allowFrom: allowFrom(s("windows.allow_from")),
    },
    aloha: {
      via: s("aloha.via") as Via,
      serverUrl: s("aloha.server_url"),
      clientUrl: s("aloha.client_url"),
      serverStartCmd: s("aloha.server_start_cmd"),
      clientStartCmd: s("aloha.client_start_cmd"),
      desktopUser: s("aloha.desktop_user"),
      clientLogPath: s("aloha.client_log_path"),
    },
    playwright: {
      via: s("playwright.via") as Via,
      host: s("playwright.host"),
      port: n("playwright.port"),
      wsPath: s("playwright.ws_path"),
      channel: s("playwright.channel"),
      executablePath: s("playwright.executable_path"),
      allowFileUrls: s("playwright.allow_file_urls") === "on",
    },
  };
}

/**
 * One target: the top level's values, then what the file sets for it, then
 * its secrets from `WIN_AUTOMATION_TARGET_<NAME>_*`.
 */
function resolveTarget(
  name: string,
  layer: TargetLayer,
  base: {
    values: Map<FieldPath, FieldValue>;
    entries: ConfigEntry[];
    getEnv: (name: string) => string | undefined;
  },
): { target: ResolvedTarget; values: Map<FieldPath, FieldValue> } {
  const values = new Map(base.values);
  const entries: ConfigEntry[] = [];
  for (const spec of TARGET_FIELDS) {
    const inherited = base.entries.find((e) => e.path === spec.path)!;
    let value = values.get(spec.path)!;
    let shown = inherited.value;
    let source = inherited.source;
    let envName = inherited.env;
    const own = layer.settings.get(spec.path);
    if (own !== undefined) {
      value = checkOne(spec, own, `targets.${name}.${spec.path}`);
      shown = spec.kind.type === "duration" ? String(own) : value;
      source = "file";
    }
    if (spec.secret) {
      envName = targetSecretEnv(name, spec);
      const text = base.getEnv(envName);
      if (text !== undefined) {
        value = checkOne(spec, fromEnvString(spec, text), envName);
        shown = value;
        source = "env";
      }
    }
    values.set(spec.path, value);
    entries.push({
      path: `targets.${name}.${spec.path}`,
      env: envName,
      value: shown,
      source,
      secret: !!spec.secret,
    });
  }
  const s = (p: FieldPath) => values.get(p) as string;
  const n = (p: FieldPath) => values.get(p) as number;
  const sections = sectionsOf(s, n);
  return {
    target: {
      name,
      ...sections,
      tags: layer.tags,
      desktop: layer.desktop ??
        `${sections.windows.sshHost}:${sections.windows.sshPort}`,
      entries,
    },
    values,
  };
}

/**
 * The chosen target's name: `--target`, else `WIN_AUTOMATION_TARGET`, else
 * `default_target`, else the only target; empty when several and none
 * chosen. A name that is not a target is a config error naming the known
 * ones.
 */
function selectTarget(choice: {
  names: string[];
  flag?: string;
  env?: string;
  configured: string;
  configuredSource: ConfigSource;
}): string {
  const { names } = choice;
  const [name, where] = choice.flag !== undefined
    ? [choice.flag, "--target"]
    : choice.env
    ? [choice.env, "WIN_AUTOMATION_TARGET"]
    : choice.configured
    ? [
      choice.configured,
      choice.configuredSource === "env"
        ? "WIN_AUTOMATION_DEFAULT_TARGET"
        : "default_target",
    ]
    : [names.length === 1 ? names[0]! : "", ""];
  if (name !== "" && !names.includes(name)) {
    throw new ConfigError(
      where,
      `names an unknown target ${JSON.stringify(name)} (known: ${
        names.join(", ")
      })`,
    );
  }
  return name;
}

/** The secrets of a resolved config (every target's too), for redaction. */
export function secretsOf(config: ResolvedConfig): string[] {
  const all = [
    config.hatchet.token,
    config.playwright.wsPath,
    ...Object.values(config.targets).map((t) => t.playwright.wsPath),
  ];
  return [...new Set(all)].filter((s) => s.length > 0);
}

/**
 * How errors name a setting: its variable when the value came from the
 * environment, else its JSON path.
 */
export function settingName(config: ResolvedConfig, path: string): string {
  const entry = config.entries.find((e) => e.path === path);
  return entry?.source === "env" ? entry.env : path;
}
