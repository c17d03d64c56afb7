import { assert, rejects } from "@test/assert";
import { ConfigError } from "../errors/mod.ts";
import { loadConfig } from "./load.ts";

const HOME = { HOME: "/home/u" };

function load(
  file: unknown,
  options: { env?: Record<string, string>; target?: string } = {},
) {
  const env = { ...HOME, ...options.env };
  return loadConfig({
    flagPath: "/c.json",
    env,
    getEnv: (name) => env[name as keyof typeof env],
    target: options.target,
    readTextFile: () => Promise.resolve(JSON.stringify(file)),
  });
}

async function refused(promise: Promise<unknown>, text: string) {
  const error = await rejects(() => promise);
  assert.ok(error instanceof ConfigError, String(error));
  assert.ok(error.message.includes(text), error.message);
}

const FLEET = {
  windows: { ssh_user: "admin", ssh_port: 22 },
  aloha: { desktop_user: "ops" },
  targets: {
    "win-01": { windows: { ssh_host: "10.0.0.1" }, tags: ["lab"] },
    "win-02": {
      windows: { ssh_host: "10.0.0.2", ssh_port: 2222 },
      aloha: { desktop_user: "kiosk" },
      desktop: "console-2",
    },
  },
  groups: { pair: ["win-01", "win-02"] },
};

Deno.test("without targets the file is one target, default, chosen without asking", async () => {
  const config = await load({ windows: { ssh_host: "h" } });
  assert.deepEqual(Object.keys(config.targets), ["default"]);
  assert.equal(config.target, "default");
  assert.equal(config.windows.sshHost, "h");
  assert.equal(config.targets.default!.desktop, "h:22555");
});

Deno.test("a target inherits the top level and overrides it with its own settings", async () => {
  const config = await load(FLEET, { target: "win-02" });
  assert.equal(config.target, "win-02");
  assert.equal(config.windows.sshHost, "10.0.0.2");
  assert.equal(config.windows.sshPort, 2222);
  assert.equal(config.windows.sshUser, "admin");
  assert.equal(config.aloha.desktopUser, "kiosk");
  const one = config.targets["win-01"]!;
  assert.equal(one.windows.sshPort, 22);
  assert.equal(one.aloha.desktopUser, "ops");
  assert.equal(one.desktop, "10.0.0.1:22");
  assert.equal(config.targets["win-02"]!.desktop, "console-2");
  assert.deepEqual(one.tags, ["lab"]);
  assert.deepEqual(config.groups, { pair: ["win-01", "win-02"] });
  const source = (path: string) =>
    config.targets["win-02"]!.entries.find((e) => e.path === path)?.source;
  assert.equal(source("targets.win-02.windows.ssh_host"), "file");
  assert.equal(source("targets.win-02.windows.ssh_user"), "file");
  assert.equal(source("targets.win-02.aloha.via"), "default");
});

Deno.test("the target is --target, else WIN_AUTOMATION_TARGET, else default_target; several and none chosen leaves it empty", async () => {
  const env = { WIN_AUTOMATION_TARGET: "win-01" };
  assert.equal((await load(FLEET, { env, target: "win-02" })).target, "win-02");
  assert.equal((await load(FLEET, { env })).target, "win-01");
  assert.equal(
    (await load({ ...FLEET, default_target: "win-02" })).target,
    "win-02",
  );
  const none = await load(FLEET);
  assert.equal(none.target, "");
  assert.equal(none.windows.sshHost, "localhost"); // the top level's
});

Deno.test("an unknown target is a config error naming the known ones, wherever it was named", async () => {
  await refused(
    load(FLEET, { target: "nope" }),
    '--target names an unknown target "nope" (known: win-01, win-02)',
  );
  await refused(
    load(FLEET, { env: { WIN_AUTOMATION_TARGET: "nope" } }),
    "WIN_AUTOMATION_TARGET names an unknown target",
  );
  await refused(
    load({ ...FLEET, default_target: "nope" }),
    "default_target names an unknown target",
  );
  // Negative control: a known name is accepted from each place.
  assert.equal((await load(FLEET, { target: "win-01" })).target, "win-01");
});

