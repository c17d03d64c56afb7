import { assert, rejects } from "@test/assert";
import { ConfigError } from "../errors/mod.ts";
import { loadConfig } from "./load.ts";

const HOME = { HOME: "/home/u" };

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
    (await loadConfig({ env: HOME, readTextFile: read })).windows.sshUser,
    "administrator",
  );
  assert.equal(
    (await loadConfig({
      env: { ...HOME, WIN_AUTOMATION_CONFIG: "/env.json" },
      readTextFile: read,
    })).windows.sshUser,
    "env",
  );
  assert.equal(
    (await loadConfig({
      flagPath: "/flag.json",
      env: { ...HOME, WIN_AUTOMATION_CONFIG: "/env.json" },
      readTextFile: read,
    }))
      .windows.sshUser,
    "flag",
  );
});

Deno.test("loadConfig() normalises URLs: trailing slashes, and /run_task off the Aloha client URL", async () => {
  const config = await loadConfig({
    env: {
      ...HOME,
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
      ...HOME,
      WIN_AUTOMATION_HATCHET_TOKEN: "tok",
      WIN_AUTOMATION_PLAYWRIGHT_WS_PATH: "ws",
    },
  });
  assert.equal(config.hatchet.token, "tok");
  assert.equal(config.playwright.wsPath, "ws");
  const error = await rejects(() =>
    loadConfig({
      flagPath: "/c.json",
      env: HOME,
      readTextFile: files({ "/c.json": { hatchet: { token: "tok" } } }),
    })
  );
  assert.ok(error instanceof ConfigError);
  assert.equal((error as ConfigError).field, "hatchet.token");
});

Deno.test("loadConfig() has no shared fallback: without HOME, XDG_STATE_HOME or state_dir it names state_dir", async () => {
  const error = await rejects(() => loadConfig({ env: {} }));
  assert.ok(error instanceof ConfigError);
  assert.equal((error as ConfigError).field, "state_dir");
  assert.match((error as Error).message, /WIN_AUTOMATION_STATE_DIR/);
  // negative control: an explicit state_dir is enough
  const ok = await loadConfig({ env: { WIN_AUTOMATION_STATE_DIR: "/s" } });
  assert.equal(ok.stateDir, "/s");
});

Deno.test("loadConfig() refuses a state_dir whose control socket path would not fit a unix socket", async () => {
  const long = "/" + "d".repeat(60);
  const error = await rejects(() =>
    loadConfig({ env: { WIN_AUTOMATION_STATE_DIR: long } })
  );
  assert.ok(error instanceof ConfigError);
  assert.equal((error as ConfigError).field, "WIN_AUTOMATION_STATE_DIR");
  assert.match((error as Error).message, /unix socket limit of 107/);
  const fits = "/" + "d".repeat(40);
  assert.equal(
    (await loadConfig({ env: { WIN_AUTOMATION_STATE_DIR: fits } })).stateDir,
    fits,
  );
});

Deno.test("loadConfig() reports a U+FFFD (an invalid byte decoded) by name, never the value", async () => {
  const secret = "s3cr\uFFFDt-value";
  const error = await rejects(() =>
    loadConfig({ env: { ...HOME, WIN_AUTOMATION_HATCHET_TOKEN: secret } })
  );
  assert.ok(error instanceof ConfigError);
  assert.equal(
    (error as Error).message,
    "config error: WIN_AUTOMATION_HATCHET_TOKEN is not valid UTF-8 (the value is not shown)",
  );
  const inFile = await rejects(() =>
    loadConfig({
      flagPath: "/c.json",
      env: HOME,
      readFile: () =>
        Promise.resolve(
          new TextEncoder().encode('{"aloha":{"desktop_user":"ab"}}')
            .map((b) => b === 0x62 ? 0xa0 : b),
        ),
    })
  );
  assert.equal((inFile as ConfigError).field, "aloha.desktop_user");
  assert.equal(
    (inFile as Error).message,
    "config error: aloha.desktop_user is not valid UTF-8 (the value is not shown)",
  );
});

Deno.test("loadConfig() pins a valid host key and refuses a malformed one naming the field", async () => {
  const key =
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAINdXlMTmvLC/HblNbIJ4JTYyCRZADrDX373nOGr2Ot9o host";
  const config = await loadConfig({
    env: { ...HOME, WIN_AUTOMATION_WINDOWS_SSH_HOST_KEY: key },
  });
  assert.equal(config.windows.sshHostKey, key);
  for (
    const bad of [
      "ssh-dss AAAAB3NzaC1kc3MAAACBAP",
      "ssh-ed25519 not*base64",
      "ssh-ed25519 AAAAB3NzaC1yc2EAAAADAQABAAABAQ==",
      "ssh-ed25519",
      key + "\nssh-rsa AAAA",
    ]
  ) {
    const error = await rejects(() =>
      loadConfig({ env: { ...HOME, WIN_AUTOMATION_WINDOWS_SSH_HOST_KEY: bad } })
    );
    assert.ok(error instanceof ConfigError, bad);
    assert.equal(
      (error as ConfigError).field,
      "WIN_AUTOMATION_WINDOWS_SSH_HOST_KEY",
    );
  }
});

Deno.test("loadConfig() refuses hatchet.tls_strategy mtls as not supported yet", async () => {
  const error = await rejects(() =>
    loadConfig({
      env: { ...HOME, WIN_AUTOMATION_HATCHET_TLS_STRATEGY: "mtls" },
    })
  );
  assert.match((error as Error).message, /not supported yet/);
  const tls = await loadConfig({
    env: { ...HOME, WIN_AUTOMATION_HATCHET_TLS_STRATEGY: "tls" },
  });
  assert.equal(tls.hatchet.tlsStrategy, "tls");
});

