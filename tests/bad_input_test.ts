import { assert, assertIncludes } from "@test/assert";
import { hasStackTrace, runCli, runInProcess } from "./_cli.ts";

const dir = await Deno.makeTempDir({ prefix: "wa-bad-input-" });
const file = async (name: string, content: string) => {
  const path = `${dir}/${name}`;
  await Deno.writeTextFile(path, content);
  return path;
};
const json = (name: string, value: unknown) =>
  file(name, JSON.stringify(value));

// Directories and files the trust cases need.
// Short paths: a state dir must leave room for ssh's control socket names.
const shortDir = await Deno.makeTempDir({ prefix: "w" });
const worldWritable = `${shortDir}/ww`;
await Deno.mkdir(worldWritable);
await Deno.chmod(worldWritable, 0o1777);
const latin1 = `${dir}/latin1.json`;
await Deno.writeFile(
  latin1,
  new Uint8Array([
    ...new TextEncoder().encode('{"aloha":{"desktop_user":"al'),
    0xa0, // a Latin-1 no-break space: not UTF-8
    ...new TextEncoder().encode('ice"}}'),
  ]),
);
const aFile = `${shortDir}/f`;
await Deno.writeTextFile(aFile, "not a directory");
const JOB = "0e5e0a3c-1f7e-4a58-9d2b-5b1f0c6e8a11";
const ED25519 =
  "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAINdXlMTmvLC/HblNbIJ4JTYyCRZADrDX373nOGr2Ot9o";
/** Env that lets ssh commands reach their state dir check without a lab. */
const sshEnv = (stateDir: string) => ({
  WIN_AUTOMATION_STATE_DIR: stateDir,
  WIN_AUTOMATION_ARTIFACT_OUT: `${dir}/artifacts`,
});

/** `jobs enqueue` of a windows.exec job, before the flags a case adds. */
const EXEC_ENQUEUE = [
  "jobs",
  "enqueue",
  "--type",
  "windows.exec",
  "--cmd",
  "x",
];

interface Case {
  name: string;
  args: string[];
  env?: Record<string, string>;
  /** The message the user must see on stderr. */
  message: string;
}