Deno.test("a target's secret comes only from WIN_AUTOMATION_TARGET_<NAME>_*, never the file, and is redacted", async () => {
  const secret = "p".repeat(20) + "0123456789abcdefghij";
  const config = await load(FLEET, {
    env: { WIN_AUTOMATION_TARGET_WIN_02_PLAYWRIGHT_WS_PATH: secret },
  });
  assert.equal(config.targets["win-02"]!.playwright.wsPath, secret);
  assert.equal(config.targets["win-01"]!.playwright.wsPath, "");
  const entry = config.targets["win-02"]!.entries.find((e) =>
    e.path === "targets.win-02.playwright.ws_path"
  )!;
  assert.equal(entry.source, "env");
  assert.equal(entry.env, "WIN_AUTOMATION_TARGET_WIN_02_PLAYWRIGHT_WS_PATH");
  assert.ok(entry.secret);
  // A target without its own variable inherits, and says from where.
  const inherited = await load(FLEET, {
    env: { WIN_AUTOMATION_PLAYWRIGHT_WS_PATH: secret },
  });
  const row = inherited.targets["win-01"]!.entries.find((e) =>
    e.path === "targets.win-01.playwright.ws_path"
  )!;
  assert.equal(row.env, "WIN_AUTOMATION_PLAYWRIGHT_WS_PATH");
  assert.equal(inherited.targets["win-01"]!.playwright.wsPath, secret);
  const { secretsOf } = await import("./load.ts");
  assert.ok(secretsOf(config).includes(secret));
  await refused(
    load({
      targets: { "win-01": { playwright: { ws_path: "x" } } },
    }),
    "targets.win-01.playwright.ws_path is a secret: set it only in the environment (WIN_AUTOMATION_TARGET_WIN_01_PLAYWRIGHT_WS_PATH)",
  );
});

Deno.test("the file's targets and groups are checked: names, keys, values, members", async () => {
  await refused(
    load({ targets: { "Win_01": {} } }),
    "targets.Win_01 must be a target name",
  );
  await refused(
    load({ targets: { a: { windows: { allow_from: "10.0.0.1" } } } }),
    "targets.a.windows.allow_from is not a per-target setting",
  );
  await refused(
    load({ targets: { a: { windows: { bogus: 1 } } } }),
    "targets.a.windows.bogus unknown key",
  );
  await refused(
    load({ targets: { a: { windows: { ssh_port: 0 } } } }),
    "targets.a.windows.ssh_port must be an integer from 1 to 65535",
  );
  await refused(
    load({ targets: { a: { colour: 1 } } }),
    "targets.a.colour unknown key",
  );
  await refused(
    load({ targets: {} }),
    "targets must be an object of named targets",
  );
  await refused(
    load({ targets: { a: {} }, groups: { g: ["a", "b"] } }),
    'groups.g names an unknown target "b" (known: a)',
  );
  await refused(
    load({ targets: { a: { tags: ["ok", "Not ok"] } } }),
    "targets.a.tags each tag",
  );
  await refused(
    load({ default_target: "Bad" }),
    "default_target must be a target name",
  );
  // Negative control: a complete fleet file is accepted.
  assert.equal(Object.keys((await load(FLEET)).targets).length, 2);
});

Deno.test("hatchet.schedule_timeout defaults to 5m and goes to 24h", async () => {
  assert.equal((await load({})).hatchet.scheduleTimeoutMs, 300_000);
  assert.equal(
    (await load({ hatchet: { schedule_timeout: "24h" } })).hatchet
      .scheduleTimeoutMs,
    24 * 3_600_000,
  );
  await refused(
    load({ hatchet: { schedule_timeout: "25h" } }),
    "hatchet.schedule_timeout must be from 1s to 24h",
  );
});

Deno.test("a target or group named all is refused naming the field: all is the --targets item for every target", async () => {
  await refused(
    load({ targets: { all: {}, "win-01": {} } }),
    'targets.all is reserved: "all" in --targets names every target',
  );
  await refused(
    load({ targets: { "win-01": {} }, groups: { all: ["win-01"] } }),
    'groups.all is reserved: "all" in --targets names every target',
  );
  // Negative control: a name that only contains "all" is a name like any other.
  const ok = await load({
    targets: { "all-01": {} },
    groups: { allx: ["all-01"] },
  });
  assert.deepEqual(Object.keys(ok.targets), ["all-01"]);
});