Deno.test("loadConfig() reads secrets from systemd credentials when their env vars are unset", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/hatchet_token`, "tok-from-credential\n");
    const config = await loadConfig({
      env: { HOME: "/home/x", CREDENTIALS_DIRECTORY: dir },
    });
    assert.equal(config.hatchet.token, "tok-from-credential");
    assert.equal(config.playwright.wsPath, "", "a missing credential is unset");
    const row = config.entries.find((e) => e.path === "hatchet.token");
    assert.equal(row?.source, "credential");
    const env = await loadConfig({
      env: {
        HOME: "/home/x",
        CREDENTIALS_DIRECTORY: dir,
        WIN_AUTOMATION_HATCHET_TOKEN: "tok-from-env",
      },
    });
    assert.equal(env.hatchet.token, "tok-from-env", "the env var wins");
    await Deno.writeFile(
      `${dir}/playwright_ws_path`,
      new Uint8Array([0x61, 0xa0, 0x62]),
    );
    const error = await loadConfig({
      env: { HOME: "/home/x", CREDENTIALS_DIRECTORY: dir },
    }).then(() => null, (e) => e as Error);
    assert.ok(error, "invalid UTF-8 in a credential is refused");
    assert.match(error.message, /playwright_ws_path is not valid UTF-8/);
    assert.ok(!error.message.includes("a\u00a0b"));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("loadConfig(): Aloha and Playwright through ssh by default; direct needs windows.allow_from", async () => {
  const base = await loadConfig({ env: HOME });
  assert.equal(base.aloha.via, "ssh");
  assert.equal(base.playwright.via, "ssh");
  assert.deepEqual(base.windows.allowFrom, []);
  const refused = await rejects(() =>
    loadConfig({ env: { ...HOME, WIN_AUTOMATION_PLAYWRIGHT_VIA: "direct" } })
  );
  assert.ok(refused instanceof ConfigError);
  assert.match(
    refused.message,
    /^config error: windows.allow_from must name the Linux host.s address\(es\) when playwright\.via is "direct"/,
  );
  const direct = await loadConfig({
    env: {
      ...HOME,
      WIN_AUTOMATION_ALOHA_VIA: "direct",
      WIN_AUTOMATION_WINDOWS_ALLOW_FROM:
        "192.168.122.1, 10.0.0.0/255.255.255.0",
    },
  });
  assert.equal(direct.aloha.via, "direct");
  assert.deepEqual(direct.windows.allowFrom, ["192.168.122.1", "10.0.0.0/24"]);
  for (
    const [name, value] of [
      ["WIN_AUTOMATION_ALOHA_VIA", "tunnel"],
      ["WIN_AUTOMATION_WINDOWS_ALLOW_FROM", "0.0.0.0/0"],
    ]
  ) {
    const e = await rejects(() =>
      loadConfig({ env: { ...HOME, [name!]: value! } })
    );
    assert.ok(e instanceof ConfigError);
    assert.match(e.message, new RegExp(`^config error: ${name} `));
  }
});

/** Asserts `promise` fails with a ConfigError whose message holds `text`. */
async function refused(promise: Promise<unknown>, text: string) {
  const error = await rejects(() => promise);
  assert.ok(error instanceof ConfigError, String(error));
  assert.ok(error.message.includes(text), error.message);
}

Deno.test("hatchet.job_timeout accepts up to 24h (6h from a file, 24h from the env); other durations stop at 1h", async () => {
  const fromFile = await loadConfig({
    flagPath: "/c.json",
    env: HOME,
    readTextFile: files({ "/c.json": { hatchet: { job_timeout: "6h" } } }),
  });
  assert.equal(fromFile.hatchet.jobTimeoutMs, 6 * 3_600_000);
  const fromEnv = await loadConfig({
    env: { ...HOME, WIN_AUTOMATION_HATCHET_JOB_TIMEOUT: "24h" },
  });
  assert.equal(fromEnv.hatchet.jobTimeoutMs, 24 * 3_600_000);
  // Negative controls: one step past each bound is refused, naming the field.
  await refused(
    loadConfig({ env: { ...HOME, WIN_AUTOMATION_HATCHET_JOB_TIMEOUT: "25h" } }),
    "WIN_AUTOMATION_HATCHET_JOB_TIMEOUT must be from 1s to 24h",
  );
  await refused(
    loadConfig({ env: { ...HOME, WIN_AUTOMATION_TIMEOUT: "6h" } }),
    "WIN_AUTOMATION_TIMEOUT must be from 1s to 1h",
  );
});

Deno.test("a config file is checked key by key in table order, unknown keys after the known ones", async () => {
  const load = (json: unknown) =>
    loadConfig({
      flagPath: "/c.json",
      env: HOME,
      readTextFile: () => Promise.resolve(JSON.stringify(json)),
    });
  await refused(load([1]), "/c.json must be a JSON object");
  await refused(load({ windows: null }), "windows must be an object, got null");
  await refused(
    load({ windows: { zz: 1, ssh_port: 0 } }),
    "windows.ssh_port must be an integer from 1 to 65535, got 0",
  );
  await refused(load({ windows: { zz: 1 } }), "windows.zz unknown key");
  await refused(
    load({ bogus: 1, aloha: { via: "x" } }),
    'aloha.via must be one of "ssh", "direct", got "x"',
  );
  await refused(load({ bogus: 1 }), "bogus unknown key");
  await refused(
    load({ hatchet: { token: "t" } }),
    "hatchet.token is a secret: set it only in the environment (WIN_AUTOMATION_HATCHET_TOKEN)",
  );
  const ok = await load({ aloha: { client_url: "http://h:1/run_task/" } });
  assert.equal(ok.aloha.clientUrl, "http://h:1");
});
