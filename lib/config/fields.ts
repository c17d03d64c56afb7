/**
 * The config table: every setting's JSON path, variable, kind and default.
 * Every consumer (the checks, the env mapping, `config show`, the docs)
 * derives from it.
 * @module
 */
import { DURATION_MAX_MS, LONG_DURATION_MAX_MS } from "../duration/mod.ts";

/** How a config field's value is read and checked. */
export type FieldKind =
  | {
    type: "string";
    nonEmpty?: boolean;
    noSpaces?: boolean;
    /** A path ssh reads from an `-o` option: no space, `%` or `"`. */
    sshPath?: boolean;
  }
  | { type: "sshname" }
  | { type: "hostkey" }
  | { type: "port" }
  | { type: "int"; min: number; max: number }
  | {
    type: "url";
    /** A suffix dropped after trailing slashes (a pasted endpoint). */
    dropSuffix?: string;
  }
  | {
    type: "duration";
    /** The longest value accepted, in ms (the shortest is 1s). */
    maxMs: number;
  }
  | {
    type: "enum";
    values: readonly string[];
    /** Values the schema knows but refuses, with the reason. */
    unsupported?: Readonly<Record<string, string>>;
  }
  | { type: "hostport" }
  /** A target's name, or empty for none. */
  | { type: "target" }
  | { type: "addresses" };

/** One row of the config table: JSON path, env var, kind and default. */
export interface FieldSpec {
  /** JSON path in the config file, e.g. `windows.ssh_port`. */
  path: string;
  /** Environment variable that overrides it. */
  env: string;
  /** How the value is parsed and validated. */
  kind: FieldKind;
  /** Default value, as the file would hold it. */
  default: string | number;
  /** Env-only secret: never in a file, never shown. */
  secret?: boolean;
  /**
   * A secret's systemd credential name: read from
   * `$CREDENTIALS_DIRECTORY/<name>` (`LoadCredential=`) when the env var is
   * unset.
   */
  credential?: string;
}

