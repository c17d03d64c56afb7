import assert from "node:assert/strict";
import {
  computerName,
  fleetConfig,
  fleetEnv,
  hostDir,
  hostName,
  hostNames,
  hostPaths,
  hostPorts,
} from "./hosts.ts";
import { labPaths } from "./paths.ts";

/** What the targets schema lets a target set itself (lib/config/targets.ts). */
const TARGET_KEYS: Record<string, string[]> = {
  windows: [
    "ssh_host",
    "ssh_port",
    "ssh_user",
    "ssh_identity_file",
    "ssh_host_key",
  ],
  aloha: [
    "via",
    "server_url",
    "client_url",
    "server_start_cmd",
    "client_start_cmd",
    "desktop_user",
    "client_log_path",
  ],
  playwright: [
    "via",
    "host",
    "port",
    "channel",
    "executable_path",
    "allow_file_urls",
  ],
};

Deno.test("hostName() names hosts win-01 to win-09 and refuses others", () => {
  assert.deepEqual(hostNames(3), ["win-01", "win-02", "win-03"]);
  assert.equal(hostName(9), "win-09");
  for (const bad of [0, 10, 1.5]) {
    assert.throws(() => hostName(bad), RangeError);
    assert.throws(() => hostNames(bad), RangeError);
  }
  assert.equal(computerName("win-02"), "WIN-02");
  assert.throws(() => computerName("win-10"), RangeError);
});

Deno.test("hostPaths() keeps each host's Windows side apart and shares the client side", () => {
  const main = labPaths("/tmp/wa-lab-x");
  assert.equal(hostPaths("win-01", main), main);
  const two = hostPaths("win-02", main);
  assert.equal(two.dir, "/tmp/wa-lab-x/hosts/win-02");
  assert.equal(hostDir("win-02", main), two.dir);
  for (
    const own of [
      "fs",
      "state",
      "journal",
      "hostKey",
      "sshdConfig",
      "sshdPid",
      "ports",
      "power",
      "runDir",
    ] as const
  ) {
    assert.ok(two[own].startsWith(`${two.dir}/`), own);
  }
  for (
    const shared of [
      "clientKey",
      "clientState",
      "bin",
      "artifacts",
      "upLock",
      "hatchetToken",
    ] as const
  ) {
    assert.equal(two[shared], main[shared], shared);
  }
});

Deno.test("fleetConfig() names each host with only per-target settings, own ports and no secret", async () => {
  const dir = await Deno.makeTempDir({ prefix: "wa-hosts-test-" });
  try {
    const main = labPaths(dir);
    await Deno.mkdir(`${dir}/hosts/win-02`, { recursive: true });
    await Deno.mkdir(`${dir}/hosts/win-03`, { recursive: true });
    await Deno.writeTextFile(
      `${dir}/hosts/win-02/ssh_host_ed25519_key.pub`,
      "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIK9b wa-lab-host\n",
    );
    await Deno.writeTextFile(main.playwrightWsPath, "lab-secret-ws");
    const config = await fleetConfig(3, main);
    const targets = config.targets as Record<
      string,
      Record<string, Record<string, unknown>>
    >;
    assert.deepEqual(Object.keys(targets), ["win-01", "win-02", "win-03"]);
    assert.deepEqual(config.groups, { lab: ["win-01", "win-02", "win-03"] });
    assert.equal(config.default_target, "win-01");
    for (const [name, target] of Object.entries(targets)) {
      for (const [section, values] of Object.entries(target)) {
        if (section === "tags") continue;
        const allowed = TARGET_KEYS[section];
        assert.ok(allowed, `${name}: section ${section}`);
        for (const key of Object.keys(values)) {
          assert.ok(allowed.includes(key), `${name}.${section}.${key}`);
        }
      }
    }
    // Negative control: the check above sees a key the schema refuses.
    assert.ok(!TARGET_KEYS.playwright!.includes("ws_path"));
    const ssh = Object.values(targets).map((t) => t.windows!.ssh_port);
    assert.equal(new Set(ssh).size, 3);
    assert.deepEqual(
      ssh,
      await Promise.all(
        ["win-01", "win-02", "win-03"].map(async (n) =>
          (await hostPorts(n, main)).ssh
        ),
      ),
    );
    assert.equal(
      targets["win-02"]!.windows!.ssh_host_key,
      "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIK9b",
    );
    assert.ok(targets["win-01"]!.playwright, "Playwright runs on win-01");
    assert.equal(targets["win-02"]!.playwright, undefined);
    assert.ok(!JSON.stringify(config).includes("lab-secret-ws"));

    const env = await fleetEnv(3, main);
    assert.equal(env.WIN_AUTOMATION_CONFIG, `${dir}/targets.json`);
    assert.deepEqual(
      JSON.parse(await Deno.readTextFile(env.WIN_AUTOMATION_CONFIG!)),
      config,
    );
    assert.equal(
      env.WIN_AUTOMATION_TARGET_WIN_01_PLAYWRIGHT_WS_PATH,
      "lab-secret-ws",
    );
    const one = await fleetEnv(1, main);
    assert.equal(one.WIN_AUTOMATION_CONFIG, undefined);
    assert.equal(
      one.WIN_AUTOMATION_TARGET_WIN_01_PLAYWRIGHT_WS_PATH,
      undefined,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
