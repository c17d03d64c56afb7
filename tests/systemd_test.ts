/**
 * The shipped systemd units: `systemd-analyze verify` passes on both (against
 * a scratch root holding the system's unit files and a stand-in binary, so
 * nothing is installed on this machine), with no warning;
 * `systemd-analyze security` scores both at 2.0 or less; and the settings
 * the runbook promises are there.
 * @module
 */
import { assert } from "@test/assert";

const ROOT = new URL("..", import.meta.url).pathname;
const UNITS = [
  "win-automation-worker.service",
  "win-automation-supervisor.service",
  "win-automation-worker@.service",
];

/** What systemd-analyze checks for `unit`: a template as its instance `win-01`. */
const instance = (unit: string) =>
  unit.replace(/@\.service$/, "@win-01.service");
const SYSTEM_UNITS = "/usr/lib/systemd/system";

/** A scratch root with the system's units, a stand-in binary and `extra` units. */
async function scratchRoot(
  extra: Record<string, string> = {},
): Promise<string> {
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
  for (const [name, text] of Object.entries(extra)) {
    await Deno.writeTextFile(`${root}/etc/systemd/system/${name}`, text);
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
        args: [
          "verify",
          `--root=${root}`,
          `/etc/systemd/system/${instance(unit)}`,
        ],
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

/** The most a unit may score: `systemd-analyze security`'s 0-10 scale. */
const MAX_EXPOSURE = 2.0;

/**
 * `systemd-analyze security --offline=yes --threshold=20` on a unit of the
 * scratch root: its exit code (non-zero above 2.0) and the score parsed from
 * the "Overall exposure level" line.
 */
async function exposure(
  root: string,
  unit: string,
): Promise<{ code: number; score: number; text: string }> {
  const out = await new Deno.Command(analyzer(), {
    args: [
      "security",
      "--offline=yes",
      `--threshold=${MAX_EXPOSURE * 10}`,
      `--root=${root}`,
      `/etc/systemd/system/${unit}`,
    ],
    env: { SYSTEMD_PAGER: "cat", SYSTEMD_COLORS: "0" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout) +
    new TextDecoder().decode(out.stderr);
  const m = text.match(/Overall exposure level for \S+: (\d+\.\d+)/);
  assert.ok(m, `no "Overall exposure level" line:\n${text}`);
  return { code: out.code, score: Number(m[1]), text };
}

/**
 * A unit with every hardening setting removed: only the lines that make the
 * service run are kept.
 */
function stripped(unit: string): string {
  const keep =
    /^(\[|#|$|Description|Wants|After|StartLimit|Type|User|Group|EnvironmentFile|LoadCredential|Environment|WorkingDirectory|ExecStart|Kill|TimeoutStopSec|Restart|WantedBy)/;
  return unit.split("\n").filter((l) => keep.test(l)).join("\n");
}

for (const unit of UNITS) {
  Deno.test(`systemd-analyze security scores ${unit} at ${MAX_EXPOSURE.toFixed(1)} or less; stripped of its hardening, above`, async () => {
    const text = await Deno.readTextFile(`${ROOT}systemd/${unit}`);
    const root = await scratchRoot({ "stripped.service": stripped(text) });
    try {
      const shipped = await exposure(root, instance(unit));
      assert.ok(shipped.score <= MAX_EXPOSURE, shipped.text);
      assert.equal(shipped.code, 0, shipped.text);
      // Negative control: the same unit without its sandbox fails the bar,
      // so the score above comes from the hardening, not from the tool.
      const bare = await exposure(root, "stripped.service");
      assert.ok(bare.score > MAX_EXPOSURE, bare.text);
      assert.notEqual(bare.code, 0, bare.text);
      // The runbook's drop-in for a VM and Hatchet off this host keeps it.
      await Deno.mkdir(`${root}/etc/systemd/system/${unit}.d`);
      await Deno.writeTextFile(
        `${root}/etc/systemd/system/${unit}.d/allow.conf`,
        "[Service]\nIPAddressAllow=192.0.2.10 198.51.100.0/24\n",
      );
      const opened = await exposure(root, instance(unit));
      assert.ok(opened.score <= MAX_EXPOSURE, opened.text);
      assert.match(opened.text, /allow list with non-localhost entries/);
    } finally {
      await Deno.remove(root, { recursive: true });
    }
  });
}

for (const unit of UNITS) {
  Deno.test(`${unit}: secrets as credentials, syscall filter, private /proc and users, loopback-only network`, async () => {
    const s = settings(await Deno.readTextFile(`${ROOT}systemd/${unit}`));
    // A template instance reads its own target's ws path.
    const dir = unit.includes("@") ? "credentials/%i" : "credentials";
    assert.deepEqual(s.get("LoadCredential"), [
      "hatchet_token:/etc/win-automation/credentials/hatchet_token",
      `playwright_ws_path:/etc/win-automation/${dir}/playwright_ws_path`,
    ]);
    assert.deepEqual(s.get("SystemCallFilter"), [
      "@system-service",
      "~@privileged @resources",
    ]);
    assert.deepEqual(s.get("SystemCallErrorNumber"), ["EPERM"]);
    assert.deepEqual(s.get("IPAddressDeny"), ["any"]);
    assert.deepEqual(s.get("IPAddressAllow"), ["localhost"]);
    assert.deepEqual(s.get("CapabilityBoundingSet"), [""]);
    const expected: Record<string, string> = {
      PrivateUsers: "yes",
      ProtectProc: "invisible",
      ProcSubset: "pid",
      ProtectHome: "yes",
      DevicePolicy: "closed",
      UMask: "0077",
      RestrictAddressFamilies: "AF_UNIX AF_INET AF_INET6",
    };
    for (const [k, v] of Object.entries(expected)) {
      assert.deepEqual(s.get(k), [v], k);
    }
    // V8 compiles to writable+executable memory: this would kill the binary.
    assert.equal(s.get("MemoryDenyWriteExecute"), undefined);
  });
}

Deno.test("win-automation-worker@.service runs one worker per target: worker --target %i, its own metrics file", async () => {
  const template = settings(
    await Deno.readTextFile(`${ROOT}systemd/win-automation-worker@.service`),
  );
  const plain = settings(
    await Deno.readTextFile(`${ROOT}systemd/win-automation-worker.service`),
  );
  assert.deepEqual(template.get("ExecStart"), [
    "/usr/local/bin/win-automation worker --target %i --metrics --metrics-interval 30s",
  ]);
  assert.ok(
    (template.get("Environment") ?? []).includes(
      "WIN_AUTOMATION_METRICS_PATH=/var/lib/win-automation/state/metrics-%i.prom",
    ),
  );
  // Negative control: the single-target unit serves the configured target.
  assert.ok(!plain.get("ExecStart")![0]!.includes("--target"));
  // The template keeps every other setting of the single-target unit.
  for (const [key, values] of plain) {
    if (
      ["ExecStart", "Environment", "Description", "LoadCredential"].includes(
        key,
      )
    ) continue;
    assert.deepEqual(template.get(key), values, key);
  }
});

Deno.test("systemd-analyze verify reads the template through its instance: a bad setting in it is reported", async () => {
  const text = await Deno.readTextFile(
    `${ROOT}systemd/win-automation-worker@.service`,
  );
  const root = await scratchRoot({
    "win-automation-worker@.service": text.replace(
      "KillMode=mixed",
      "KillMode=bogus",
    ),
  });
  try {
    const out = await new Deno.Command(analyzer(), {
      args: [
        "verify",
        `--root=${root}`,
        "/etc/systemd/system/win-automation-worker@win-01.service",
      ],
      stdout: "piped",
      stderr: "piped",
    }).output();
    const said = new TextDecoder().decode(out.stderr) +
      new TextDecoder().decode(out.stdout);
    assert.match(said, /kill mode/i);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("the env example holds no secret, not even an empty one (an empty variable would hide the credential)", async () => {
  const text = await Deno.readTextFile(
    `${ROOT}systemd/win-automation.env.example`,
  );
  const lines = text.split("\n").filter((l) => /^[A-Z_]+=/.test(l));
  // Not vacuous: the example does set variables.
  assert.ok(
    lines.some((l) => l.startsWith("WIN_AUTOMATION_WINDOWS_SSH_HOST=")),
  );
  for (const line of lines) assert.doesNotMatch(line, /TOKEN|WS_PATH/, line);
});

/** The per-target supervisor: a template unit, one instance per target. */
const TEMPLATE = "win-automation-supervisor@.service";

Deno.test(`${TEMPLATE}: an instance verifies without a warning and scores at ${MAX_EXPOSURE.toFixed(1)} or less; without the binary it does not verify`, async () => {
  const root = await scratchRoot({
    [TEMPLATE]: await Deno.readTextFile(`${ROOT}systemd/${TEMPLATE}`),
  });
  const verify = async () => {
    const out = await new Deno.Command(analyzer(), {
      args: [
        "verify",
        `--root=${root}`,
        "/etc/systemd/system/win-automation-supervisor@win-01.service",
      ],
      stdout: "piped",
      stderr: "piped",
    }).output();
    return {
      code: out.code,
      text: new TextDecoder().decode(out.stderr) +
        new TextDecoder().decode(out.stdout),
    };
  };
  try {
    const ok = await verify();
    assert.equal(ok.code, 0, ok.text);
    assert.equal(ok.text.trim(), "", ok.text);
    const scored = await exposure(
      root,
      "win-automation-supervisor@win-01.service",
    );
    assert.match(scored.text, /win-automation-supervisor@win-01\.service/);
    assert.ok(scored.score <= MAX_EXPOSURE, scored.text);
    assert.equal(scored.code, 0, scored.text);
    // Negative control: verify really loads the instance and its ExecStart.
    await Deno.remove(`${root}/usr/local/bin/win-automation`);
    const missing = await verify();
    assert.notEqual(missing.code, 0, missing.text);
    assert.match(missing.text, /win-automation/);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test(`${TEMPLATE}: the plain supervisor unit with --target %i and the target's own ws path credential, nothing else changed`, async () => {
  const plain = settings(
    await Deno.readTextFile(`${ROOT}systemd/win-automation-supervisor.service`),
  );
  const template = settings(
    await Deno.readTextFile(`${ROOT}systemd/${TEMPLATE}`),
  );
  assert.deepEqual(template.get("ExecStart"), [
    "/usr/local/bin/win-automation supervisor run --target %i --interval 60s",
  ]);
  assert.deepEqual(template.get("LoadCredential"), [
    "hatchet_token:/etc/win-automation/credentials/hatchet_token",
    "playwright_ws_path:/etc/win-automation/credentials/%i/playwright_ws_path",
  ]);
  assert.match(template.get("Description")![0]!, /%i/);
  const differs = ["ExecStart", "LoadCredential", "Description"];
  const keys = new Set([...plain.keys(), ...template.keys()]);
  // Not vacuous: the sandbox settings are compared one by one.
  assert.ok(keys.size > 30, `${keys.size} keys`);
  for (const key of keys) {
    if (differs.includes(key)) continue;
    assert.deepEqual(template.get(key), plain.get(key), key);
  }
});
