import { z } from "zod";
import { quote } from "../errors/mod.ts";
import { addressListProblem, parseAddressList } from "../windows/mod.ts";
import { hostKeyProblem } from "../ssh/mod.ts";
import {
  DURATION_MAX_MS,
  DURATION_MIN_MS,
  parseDuration,
} from "../duration/mod.ts";

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
  | { type: "url" }
  | { type: "duration" }
  | {
    type: "enum";
    values: readonly string[];
    /** Values the schema knows but refuses, with the reason. */
    unsupported?: Readonly<Record<string, string>>;
  }
  | { type: "hostport" }
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

/**
 * The whole config surface. Order is the order of `config show`. Every
 * consumer (file schema, env mapping, docs) derives from this table.
 */
export const FIELDS: readonly FieldSpec[] = [
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
    kind: { type: "url" },
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
    kind: { type: "duration" },
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
    kind: { type: "duration" },
    default: "5s",
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
    path: "timeout",
    env: "WIN_AUTOMATION_TIMEOUT",
    kind: { type: "duration" },
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
];

/** A checked field value: strings stay strings, durations become ms. */
export type FieldValue = string | number;

const got = (iss: { input?: unknown }) => `got ${quote(iss.input)}`;
const URL_REASON = "must be an http or https URL";
const DURATION_REASON = 'must be a duration such as "10s" or "5m"';

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === "http:" || url.protocol === "https:") &&
      !url.search && !url.hash && !url.username && !url.password;
  } catch {
    return false;
  }
}

/** Characters ssh would split on, expand or hide: white space, controls, format (zero-width) and separators. */
const SSH_NAME_BAD = /[\s\p{Cc}\p{Cf}\p{Z}@]/u;

/** The longest host name (DNS) or user name accepted. */
export const SSH_NAME_MAX = 253;

function sshNameSchema() {
  return z.string({ error: (iss) => `must be a string, ${got(iss)}` })
    .refine((v) => v.trim() !== "", { error: "must not be empty", abort: true })
    .refine((v) => !v.startsWith("-"), {
      error: (iss) => `must not start with "-", ${got(iss)}`,
      abort: true,
    })
    .refine((v) => [...v].length <= SSH_NAME_MAX, {
      error: (iss) =>
        `must be at most ${SSH_NAME_MAX} characters, got ${
          [...String(iss.input)].length
        }`,
      abort: true,
    })
    .refine((v) => !SSH_NAME_BAD.test(v), {
      error: (iss) =>
        `must not contain white space, "@", control or zero-width characters, ${
          got(iss)
        }`,
      abort: true,
    });
}

function stringSchema(
  kind: { nonEmpty?: boolean; noSpaces?: boolean; sshPath?: boolean },
) {
  let s = z.string({ error: (iss) => `must be a string, ${got(iss)}` })
    .refine((v) => !/[\0\r\n]/.test(v), {
      error: "must not contain newlines or NUL",
    });
  if (kind.nonEmpty) {
    s = s.refine((v) => v.trim() !== "", { error: "must not be empty" });
  }
  if (kind.sshPath) {
    s = s.refine((v) => !/[\s%"]/.test(v), {
      error: (iss) =>
        `must not contain white space, "%" or '"' (ssh's option parser would split or expand them), ${
          got(iss)
        }`,
    });
  }
  if (kind.noSpaces) {
    s = s.refine((v) => !/\s/.test(v), {
      error: (iss) => `must not contain white space, ${got(iss)}`,
    })
      .refine((v) => !v.startsWith("-"), {
        error: (iss) => `must not start with "-", ${got(iss)}`,
      });
  }
  return s;
}

function intSchema(min: number, max: number) {
  const reason = (iss: { input?: unknown }) =>
    `must be an integer from ${min} to ${max}, ${got(iss)}`;
  return z.number({ error: reason }).int({ error: reason }).min(min, {
    error: reason,
  })
    .max(max, { error: reason });
}

/**
 * The zod schema of one field: what a user may write for it, and how it is
 * normalised (URLs lose trailing slashes, durations become milliseconds).
 */
export function fieldSchema(spec: FieldSpec): z.ZodType<FieldValue> {
  let schema = schemas.get(spec);
  if (!schema) schemas.set(spec, schema = buildFieldSchema(spec));
  return schema;
}

const schemas = new Map<FieldSpec, z.ZodType<FieldValue>>();

function buildFieldSchema(spec: FieldSpec): z.ZodType<FieldValue> {
  const kind = spec.kind;
  switch (kind.type) {
    case "string":
      return stringSchema(kind);
    case "sshname":
      return sshNameSchema();
    case "hostkey":
      return z.string({ error: (iss) => `must be a string, ${got(iss)}` })
        .superRefine((v, ctx) => {
          const why = v === "" ? undefined : hostKeyProblem(v);
          if (why) ctx.addIssue({ code: "custom", message: why, input: v });
        })
        .transform((v) => v.trim());
    case "enum": {
      const unsupported = kind.unsupported ?? {};
      return z.enum(kind.values as [string, ...string[]], {
        error: (iss) =>
          `must be one of ${
            kind.values.filter((v) => !(v in unsupported)).map((v) => `"${v}"`)
              .join(", ")
          }, ${got(iss)}`,
      }).superRefine((v, ctx) => {
        const why = unsupported[v];
        if (why) ctx.addIssue({ code: "custom", message: why, input: v });
      });
    }
    case "port":
      return intSchema(1, 65535);
    case "int":
      return intSchema(kind.min, kind.max);
    case "url":
      return z.string({ error: (iss) => `${URL_REASON}, ${got(iss)}` })
        .refine(isHttpUrl, {
          error: (iss) =>
            `${URL_REASON} without query or credentials, ${got(iss)}`,
        })
        .transform((v) => {
          const trimmed = v.replace(/\/+$/, "");
          return spec.path === "aloha.client_url"
            ? trimmed.replace(/\/run_task$/, "")
            : trimmed;
        });
    case "duration":
      return z.string({ error: (iss) => `${DURATION_REASON}, ${got(iss)}` })
        .refine((v) => parseDuration(v) !== undefined, {
          error: (iss) => `${DURATION_REASON}, ${got(iss)}`,
        })
        .refine((v) => {
          const ms = parseDuration(v)!;
          return ms >= DURATION_MIN_MS && ms <= DURATION_MAX_MS;
        }, {
          error: (iss) => `must be from 1s to 1h, ${got(iss)}`,
          abort: true,
        })
        .transform((v) => parseDuration(v)!);
    case "addresses":
      return z.string({
        error: (iss) => `must be a string of addresses, ${got(iss)}`,
      })
        .superRefine((v, ctx) => {
          const why = addressListProblem(v);
          if (why) ctx.addIssue({ code: "custom", message: why, input: v });
        })
        .transform((v) => parseAddressList(v).join(","));
    case "hostport":
      return z.string({ error: (iss) => `must be host:port, ${got(iss)}` })
        .regex(/^[A-Za-z0-9.\-\[\]:]+:\d{1,5}$/, {
          error: (iss) => `must be host:port, ${got(iss)}`,
        })
        .refine((v) => {
          const port = Number(v.slice(v.lastIndexOf(":") + 1));
          return port >= 1 && port <= 65535;
        }, { error: (iss) => `port must be from 1 to 65535, ${got(iss)}` });
  }
}

/** Turns an env string into the JSON-typed value the field expects. */
export function fromEnvString(spec: FieldSpec, text: string): unknown {
  if (spec.kind.type === "port" || spec.kind.type === "int") {
    return /^-?\d+$/.test(text.trim()) ? Number(text.trim()) : text;
  }
  return text;
}