const TABLE = [
  {
    path: "windows.ssh_host",
    env: "WIN_AUTOMATION_WINDOWS_SSH_HOST",
    kind: { type: "sshname" },
    default: "localhost",
  },
  {
    path: "windows.ssh_port",
    env: "WIN_AUTOMATION_WINDOWS_SSH_PORT",
    kind: { type: "port" },
    default: 22555,
  },
  {
    path: "windows.ssh_user",
    env: "WIN_AUTOMATION_WINDOWS_SSH_USER",
    kind: { type: "sshname" },
    default: "administrator",
  },
  {
    path: "windows.ssh_identity_file",
    env: "WIN_AUTOMATION_WINDOWS_SSH_IDENTITY_FILE",
    kind: { type: "string", sshPath: true },
    default: "",
  },
  {
    path: "windows.ssh_host_key",
    env: "WIN_AUTOMATION_WINDOWS_SSH_HOST_KEY",
    kind: { type: "hostkey" },
    default: "",
  },
  {
    path: "windows.allow_from",
    env: "WIN_AUTOMATION_WINDOWS_ALLOW_FROM",
    kind: { type: "addresses" },
    default: "",
  },
  {
    path: "aloha.via",
    env: "WIN_AUTOMATION_ALOHA_VIA",
    kind: { type: "enum", values: ["ssh", "direct"] },
    default: "ssh",
  },
  {
    path: "aloha.server_url",
    env: "WIN_AUTOMATION_ALOHA_SERVER_URL",
    kind: { type: "url" },
    default: "http://127.0.0.1:7887",
  },
  {
    path: "aloha.client_url",
    env: "WIN_AUTOMATION_ALOHA_CLIENT_URL",
    kind: { type: "url", dropSuffix: "/run_task" },
    default: "http://127.0.0.1:7888",
  },
  {
    path: "aloha.server_start_cmd",
    env: "WIN_AUTOMATION_ALOHA_SERVER_START_CMD",
    kind: { type: "string" },
    default: "",
  },
  {
    path: "aloha.client_start_cmd",
    env: "WIN_AUTOMATION_ALOHA_CLIENT_START_CMD",
    kind: { type: "string" },
    default: "",
  },
  {
    path: "aloha.desktop_user",
    env: "WIN_AUTOMATION_ALOHA_DESKTOP_USER",
    kind: { type: "string" },
    default: "",
  },
  {
    path: "aloha.client_log_path",
    env: "WIN_AUTOMATION_ALOHA_CLIENT_LOG_PATH",
    kind: { type: "string" },
    default: "",
  },
  {
    path: "hatchet.http_url",
    env: "WIN_AUTOMATION_HATCHET_HTTP_URL",
    kind: { type: "url" },
    default: "http://127.0.0.1:8888",
  },
  {
    path: "hatchet.grpc_address",
    env: "WIN_AUTOMATION_HATCHET_GRPC_ADDRESS",
    kind: { type: "hostport" },
    default: "localhost:7077",
  },
  {
    path: "hatchet.health_url",
    env: "WIN_AUTOMATION_HATCHET_HEALTH_URL",
    kind: { type: "url" },
    default: "http://127.0.0.1:8733",
  },
  {
    path: "hatchet.token",
    env: "WIN_AUTOMATION_HATCHET_TOKEN",
    kind: { type: "string" },
    default: "",
    secret: true,
    credential: "hatchet_token",
  },
  {
    path: "hatchet.tls_strategy",
    env: "WIN_AUTOMATION_HATCHET_TLS_STRATEGY",
    kind: {
      type: "enum",
      values: ["", "none", "tls", "mtls"],
      unsupported: {
        mtls:
          "is not supported yet: no client certificate can be configured (use tls or none)",
      },
    },
    default: "",
  },
  {
    path: "hatchet.namespace",
    env: "WIN_AUTOMATION_HATCHET_NAMESPACE",
    kind: { type: "string", nonEmpty: true, noSpaces: true },
    default: "default",
  },
  {
    path: "hatchet.worker_name",
    env: "WIN_AUTOMATION_HATCHET_WORKER_NAME",
    kind: { type: "string", nonEmpty: true, noSpaces: true },
    default: "win-automation",
  },
  {
    path: "hatchet.worker_concurrency",
    env: "WIN_AUTOMATION_HATCHET_WORKER_CONCURRENCY",
    kind: { type: "int", min: 1, max: 100 },
    default: 5,
  },
  {
    path: "hatchet.job_timeout",
    env: "WIN_AUTOMATION_HATCHET_JOB_TIMEOUT",
    kind: { type: "duration", maxMs: LONG_DURATION_MAX_MS },
    default: "10m",
  },
  {
    path: "hatchet.retry_max",
    env: "WIN_AUTOMATION_HATCHET_RETRY_MAX",
    kind: { type: "int", min: 0, max: 10 },
    default: 3,
  },
  {
    path: "hatchet.retry_backoff",
    env: "WIN_AUTOMATION_HATCHET_RETRY_BACKOFF",
    kind: { type: "duration", maxMs: DURATION_MAX_MS },
    default: "5s",
  },
  {
    path: "hatchet.schedule_timeout",
    env: "WIN_AUTOMATION_HATCHET_SCHEDULE_TIMEOUT",
    kind: { type: "duration", maxMs: LONG_DURATION_MAX_MS },
    default: "5m",
  },
  {
    path: "playwright.via",
    env: "WIN_AUTOMATION_PLAYWRIGHT_VIA",
    kind: { type: "enum", values: ["ssh", "direct"] },
    default: "ssh",
  },
  {
    path: "playwright.host",
    env: "WIN_AUTOMATION_PLAYWRIGHT_HOST",
    kind: { type: "string", nonEmpty: true, noSpaces: true },
    default: "127.0.0.1",
  },
  {
    path: "playwright.port",
    env: "WIN_AUTOMATION_PLAYWRIGHT_PORT",
    kind: { type: "port" },
    default: 9323,
  },
  {
    path: "playwright.ws_path",
    env: "WIN_AUTOMATION_PLAYWRIGHT_WS_PATH",
    kind: { type: "string" },
    default: "",
    secret: true,
    credential: "playwright_ws_path",
  },
  {
    path: "playwright.channel",
    env: "WIN_AUTOMATION_PLAYWRIGHT_CHANNEL",
    kind: {
      type: "enum",
      values: [
        "auto",
        "msedge",
        "msedge-beta",
        "msedge-dev",
        "msedge-canary",
        "chrome",
        "chrome-beta",
        "chrome-dev",
        "chrome-canary",
        "chromium",
      ],
    },
    default: "auto",
  },
  {
    path: "playwright.executable_path",
    env: "WIN_AUTOMATION_PLAYWRIGHT_EXECUTABLE_PATH",
    kind: { type: "string" },
    default: "",
  },
  {
    path: "playwright.allow_file_urls",
    env: "WIN_AUTOMATION_PLAYWRIGHT_ALLOW_FILE_URLS",
    kind: { type: "enum", values: ["off", "on"] },
    default: "off",
  },
  {
    path: "artifacts.out_dir",
    env: "WIN_AUTOMATION_ARTIFACT_OUT",
    kind: { type: "string", nonEmpty: true },
    default: "./artifacts",
  },
  {
    path: "artifacts.retention_days",
    env: "WIN_AUTOMATION_ARTIFACT_RETENTION_DAYS",
    kind: { type: "int", min: 1, max: 3650 },
    default: 7,
  },
  {
    path: "artifacts.mirror",
    env: "WIN_AUTOMATION_ARTIFACT_MIRROR",
    kind: { type: "enum", values: ["off", "on"] },
    default: "off",
  },
  {
    path: "default_target",
    env: "WIN_AUTOMATION_DEFAULT_TARGET",
    kind: { type: "target" },
    default: "",
  },
  {
    path: "timeout",
    env: "WIN_AUTOMATION_TIMEOUT",
    kind: { type: "duration", maxMs: DURATION_MAX_MS },
    default: "10s",
  },
  {
    path: "metrics_path",
    env: "WIN_AUTOMATION_METRICS_PATH",
    kind: { type: "string" },
    default: "",
  },
  {
    path: "state_dir",
    env: "WIN_AUTOMATION_STATE_DIR",
    kind: { type: "string", sshPath: true },
    default: "",
  },
] as const satisfies readonly FieldSpec[];

/** A setting's JSON path, e.g. `windows.ssh_port`. */
export type FieldPath = (typeof TABLE)[number]["path"];

/**
 * The whole config surface. Order is the order of `config show` and of the
 * checks.
 */
export const FIELDS: readonly (FieldSpec & { path: FieldPath })[] = TABLE;

/** A checked field value: strings stay strings, durations become ms. */
export type FieldValue = string | number;

/** Turns an env string into the JSON-typed value the field expects. */
export function fromEnvString(spec: FieldSpec, text: string): unknown {
  if (spec.kind.type === "port" || spec.kind.type === "int") {
    return /^-?\d+$/.test(text.trim()) ? Number(text.trim()) : text;
  }
  return text;
}