const cases: Case[] = [
  {
    name: "missing config file",
    args: ["--config", "/nonexistent", "doctor"],
    message: "config error: /nonexistent does not exist",
  },
  {
    name: "config path is a directory",
    args: ["--config", dir, "doctor"],
    message: `config error: ${dir} is a directory`,
  },
  {
    name: "config is not JSON",
    args: ["--config", await file("bad.json", "{nope"), "doctor"],
    message: "is not valid JSON",
  },
  {
    name: "config is an array",
    args: ["--config", await json("arr.json", [1]), "doctor"],
    message: "must be a JSON object",
  },
  {
    name: "unknown top-level key",
    args: ["--config", await json("k1.json", { foo: 1 }), "doctor"],
    message: "config error: foo unknown key",
  },
  {
    name: "unknown nested key",
    args: [
      "--config",
      await json("k2.json", { windows: { ssh_hots: "x" } }),
      "doctor",
    ],
    message: "config error: windows.ssh_hots unknown key",
  },
  {
    name: "section not an object",
    args: ["--config", await json("s.json", { windows: 5 }), "doctor"],
    message: "config error: windows must be an object",
  },
  {
    name: "port zero",
    args: [
      "--config",
      await json("p0.json", { windows: { ssh_port: 0 } }),
      "doctor",
    ],
    message:
      "config error: windows.ssh_port must be an integer from 1 to 65535, got 0",
  },
  {
    name: "port too large",
    args: [
      "--config",
      await json("p1.json", { windows: { ssh_port: 70000 } }),
      "doctor",
    ],
    message:
      "config error: windows.ssh_port must be an integer from 1 to 65535",
  },
  {
    name: "port as string",
    args: [
      "--config",
      await json("p2.json", { windows: { ssh_port: "22" } }),
      "doctor",
    ],
    message:
      'config error: windows.ssh_port must be an integer from 1 to 65535, got "22"',
  },
  {
    name: "port fractional",
    args: [
      "--config",
      await json("p3.json", { playwright: { port: 22.5 } }),
      "doctor",
    ],
    message: "config error: playwright.port must be an integer",
  },
  {
    name: "empty ssh host",
    args: [
      "--config",
      await json("h0.json", { windows: { ssh_host: "" } }),
      "doctor",
    ],
    message: "config error: windows.ssh_host must not be empty",
  },
  {
    name: "ssh host looks like an option",
    args: [
      "--config",
      await json("h1.json", { windows: { ssh_host: "-oProxyCommand=x" } }),
      "doctor",
    ],
    message: 'config error: windows.ssh_host must not start with "-"',
  },
  {
    name: "ssh user with a space",
    args: [
      "--config",
      await json("u.json", { windows: { ssh_user: "a b" } }),
      "doctor",
    ],
    message: "config error: windows.ssh_user must not contain white space",
  },
  {
    name: "ftp url",
    args: [
      "--config",
      await json("url0.json", { aloha: { server_url: "ftp://x" } }),
      "doctor",
    ],
    message: "config error: aloha.server_url must be an http or https URL",
  },
  {
    name: "not a url",
    args: [
      "--config",
      await json("url1.json", { aloha: { client_url: "not a url" } }),
      "doctor",
    ],
    message: "config error: aloha.client_url must be an http or https URL",
  },
  {
    name: "url with credentials",
    args: [
      "--config",
      await json("url2.json", { hatchet: { http_url: "http://u:p@h" } }),
      "doctor",
    ],
    message:
      "config error: hatchet.http_url must be an http or https URL without query or credentials",
  },
  {
    name: "grpc address without port",
    args: [
      "--config",
      await json("g.json", { hatchet: { grpc_address: "localhost" } }),
      "doctor",
    ],
    message: "config error: hatchet.grpc_address must be host:port",
  },
  {
    name: "bad tls strategy",
    args: [
      "--config",
      await json("tls.json", { hatchet: { tls_strategy: "bogus" } }),
      "doctor",
    ],
    message: "config error: hatchet.tls_strategy must be one of",
  },
  {
    name: "concurrency zero",
    args: [
      "--config",
      await json("c0.json", { hatchet: { worker_concurrency: 0 } }),
      "doctor",
    ],
    message:
      "config error: hatchet.worker_concurrency must be an integer from 1 to 100",
  },
  {
    name: "concurrency too high",
    args: [
      "--config",
      await json("c1.json", { hatchet: { worker_concurrency: 101 } }),
      "doctor",
    ],
    message:
      "config error: hatchet.worker_concurrency must be an integer from 1 to 100",
  },
  {
    name: "retry max too high",
    args: [
      "--config",
      await json("r.json", { hatchet: { retry_max: 11 } }),
      "doctor",
    ],
    message: "config error: hatchet.retry_max must be an integer from 0 to 10",
  },
  {
    name: "duration below 1s",
    args: [
      "--config",
      await json("d0.json", { hatchet: { job_timeout: "500ms" } }),
      "doctor",
    ],
    message:
      'config error: hatchet.job_timeout must be from 1s to 24h, got "500ms"',
  },
  {
    name: "job timeout above 24h",
    args: [
      "--config",
      await json("d1.json", { hatchet: { job_timeout: "25h" } }),
      "doctor",
    ],
    message: "config error: hatchet.job_timeout must be from 1s to 24h",
  },
  {
    name: "duration above 1h",
    args: [
      "--config",
      await json("d1b.json", { hatchet: { retry_backoff: "2h" } }),
      "doctor",
    ],
    message: "config error: hatchet.retry_backoff must be from 1s to 1h",
  },
  {
    name: "duration in words",
    args: [
      "--config",
      await json("d2.json", { timeout: "ten seconds" }),
      "doctor",
    ],
    message: 'config error: timeout must be a duration such as "10s" or "5m"',
  },
  {
    name: "duration as number",
    args: ["--config", await json("d3.json", { timeout: 10 }), "doctor"],
    message: "config error: timeout must be a duration",
  },
  {
    name: "hatchet token in file",
    args: [
      "--config",
      await json("t.json", { hatchet: { token: "abc" } }),
      "doctor",
    ],
    message:
      "config error: hatchet.token is a secret: set it only in the environment (WIN_AUTOMATION_HATCHET_TOKEN)",
  },
  {
    name: "ws_path in file",
    args: [
      "--config",
      await json("w.json", { playwright: { ws_path: "abc" } }),
      "doctor",
    ],
    message:
      "config error: playwright.ws_path is a secret: set it only in the environment (WIN_AUTOMATION_PLAYWRIGHT_WS_PATH)",
  },
  {
    name: "retention zero",
    args: [
      "--config",
      await json("ret.json", { artifacts: { retention_days: 0 } }),
      "doctor",
    ],
    message: "config error: artifacts.retention_days must be an integer",
  },
  {
    name: "env port not a number",
    args: ["doctor"],
    env: { WIN_AUTOMATION_WINDOWS_SSH_PORT: "abc" },
    message:
      'config error: WIN_AUTOMATION_WINDOWS_SSH_PORT must be an integer from 1 to 65535, got "abc"',
  },
  {
    name: "env timeout zero",
    args: ["doctor"],
    env: { WIN_AUTOMATION_TIMEOUT: "0s" },
    message: "config error: WIN_AUTOMATION_TIMEOUT must be from 1s to 1h",
  },
  {
    name: "env url without scheme",
    args: ["doctor"],
    env: { WIN_AUTOMATION_ALOHA_SERVER_URL: "localhost:7887" },
    message:
      "config error: WIN_AUTOMATION_ALOHA_SERVER_URL must be an http or https URL",
  },
  {
    name: "env concurrency fractional",
    args: ["doctor"],
    env: { WIN_AUTOMATION_HATCHET_WORKER_CONCURRENCY: "5.5" },
    message:
      "config error: WIN_AUTOMATION_HATCHET_WORKER_CONCURRENCY must be an integer",
  },
  {
    name: "env config file missing",
    args: ["doctor"],
    env: { WIN_AUTOMATION_CONFIG: "/nonexistent.json" },
    message: "config error: /nonexistent.json does not exist",
  },
  {
    name: "--config after the subcommand",
    args: ["doctor", "--config", "x.json"],
    message: "usage error: --config must come before the subcommand",
  },
  // targets: a name that is not in the config, a malformed name, none chosen
  {
    name: "--target not in the config",
    args: [
      "--config",
      await json("fleet.json", {
        targets: { "win-01": {}, "win-02": {} },
      }),
      "windows",
      "exec",
      "--target",
      "nope",
      "--",
      "hostname",
    ],
    message:
      'config error: --target names an unknown target "nope" (known: win-01, win-02)',
  },
  {
    name: "WIN_AUTOMATION_TARGET not in the config",
    args: ["doctor"],
    env: { WIN_AUTOMATION_TARGET: "nope" },
    message:
      'config error: WIN_AUTOMATION_TARGET names an unknown target "nope" (known: default)',
  },
  {
    name: "--target malformed",
    args: ["doctor", "--target", "Win_01"],
    message:
      "usage error: option '--target <name>' argument 'Win_01' is invalid",
  },
  {
    name: "several targets and none chosen",
    args: [
      "--config",
      await json("fleet2.json", {
        targets: { "win-01": {}, "win-02": {} },
      }),
      "windows",
      "exec",
      "--",
      "hostname",
    ],
    message:
      "config error: --target is needed: the config names several targets (win-01, win-02)",
  },
  // worker: the served targets
  {
    name: "worker --targets naming an unknown target",
    args: [
      "--config",
      await json("fleet4.json", { targets: { "win-01": {}, "win-02": {} } }),
      "worker",
      "--targets",
      "nope,win-01",
    ],
    message:
      'config error: --targets "nope" names no target (targets: win-01, win-02)',
  },
  {
    name: "worker --targets with an empty name",
    args: ["worker", "--targets", "a,,b"],
    message:
      "usage error: option '--targets <pattern>' argument 'a,,b' is invalid. must be target names, groups (or @group), globs (win-*), tag:<tag> or all, comma-separated; !item excludes",
  },
  {
    name: "worker --target and --targets together",
    args: [
      "--config",
      await json("fleet5.json", { targets: { "win-01": {}, "win-02": {} } }),
      "worker",
      "--target",
      "win-01",
      "--targets",
      "win-02",
    ],
    message: "usage error: give --target or --targets, not both",
  },
  {
    name: "worker with several targets and none chosen",
    args: [
      "--config",
      await json("fleet6.json", { targets: { "win-01": {}, "win-02": {} } }),
      "worker",
    ],
    message:
      "config error: --target is needed: the config names several targets (win-01, win-02); give --target or --targets, or set WIN_AUTOMATION_TARGET or default_target",
  },
  {
    name: "a group naming an unknown target",
    args: [
      "--config",
      await json("fleet3.json", {
        targets: { "win-01": {} },
        groups: { lab: ["win-01", "win-09"] },
      }),
      "doctor",
    ],
    message:
      'config error: groups.lab names an unknown target "win-09" (known: win-01)',
  },
  // per-target health and targets show: patterns that name nothing, both flags
  {
    name: "--targets naming no target",
    args: [
      "--config",
      await json("fleet4b.json", {
        targets: { "win-01": {}, "win-02": {} },
        groups: { lab: ["win-01"] },
      }),
      "doctor",
      "--targets",
      "win-01,win-9*",
    ],
    message:
      'config error: --targets "win-9*" names no target (targets: win-01, win-02; groups: lab)',
  },
  {
    name: "supervisor --targets with an unknown tag",
    args: [
      "--config",
      await json("fleet5.json", { targets: { "win-01": { tags: ["a"] } } }),
      "supervisor",
      "run",
      "--once",
      "--targets",
      "tag:b",
    ],
    message:
      'config error: --targets "tag:b" names no target (targets: win-01)',
  },
  {
    name: "--targets malformed",
    args: ["doctor", "--targets", "Win_01"],
    message:
      "usage error: option '--targets <pattern>' argument 'Win_01' is invalid",
  },
  {
    name: "--targets with an empty item",
    args: ["doctor", "--targets", "a,,b"],
    message:
      "usage error: option '--targets <pattern>' argument 'a,,b' is invalid",
  },
  {
    name: "--target and --targets together",
    args: ["supervisor", "run", "--once", "--target", "a", "--targets", "b"],
    message: "usage error: --target and --targets exclude each other: give one",
  },
  // patterns (@group, all, !item) and the fan-out's flags
  {
    name: "--targets whose exclusions leave nothing",
    args: [
      "--config",
      await json("fleet7.json", {
        targets: { "win-01": {}, "win-02": {} },
        groups: { lab: ["win-01", "win-02"] },
      }),
      "windows",
      "exec",
      "--targets",
      "@lab,!win-0*",
      "--",
      "echo",
    ],
    message:
      'config error: --targets "@lab,!win-0*" leaves no target (targets: win-01, win-02; groups: lab)',
  },
  {
    name: "--targets excluding an unknown group",
    args: [
      "--config",
      await json("fleet8.json", { targets: { "win-01": {}, "win-02": {} } }),
      "doctor",
      "--targets",
      "all,!@nope",
    ],
    message:
      'config error: --targets "!@nope" names no target (targets: win-01, win-02)',
  },
  {
    name: "a target named all",
    args: [
      "--config",
      await json("fleet9.json", { targets: { all: {}, "win-02": {} } }),
      "doctor",
    ],
    message:
      'config error: targets.all is reserved: "all" in --targets names every target; choose another name',
  },
  {
    name: "windows exec --forks out of range",
    args: ["windows", "exec", "--targets", "all", "--forks", "0", "--", "x"],
    message:
      "usage error: option '--forks <n>' argument '0' is invalid. must be an integer from 1 to 100",
  },
  {
    name: "windows exec --out-dir without --targets",
    args: ["windows", "exec", "--out-dir", "/tmp/x", "--", "x"],
    message: "usage error: --out-dir needs --targets",
  },
  {
    name: "windows exec --target with --targets",
    args: ["windows", "exec", "--target", "a", "--targets", "all", "--", "x"],
    message: "usage error: --target and --targets exclude each other: give one",
  },
  {
    name: "windows exec --targets with --detach",
    args: ["windows", "exec", "--targets", "all", "--detach", "--", "x"],
    message: "usage error: --targets cannot be combined with --detach",
  },
  {
    name: "playwright run --json without --targets",
    args: ["playwright", "run", "--url", "https://example.com/", "--json"],
    message: "usage error: --json needs --targets",
  },
  {
    name: "targets show of an unknown target",
    args: [
      "--config",
      await json("fleet6.json", { targets: { "win-01": {}, "win-02": {} } }),
      "targets",
      "show",
      "win-03",
    ],
    message:
      'usage error: targets show: unknown target "win-03" (known: win-01, win-02)',
  },
  {
    name: "targets show without a name",
    args: ["targets", "show"],
    message: "missing required argument 'name'",
  },
  {
    name: "empty --config",
    args: ["--config", "", "doctor"],
    message: "config error: --config must not be empty",
  },
  {
    name: "bad --timeout",
    args: ["windows", "exec", "--timeout", "5x", "--", "echo"],
    message: "usage error: option '--timeout <dur>' argument '5x' is invalid",
  },
  {
    name: "--timeout above 24h",
    args: ["windows", "exec", "--timeout", "25h", "--", "echo"],
    message: 'must be from 1s to 24h, got "25h"',
  },
  {
    name: "--idempotent without a check",
    args: ["windows", "exec", "--idempotent", "--", "echo"],
    message: "usage error: --idempotent requires --idempotent-check <ps>",
  },
  {
    name: "check without --idempotent",
    args: ["windows", "exec", "--idempotent-check", "exit 0", "--", "echo"],
    message: "usage error: --idempotent-check requires --idempotent",
  },
  {
    name: "exec without a command",
    args: ["windows", "exec"],
    message: "usage error: missing required argument 'command'",
  },
  {
    name: "reboot with a bad --timeout",
    args: ["windows", "reboot", "--wait", "--timeout", "5x"],
    message: "usage error: option '--timeout <dur>' argument '5x' is invalid",
  },
  {
    name: "reboot --timeout above 24h",
    args: ["windows", "reboot", "--timeout", "25h"],
    message: 'must be from 1s to 24h, got "25h"',
  },
  {
    name: "reboot with an argument",
    args: ["windows", "reboot", "now"],
    message: "usage error: too many arguments for 'reboot'",
  },
  {
    name: "reboot with an unknown flag",
    args: ["windows", "reboot", "--force"],
    message: "usage error: unknown option '--force'",
  },
  {
    name: "exec --detach with --follow",
    args: ["windows", "exec", "--detach", "--follow", "--", "echo"],
    message: "usage error: --detach cannot be combined with --follow",
  },
  {
    name: "exec --detach with --timeout (a detached run has no limit)",
    args: ["windows", "exec", "--detach", "--timeout", "5s", "--", "echo"],
    message: "usage error: --detach cannot be combined with --timeout",
  },
  {
    name: "exec --detach with --reboot-if-required",
    args: [
      "windows",
      "exec",
      "--detach",
      "--reboot-if-required",
      "--",
      "echo",
    ],
    message:
      "usage error: --detach cannot be combined with --reboot-if-required",
  },
  {
    name: "attach without --run",
    args: ["windows", "attach"],
    message: "usage error: required option '--run <id>' not specified",
  },
  {
    name: "attach --run that is not a run id (never a path)",
    args: ["windows", "attach", "--run", "../x"],
    message: 'must be 1-64 letters, digits, "_" or "-", got "../x"',
  },
  {
    name: "attach --run too long",
    args: ["windows", "attach", "--run", "a".repeat(65)],
    message: 'must be 1-64 letters, digits, "_" or "-"',
  },
  {
    name: "aloha run without --task",
    args: ["aloha", "run"],
    message: "usage error: required option '--task <text>' not specified",
  },
  {
    name: "aloha run with empty task",
    args: ["aloha", "run", "--task", " "],
    message: "must not be empty",
  },
  {
    name: "max steps zero",
    args: ["aloha", "run", "--task", "x", "--max-steps", "0"],
    message: "must be an integer from 1 to 1000",
  },
  {
    name: "selected screen not a number",
    args: ["aloha", "run", "--task", "x", "--selected-screen", "abc"],
    message: "must be an integer from 0 to 16",
  },
  {
    name: "trace id with a path",
    args: ["aloha", "run", "--task", "x", "--trace-id", "../x"],
    message: "usage error: --trace-id must be 1-128 letters",
  },
  {
    name: "demo trace with a separator",
    args: ["aloha", "run", "--task", "x", "--demo-trace", "a/b"],
    message: "must be 1-128 letters",
  },
  {
    name: "playwright run with an ftp url",
    args: ["playwright", "run", "--url", "ftp://example.com/"],
    message:
      'usage error: --url must be an http or https URL (ftp: and other schemes need playwright.allow_file_urls=on), got "ftp://example.com/"',
  },
  {
    name: "playwright run with a url that is not one",
    args: ["playwright", "run", "--url", "example.com"],
    message: "must be an http or https URL",
  },
  {
    name: "playwright run with a bad --timeout",
    args: ["playwright", "run", "--url", "http://x/", "--timeout", "soon"],
    message: 'must be a duration such as "10s" or "5m", got "soon"',
  },
  {
    name: "playwright install with a bad --port",
    args: ["playwright", "install", "--port", "70000"],
    message: 'must be an integer from 1 to 65535, got "70000"',
  },
  ...(["health", "install", "run"] as const).map((sub) => ({
    name: `playwright ${sub} without the ws path`,
    args: ["playwright", sub, ...(sub === "run" ? ["--url", "http://x/"] : [])],
    message:
      "config error: WIN_AUTOMATION_PLAYWRIGHT_WS_PATH is not set: the Playwright server's secret path",
  })),
  {
    name: "playwright ws path too short",
    args: ["playwright", "health"],
    env: { WIN_AUTOMATION_PLAYWRIGHT_WS_PATH: "short" },
    message:
      "config error: WIN_AUTOMATION_PLAYWRIGHT_WS_PATH must be 32-256 letters",
  },
  {
    name: "playwright ws path long enough but with too few distinct characters",
    args: ["playwright", "install"],
    env: { WIN_AUTOMATION_PLAYWRIGHT_WS_PATH: "abcdefgh".repeat(8) },
    message:
      "config error: WIN_AUTOMATION_PLAYWRIGHT_WS_PATH must be 32-256 letters, digits, '_' or '-', at least 16 of them distinct (e.g. openssl rand -base64 33 | tr '+/' '-_') (got 8 distinct)",
  },
  {
    name: "playwright channel unknown",
    args: ["playwright", "health"],
    env: { WIN_AUTOMATION_PLAYWRIGHT_CHANNEL: "firefox" },
    message:
      'config error: WIN_AUTOMATION_PLAYWRIGHT_CHANNEL must be one of "auto", "msedge"',
  },
  {
    name: "playwright.run job without --url",
    args: ["jobs", "enqueue", "--type", "playwright.run"],
    message: "usage error: --type playwright.run requires --url <url>",
  },
  {
    name: "jobs enqueue with neither --type nor a work flag",
    args: ["jobs", "enqueue", "--screenshot"],
    message: "usage error: --type is required (or give --cmd, --task or --url",
  },
  {
    name: "jobs enqueue without --type, two work flags",
    args: ["jobs", "enqueue", "--cmd", "x", "--url", "http://x/"],
    message:
      "usage error: --type is required when --cmd and --url are given together",
  },
  {
    name: "--url on a windows.exec job",
    args: [...EXEC_ENQUEUE, "--url", "http://x/"],
    message: "usage error: --url does not apply to --type windows.exec",
  },
  {
    name: "--task on a playwright.run job",
    args: [
      "jobs",
      "enqueue",
      "--type",
      "playwright.run",
      "--url",
      "http://x/",
      "--task",
      "x",
    ],
    message: "usage error: --task does not apply to --type playwright.run",
  },
  {
    name: "unknown command",
    args: ["frobnicate"],
    message: "usage error: unknown command 'frobnicate'",
  },
  {
    name: "unknown option",
    args: ["windows", "exec", "--nope", "--", "echo"],
    message: "usage error: unknown option '--nope'",
  },
  {
    name: "unknown supervisor failpoint",
    args: ["supervisor", "run", "--once"],
    env: { WIN_AUTOMATION_SUPERVISOR_FAILPOINT: "aloha" },
    message:
      'config error: WIN_AUTOMATION_SUPERVISOR_FAILPOINT must be one of ssh|aloha_server|aloha_client|hatchet|playwright, got "aloha"',
  },
  {
    name: "supervisor --interval not a duration",
    args: ["supervisor", "run", "--interval", "often"],
    message:
      "usage error: option '--interval <dur>' argument 'often' is invalid",
  },
  {
    name: "supervisor --interval below 1s",
    args: ["supervisor", "run", "--interval", "10ms"],
    message: 'must be from 1s to 1h, got "10ms"',
  },
  // artifacts: job ids are checked before they touch a path
  {
    name: "artifacts list --job with a parent path",
    args: ["artifacts", "list", "--job", "../x"],
    message: 'usage error: --job must be a job id (a UUID), got "../x"',
  },
  {
    name: "artifacts fetch --job with an absolute path",
    args: ["artifacts", "fetch", "--job", "/etc", "--out", dir],
    message: 'usage error: --job must be a job id (a UUID), got "/etc"',
  },
  {
    name: "artifacts list --job with a separator",
    args: [
      "artifacts",
      "list",
      "--job",
      "0e5e0a3c-1f7e-4a58-9d2b-5b1f0c6e8a11/..",
    ],
    message: "usage error: --job must be a job id (a UUID)",
  },
  {
    name: "artifacts fetch without --out",
    args: [
      "artifacts",
      "fetch",
      "--job",
      "0e5e0a3c-1f7e-4a58-9d2b-5b1f0c6e8a11",
    ],
    message: "usage error: required option '--out <dir>' not specified",
  },
  {
    name: "artifacts fetch --out empty",
    args: [
      "artifacts",
      "fetch",
      "--job",
      "0e5e0a3c-1f7e-4a58-9d2b-5b1f0c6e8a11",
      "--out",
      "",
    ],
    message: "usage error: option '--out <dir>' argument '' is invalid",
  },
  {
    name: "artifacts gc --days 0",
    args: ["artifacts", "gc", "--days", "0"],
    message: 'must be an integer from 1 to 3650, got "0"',
  },
  {
    name: "artifacts.mirror not on/off",
    args: ["artifacts", "gc", "--dry-run"],
    env: { WIN_AUTOMATION_ARTIFACT_MIRROR: "yes" },
    message:
      'config error: WIN_AUTOMATION_ARTIFACT_MIRROR must be one of "off", "on"',
  },
  // trust on disk and input at every edge
  {
    name: "state dir writable by others",
    args: ["windows", "exec", "--", "echo"],
    env: sshEnv(worldWritable),
    message:
      `config error: state_dir "${worldWritable}" is writable by group or others (mode 1777)`,
  },
  {
    name: "state dir is a file",
    args: ["windows", "exec", "--", "echo"],
    env: sshEnv(aFile),
    message:
      `config error: state_dir "${aFile}" is a regular file, not a directory`,
  },
  {
    name: "state dir under a file",
    args: ["windows", "exec", "--", "echo"],
    env: sshEnv(`${aFile}/state`),
    message: "config error: state_dir",
  },
  {
    name: "no HOME and no state_dir",
    args: ["doctor"],
    env: { HOME: "" },
    message:
      "config error: state_dir is not set and neither HOME nor XDG_STATE_HOME is: set state_dir or WIN_AUTOMATION_STATE_DIR",
  },
  {
    name: "state dir too long for the control socket",
    args: ["doctor"],
    env: { WIN_AUTOMATION_STATE_DIR: "/" + "s".repeat(60) },
    message: `config error: WIN_AUTOMATION_STATE_DIR "/${
      "s".repeat(60)
    }" is too long for ssh's control sockets`,
  },
  {
    name: "state dir with a space",
    args: ["doctor"],
    env: { WIN_AUTOMATION_STATE_DIR: "/tmp/a b" },
    message:
      "config error: WIN_AUTOMATION_STATE_DIR must not contain white space",
  },
  {
    name: "identity file with a space",
    args: [
      "--config",
      await json("id0.json", { windows: { ssh_identity_file: "/k/my key" } }),
      "doctor",
    ],
    message:
      'config error: windows.ssh_identity_file must not contain white space, "%" or \'"\'',
  },
  {
    name: "identity file with %",
    args: ["doctor"],
    env: { WIN_AUTOMATION_WINDOWS_SSH_IDENTITY_FILE: "/k/%d" },
    message:
      "config error: WIN_AUTOMATION_WINDOWS_SSH_IDENTITY_FILE must not contain",
  },
  {
    name: 'identity file with "',
    args: ["doctor"],
    env: { WIN_AUTOMATION_WINDOWS_SSH_IDENTITY_FILE: '/k/"x' },
    message:
      "config error: WIN_AUTOMATION_WINDOWS_SSH_IDENTITY_FILE must not contain",
  },
  {
    name: "ssh host with a zero-width space",
    args: ["doctor"],
    env: { WIN_AUTOMATION_WINDOWS_SSH_HOST: "win\u200bhost" },
    message:
      'config error: WIN_AUTOMATION_WINDOWS_SSH_HOST must not contain white space, "@", control or zero-width characters',
  },
  {
    name: "ssh user with a tab",
    args: ["doctor"],
    env: { WIN_AUTOMATION_WINDOWS_SSH_USER: "ad\tmin" },
    message: "config error: WIN_AUTOMATION_WINDOWS_SSH_USER must not contain",
  },
  {
    name: "ssh host longer than 253 characters",
    args: ["doctor"],
    env: { WIN_AUTOMATION_WINDOWS_SSH_HOST: "h".repeat(254) },
    message:
      "config error: WIN_AUTOMATION_WINDOWS_SSH_HOST must be at most 253 characters, got 254",
  },
  {
    name: "ssh user starting with -",
    args: ["doctor"],
    env: { WIN_AUTOMATION_WINDOWS_SSH_USER: "-oProxyCommand=x" },
    message:
      'config error: WIN_AUTOMATION_WINDOWS_SSH_USER must not start with "-"',
  },
  {
    name: "host key of an unknown type",
    args: ["doctor"],
    env: { WIN_AUTOMATION_WINDOWS_SSH_HOST_KEY: "ssh-dss AAAAB3NzaC1kc3M=" },
    message:
      "config error: WIN_AUTOMATION_WINDOWS_SSH_HOST_KEY must start with a known key type",
  },
  {
    name: "host key on two lines",
    args: [
      "--config",
      await json("hk.json", {
        windows: { ssh_host_key: `${ED25519}\n${ED25519}` },
      }),
      "doctor",
    ],
    message: "config error: windows.ssh_host_key must be one line",
  },
  {
    name: "host key whose blob is another type",
    args: ["doctor"],
    env: {
      WIN_AUTOMATION_WINDOWS_SSH_HOST_KEY: ED25519.replace(
        "ssh-ed25519",
        "ssh-rsa",
      ),
    },
    message:
      "config error: WIN_AUTOMATION_WINDOWS_SSH_HOST_KEY has a key blob that is not a ssh-rsa key",
  },
  {
    name: "tls strategy mtls",
    args: ["doctor"],
    env: { WIN_AUTOMATION_HATCHET_TLS_STRATEGY: "mtls" },
    message:
      "config error: WIN_AUTOMATION_HATCHET_TLS_STRATEGY is not supported yet: no client certificate can be configured",
  },
  {
    name: "allow_file_urls not on/off",
    args: ["doctor"],
    env: { WIN_AUTOMATION_PLAYWRIGHT_ALLOW_FILE_URLS: "yes" },
    message:
      'config error: WIN_AUTOMATION_PLAYWRIGHT_ALLOW_FILE_URLS must be one of "off", "on"',
  },
  {
    name: "playwright run with a file url",
    args: ["playwright", "run", "--url", "file:///etc/passwd"],
    message:
      'usage error: --url must be an http or https URL (file: and other schemes need playwright.allow_file_urls=on), got "file:///etc/passwd"',
  },
  {
    name: "playwright.run job with a file url",
    args: [
      "jobs",
      "enqueue",
      "--type",
      "playwright.run",
      "--url",
      "file:///etc/passwd",
    ],
    message: "usage error: --url must be an http or https URL (file: and other",
  },
  {
    name: "windows.exec job with --timeout above hatchet.job_timeout",
    args: [
      "jobs",
      "enqueue",
      "--type",
      "windows.exec",
      "--cmd",
      "x",
      "--timeout",
      "20m",
    ],
    message:
      "usage error: --timeout 20m is longer than the worker's job timeout (10m), which stops every job first (hatchet.job_timeout)",
  },
  {
    name: "playwright.run job with --timeout above an env job timeout",
    args: [
      "jobs",
      "enqueue",
      "--type",
      "playwright.run",
      "--url",
      "http://x/",
      "--timeout",
      "2m",
    ],
    env: { WIN_AUTOMATION_HATCHET_JOB_TIMEOUT: "1m" },
    message:
      "usage error: --timeout 2m is longer than the worker's job timeout (1m), which stops every job first (WIN_AUTOMATION_HATCHET_JOB_TIMEOUT)",
  },
  // jobs logs: the id is checked before Hatchet is even opened; with a
  // token and an engine that does not answer, a request would exit 3
  {
    name: "jobs logs --id that is not a job id",
    args: ["jobs", "logs", "--id", "../x", "--follow"],
    env: {
      WIN_AUTOMATION_HATCHET_TOKEN: "tok-not-used",
      WIN_AUTOMATION_HATCHET_HTTP_URL: "http://127.0.0.1:9",
      WIN_AUTOMATION_HATCHET_GRPC_ADDRESS: "127.0.0.1:9",
    },
    message: 'usage error: --id must be a job id (a UUID), got "../x"',
  },
  {
    name: "jobs logs without --id",
    args: ["jobs", "logs"],
    message: "usage error: required option '--id <id>' not specified",
  },
  {
    name: "jobs logs --timeout not a duration",
    args: ["jobs", "logs", "--id", JOB, "--follow", "--timeout", "soon"],
    message: "usage error: option '--timeout <dur>' argument 'soon' is invalid",
  },
  // Batches and jobs list: every flag checked before Hatchet is opened.
  ...[
    ["--max-concurrency", "0"],
    ["--max-concurrency", "101%"],
    ["--max-errors", "-1"],
    ["--max-errors", "ten"],
  ].map(([flag, value]) => ({
    name: `jobs enqueue --targets ${flag} ${value}`,
    args: [...EXEC_ENQUEUE, "--targets", "default", flag!, value!],
    message:
      `usage error: option '${flag} <n|p%>' argument '${value}' is invalid`,
  })),
  {
    name: "jobs enqueue --max-errors without --targets",
    args: [...EXEC_ENQUEUE, "--max-errors", "1"],
    message: "usage error: --max-errors needs --targets",
  },
  {
    name: "jobs enqueue --target and --targets",
    args: [...EXEC_ENQUEUE, "--target", "default", "--targets", "default"],
    message: "usage error: give --target or --targets, not both",
  },
  {
    name: "jobs enqueue --targets naming no target",
    args: [...EXEC_ENQUEUE, "--targets", "win-09"],
    message: 'config error: --targets "win-09" names no target',
  },
  ...[
    ["--batch", "../x", "<id>"],
    ["--state", "done", "<state>"],
    ["--type", "shell", "<type>"],
    ["--since", "yesterday", "<dur>"],
    ["--since", "721h", "<dur>"],
    ["--limit", "0", "<n>"],
    ["--target", "Win_01", "<name>"],
  ].map(([flag, value, arg]) => ({
    name: `jobs list ${flag} ${value}`,
    args: ["jobs", "list", flag!, value!],
    message:
      `usage error: option '${flag} ${arg}' argument '${value}' is invalid`,
  })),
  {
    name: "jobs batch status --id that is not a UUID",
    args: ["jobs", "batch", "status", "--id", "../x"],
    message:
      "usage error: option '--id <id>' argument '../x' is invalid. must be a batch id (a UUID)",
  },
  {
    name: "jobs batch cancel without --id",
    args: ["jobs", "batch", "cancel"],
    message: "usage error: required option '--id <id>' not specified",
  },
  // Refused before config or Hatchet: an engine that does not answer
  // would exit 3.
  {
    name: "jobs status --output with --stderr",
    args: ["jobs", "status", "--id", JOB, "--output", "--stderr"],
    env: {
      WIN_AUTOMATION_HATCHET_TOKEN: "tok-not-used",
      WIN_AUTOMATION_HATCHET_GRPC_ADDRESS: "127.0.0.1:9",
    },
    message:
      "usage error: --output and --stderr print raw text: give one of them, without --json",
  },
  {
    name: "jobs status --stderr with --json",
    args: ["jobs", "status", "--id", JOB, "--stderr", "--json"],
    env: {
      WIN_AUTOMATION_HATCHET_TOKEN: "tok-not-used",
      WIN_AUTOMATION_HATCHET_GRPC_ADDRESS: "127.0.0.1:9",
    },
    message:
      "usage error: --output and --stderr print raw text: give one of them, without --json",
  },
  {
    name: "secret env value decoded with a replacement character",
    args: ["doctor"],
    env: { WIN_AUTOMATION_HATCHET_TOKEN: "s3cr\ufffdet-token-value" },
    message:
      "config error: WIN_AUTOMATION_HATCHET_TOKEN is not valid UTF-8 (the value is not shown)",
  },
  {
    name: "config file value that is not UTF-8",
    args: ["--config", latin1, "doctor"],
    message:
      "config error: aloha.desktop_user is not valid UTF-8 (the value is not shown)",
  },
  {
    name: "newline in a flag value",
    args: ["windows", "exec", "--timeout", "5\nsecond line", "--", "echo"],
    message: "usage error: option '--timeout <dur>' argument '5 second line'",
  },
  {
    name: "a 1.5 MB bad value",
    args: ["doctor"],
    env: { WIN_AUTOMATION_WINDOWS_SSH_PORT: "x".repeat(1_500_000) },
    message: `got "${"x".repeat(119)}…"`,
  },
  {
    name: "artifacts fetch --out is a file",
    args: ["artifacts", "fetch", "--job", JOB, "--out", aFile],
    message: `usage error: --out "${aFile}" is not a directory`,
  },
  {
    name: "artifacts.out_dir is a file (gc)",
    args: ["artifacts", "gc", "--dry-run"],
    env: { WIN_AUTOMATION_ARTIFACT_OUT: aFile },
    message:
      `config error: WIN_AUTOMATION_ARTIFACT_OUT "${aFile}" is not a directory`,
  },
  {
    name: "artifacts.out_dir is a file (direct run)",
    args: ["windows", "exec", "--", "echo"],
    env: {
      WIN_AUTOMATION_STATE_DIR: `${shortDir}/ok`,
      WIN_AUTOMATION_ARTIFACT_OUT: aFile,
    },
    message:
      `config error: WIN_AUTOMATION_ARTIFACT_OUT "${aFile}" is not a directory`,
  },
];

