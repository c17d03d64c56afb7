/**
 * The shipped systemd units: `systemd-analyze verify` passes on both (against
 * a scratch root holding the system's unit files and a stand-in binary, so
 * nothing is installed on this machine), with no warning, and the settings
 * the runbook promises are there.
 * @module
 */
import { assert } from "@test/assert";

const ROOT = new URL("..", import.meta.url).pathname;
const UNITS = [
  "win-automation-worker.service",
  "win-automation-supervisor.service",
];
const SYSTEM_UNITS = "/usr/lib/systemd/system";

async function scratchRoot(): Promise<string> {
  const root = await Deno.makeTempDir({ prefix: "wa-systemd-" });
  await Deno.mkdir(`${root}/usr/local/bin`, { recursive: true });
  await Deno.mkdir(`${root}/etc/systemd/system`, { recursive: true });
  await Deno.mkdir(`${root}/usr/lib/systemd`, { recursive: true });
  const cp = await new Deno.Command("cp", {
    args: ["-a", SYSTEM_UNITS, `${root}/usr/lib/systemd/`],
  }).output();
  assert.ok(cp.success, new TextDecoder().decode(cp.stderr));
  await Deno.writeTextFile(
    `${root}/usr/local/bin/win-automation`,
    "#!/bin/sh\nexit 0\n",
    { mode: 0o755 },
  );
  for (const unit of UNITS) {
    await Deno.copyFile(
      `${ROOT}systemd/${unit}`,
      `${root}/etc/systemd/system/${unit}`,
    );
  }
  return root;
}

function analyzer(): string {
  for (const p of ["/usr/bin/systemd-analyze", "/bin/systemd-analyze"]) {
    try {
      Deno.statSync(p);
      return p;
    } catch { /* next */ }
  }
  throw new Error(
    "systemd-analyze is missing: install the Debian package systemd (scripts/test does)",
  );
}

for (const unit of UNITS) {
  Deno.test(`systemd-analyze verify passes on ${unit} without a warning`, async () => {
    const root = await scratchRoot();
    try {
      const out = await new Deno.Command(analyzer(), {
        args: ["verify", `--root=${root}`, `/etc/systemd/system/${unit}`],
        stdout: "piped",
        stderr: "piped",
      }).output();
      const text = new TextDecoder().decode(out.stderr) +
        new TextDecoder().decode(out.stdout);
      assert.equal(out.code, 0, text);
      assert.equal(text.trim(), "", text);
    } finally {
      await Deno.remove(root, { recursive: true });
    }
  });
}

/** `Key=value` lines of a unit, by key (repeated keys keep every value). */
function settings(text: string): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const line of text.split("\n")) {
    const m = line.match(/^([A-Za-z]+)=(.*)$/);
    if (m) map.set(m[1]!, [...(map.get(m[1]!) ?? []), m[2]!]);
  }
  return map;
}

for (const unit of UNITS) {
  Deno.test(`${unit}: dedicated user, SIGTERM stop, restart on failure, sandbox, secrets from a file`, async () => {
    const s = settings(await Deno.readTextFile(`${ROOT}systemd/${unit}`));
    const one = (k: string) => s.get(k)?.at(-1);
    assert.equal(one("User"), "win-automation");
    assert.equal(one("KillSignal"), "SIGTERM");
    assert.equal(one("Restart"), "on-failure");
    assert.equal(one("NoNewPrivileges"), "yes");
    assert.equal(one("ProtectSystem"), "strict");
    assert.equal(
      one("ReadWritePaths"),
      "/var/lib/win-automation/state /var/lib/win-automation/artifacts",
    );
    assert.equal(
      one("EnvironmentFile"),
      "/etc/win-automation/win-automation.env",
    );
    // No secret is ever set on the unit itself.
    for (const env of s.get("Environment") ?? []) {
      assert.ok(!/TOKEN|WS_PATH/.test(env), env);
    }
    const stop = Number(one("TimeoutStopSec")?.replace(/s$/, ""));
    // The worker drains for up to 30 s (--drain-timeout) before it exits.
    if (unit.includes("worker")) assert.ok(stop > 30, `TimeoutStopSec=${stop}`);
    assert.ok(one("ExecStart")?.startsWith("/usr/local/bin/win-automation "));
  });
}
