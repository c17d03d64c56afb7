import { assert, rejects } from "@test/assert";
import { ConfigError } from "../errors/mod.ts";
import { loadConfig } from "./load.ts";

const files = (content: Record<string, unknown>) => (path: string) =>
  path in content
    ? Promise.resolve(JSON.stringify(content[path]))
    : Promise.reject(new Deno.errors.NotFound(path));

Deno.test("loadConfig() applies defaults < file < env and records each source", async () => {
  const config = await loadConfig({
    flagPath: "/c.json",
    env: { WIN_AUTOMATION_WINDOWS_SSH_PORT: "2222", HOME: "/home/u" },
    readTextFile: files({
      "/c.json": {
        windows: { ssh_port: 1111, ssh_user: "bob" },
        timeout: "30s",
      },
    }),
  });
  assert.equal(config.windows.sshPort, 2222);
  assert.equal(config.windows.sshUser, "bob");
  assert.equal(config.windows.sshHost, "localhost");
  assert.equal(config.timeoutMs, 30_000);
  const source = (p: string) =>
    config.entries.find((e) => e.path === p)?.source;
  assert.equal(source("windows.ssh_port"), "env");
  assert.equal(source("windows.ssh_user"), "file");
  assert.equal(source("windows.ssh_host"), "default");
  assert.equal(config.stateDir, "/home/u/.local/state/win-automation");
});

Deno.test("loadConfig() reads the file only when named, and --config wins over WIN_AUTOMATION_CONFIG", async () => {
  const read = files({
    "/flag.json": { windows: { ssh_user: "flag" } },
    "/env.json": { windows: { ssh_user: "env" } },
  });
  assert.equal(
    (await loadConfig({ readTextFile: read })).windows.sshUser,
    "administrator",
  );
  assert.equal(
    (await loadConfig({
      env: { WIN_AUTOMATION_CONFIG: "/env.json" },
      readTextFile: read,
    })).windows.sshUser,
    "env",
  );
  assert.equal(
    (await loadConfig({
      flagPath: "/flag.json",
      env: { WIN_AUTOMATION_CONFIG: "/env.json" },
      readTextFile: read,
    }))
      .windows.sshUser,
    "flag",
  );
});

Deno.test("loadConfig() normalises URLs: trailing slashes, and /run_task off the Aloha client URL", async () => {
  const config = await loadConfig({
    env: {
      WIN_AUTOMATION_ALOHA_CLIENT_URL: "http://10.0.0.5:7888/run_task/",
      WIN_AUTOMATION_ALOHA_SERVER_URL: "http://10.0.0.5:7887///",
    },
  });
  assert.equal(config.aloha.clientUrl, "http://10.0.0.5:7888");
  assert.equal(config.aloha.serverUrl, "http://10.0.0.5:7887");
});

Deno.test("loadConfig() takes secrets from the env only", async () => {
  const config = await loadConfig({
    env: {
      WIN_AUTOMATION_HATCHET_TOKEN: "tok",
      WIN_AUTOMATION_PLAYWRIGHT_WS_PATH: "ws",
    },
  });
  assert.equal(config.hatchet.token, "tok");
  assert.equal(config.playwright.wsPath, "ws");
  const error = await rejects(() =>
    loadConfig({
      flagPath: "/c.json",
      readTextFile: files({ "/c.json": { hatchet: { token: "tok" } } }),
    })
  );
  assert.ok(error instanceof ConfigError);
  assert.equal((error as ConfigError).field, "hatchet.token");
});