Deno.test(`bad input: ${cases.length} broken configs, env values and flags each exit 2 with their message`, async (t) => {
  assert.ok(cases.length >= 30);
  for (const c of cases) {
    await t.step(c.name, async () => {
      const r = await runInProcess(c.args, c.env);
      assert.equal(r.code, 2, `exit code for ${c.name}: ${r.stderr}`);
      assertIncludes(r.stderr, c.message);
      assert.equal(
        r.stderr.trim().split("\n").length,
        1,
        `one line: ${r.stderr}`,
      );
      assert.ok(r.stderr.length < 800, `short: ${r.stderr.length} chars`);
      assert.ok(!hasStackTrace(r.stderr + r.stdout));
    });
  }
});

Deno.test("bad input through the real binary: exit 2, one line, no stack trace", async () => {
  for (
    const args of [["--config", "/nonexistent", "doctor"], [
      "doctor",
      "--config",
      "x.json",
    ]]
  ) {
    const r = await runCli(args);
    assert.equal(r.code, 2);
    assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
    assert.ok(!hasStackTrace(r.stderr), r.stderr);
  }
});

Deno.test("a refused state dir is left exactly as it was", async () => {
  const before = await Deno.stat(worldWritable);
  const r = await runInProcess(
    ["windows", "exec", "--", "echo"],
    sshEnv(worldWritable),
  );
  assert.equal(r.code, 2);
  const after = await Deno.stat(worldWritable);
  assert.equal(after.mode, before.mode);
  assert.equal(after.uid, before.uid);
  const names = [];
  for await (const e of Deno.readDir(worldWritable)) names.push(e.name);
  assert.deepEqual(names, [], "nothing created inside");
});
