import type { Limits } from "./limits.ts";

/** How a service on Windows is reached: through the SSH connection, or over the network. */
export type Via = "ssh" | "direct";

/** Where a config value came from. */
export type ConfigSource = "default" | "file" | "env" | "credential";

/** One Windows target: its SSH, Aloha and Playwright settings resolved. */
export interface ResolvedTarget {
  /** Its name (`default` when the file has no `targets`). */
  name: string;
  windows: ResolvedConfig["windows"];
  aloha: ResolvedConfig["aloha"];
  playwright: ResolvedConfig["playwright"];
  /** Free-form labels for patterns and listings. */
  tags: string[];
  /** The GUI-lock identity: one Aloha task at a time per desktop. */
  desktop: string;
  /** Its settings as `config show` prints them (`targets.<name>.<path>`). */
  entries: ConfigEntry[];
}

/**
 * The fully resolved configuration: every default filled in, every value
 * checked and normalised, durations in milliseconds. Built once at start-up.
 */
export interface ResolvedConfig {
  windows: {
    sshHost: string;
    sshPort: number;
    sshUser: string;
    sshIdentityFile: string;
    /** A pinned public host key line; empty trusts the first key seen. */
    sshHostKey: string;
    /**
     * The Linux host's addresses a direct-mode firewall rule allows
     * (`-RemoteAddress`), normalised; required when a service is `direct`.
     */
    allowFrom: string[];
  };
  aloha: {
    /**
     * How the Aloha server and client are reached: `ssh` (a forward of the
     * SSH connection to their addresses on the Windows side) or `direct`
     * (their URLs over the network).
     */
    via: Via;
    serverUrl: string;
    clientUrl: string;
    /** PowerShell the `WinAutomation-AlohaServer` task runs. */
    serverStartCmd: string;
    /** PowerShell the `WinAutomation-AlohaClient` task runs. */
    clientStartCmd: string;
    /** The Windows user whose desktop the Aloha client drives. */
    desktopUser: string;
    clientLogPath: string;
  };
  hatchet: {
    httpUrl: string;
    grpcAddress: string;
    healthUrl: string;
    token: string;
    tlsStrategy: string;
    namespace: string;
    workerName: string;
    workerConcurrency: number;
    jobTimeoutMs: number;
    retryMax: number;
    retryBackoffMs: number;
    /** How long a job waits for a worker of its target. */
    scheduleTimeoutMs: number;
  };
  playwright: {
    /**
     * How the Playwright server is reached: `ssh` (`host:port` on the
     * Windows side, through a forward) or `direct` (over the network).
     */
    via: Via;
    host: string;
    port: number;
    /** The server's secret path; env only. */
    wsPath: string;
    /**
     * Playwright's browser channel on Windows; `auto` (the default) is
     * `msedge` where Edge is installed, else Playwright's own `chromium`.
     */
    channel: string;
    /** A browser executable on Windows; when set, used instead of `channel`. */
    executablePath: string;
    /**
     * Whether `playwright.run` may open `file:` and other non-http(s) URLs
     * (`playwright.allow_file_urls`).
     */
    allowFileUrls: boolean;
  };
  artifacts: {
    outDir: string;
    retentionDays: number;
    /** Mirror each job root to the Windows artifact root after its manifest. */
    mirror: boolean;
  };
  /** `timeout`: see {@linkcode limits} for what each limit uses. */
  timeoutMs: number;
  /** Every time limit, named, derived from `timeout` and `hatchet.job_timeout`. */
  limits: Limits;
  /** File the worker's metrics go to; empty prints them on stdout. */
  metricsPath: string;
  /** Directory for known_hosts and SSH control sockets. */
  stateDir: string;
  /** The config file that was loaded, if any. */
  configPath?: string;
  /** Each JSON path's checked value and where it came from. */
  entries: ConfigEntry[];
  /**
   * The target this run works on (`--target`, `WIN_AUTOMATION_TARGET`,
   * `default_target`, or the only one); empty when the config names several
   * and none was chosen. `windows`, `aloha` and `playwright` are its settings
   * (the top level's when none was chosen).
   */
  target: string;
  /** Every target by name. */
  targets: Record<string, ResolvedTarget>;
  /** Groups of target names. */
  groups: Record<string, string[]>;
}

/** One row of `config show`. */
export interface ConfigEntry {
  /** JSON path, e.g. `windows.ssh_port`. */
  path: string;
  /** The environment variable for it. */
  env: string;
  /** The checked value, as the file would hold it. */
  value: string | number;
  /** Where the value came from. */
  source: ConfigSource;
  /** Whether it is a secret (shown as `<redacted>`). */
  secret: boolean;
}
