import { assert, rejects } from "@test/assert";
import { ConfigError } from "../errors/mod.ts";
import {
  controlPathProblem,
  ensureStateDirs,
  knownHostsPath,
  sshOptions,
  type SshTarget,
} from "./options.ts";

const KEY =
  "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAINdXlMTmvLC/HblNbIJ4JTYyCRZADrDX373nOGr2Ot9o host";

const target = (stateDir: string, hostKey = ""): SshTarget => ({
  host: "win.example",
  port: 22555,
  user: "administrator",
  identityFile: "",
  connectTimeoutMs: 10_000,
  stateDir,
  hostKey,
});

/** The value of each `-o Name=value`. */
function options(args: string[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (let i = 0; i < args.length; i++) {
    if (args[i] !== "-o") continue;
    const [k, ...v] = args[i + 1]!.split("=");
    out.set(k!, [...(out.get(k!) ?? []), v.join("=")]);
  }
  return out;
}

Deno.test("knownHostsPath(): one pinned file per host and port, so targets sharing a state dir keep their own keys", () => {
  const a = knownHostsPath(target("/state", KEY));
  const b = knownHostsPath({ ...target("/state", KEY), port: 22 });
  const c = knownHostsPath({ ...target("/state", KEY), host: "fe80::1%eth0" });
  assert.notEqual(a, b);
  assert.equal(c, "/state/known_hosts.pinned.fe80__1_eth0.22555");
  // Negative control: trust on first use keeps one file (it holds many hosts).
  assert.equal(knownHostsPath(target("/state")), "/state/known_hosts");
  assert.equal(
    knownHostsPath({ ...target("/state"), port: 22 }),
    "/state/known_hosts",
  );
});

Deno.test("sshOptions() with a pinned host key: StrictHostKeyChecking=yes, its own known_hosts, no global file, no updates", () => {
  const o = options(sshOptions(target("/state", KEY)));
  assert.deepEqual(o.get("StrictHostKeyChecking"), ["yes"]);
  assert.deepEqual(o.get("UserKnownHostsFile"), [
    "/state/known_hosts.pinned.win.example.22555",
  ]);
  assert.deepEqual(o.get("GlobalKnownHostsFile"), ["/dev/null"]);
  assert.deepEqual(o.get("UpdateHostKeys"), ["no"]);
  // negative control: without a key, trust on first use into known_hosts
  const tofu = options(sshOptions(target("/state")));
  assert.deepEqual(tofu.get("StrictHostKeyChecking"), ["accept-new"]);
  assert.deepEqual(tofu.get("UserKnownHostsFile"), ["/state/known_hosts"]);
  assert.equal(tofu.get("GlobalKnownHostsFile"), undefined);
});

Deno.test("ensureStateDirs() writes exactly the pinned key for [host]:port, mode 0600", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const t = target(`${dir}/state`, KEY);
    await ensureStateDirs(t);
    const text = await Deno.readTextFile(knownHostsPath(t));
    assert.equal(
      text,
      "[win.example]:22555 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAINdXlMTmvLC/HblNbIJ4JTYyCRZADrDX373nOGr2Ot9o\n",
    );
    assert.equal((await Deno.stat(knownHostsPath(t))).mode! & 0o777, 0o600);
    assert.equal((await Deno.stat(`${dir}/state`)).mode! & 0o7777, 0o700);
    assert.equal((await Deno.stat(`${dir}/state/cm`)).mode! & 0o7777, 0o700);
    const names = [];
    for await (const e of Deno.readDir(`${dir}/state`)) names.push(e.name);
    assert.deepEqual(names.sort(), [
      "cm",
      "known_hosts.pinned.win.example.22555",
    ]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("ensureStateDirs() refuses a world-writable state dir and leaves its mode alone", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.chmod(dir, 0o1777);
    const error = await rejects(() => ensureStateDirs(target(dir)));
    assert.ok(error instanceof ConfigError);
    assert.match(
      (error as Error).message,
      /^config error: state_dir ".*" is writable by group or others \(mode 1777\)/,
    );
    assert.equal((await Deno.stat(dir)).mode! & 0o7777, 0o1777);
    // negative control: the same dir at 0700 is accepted
    await Deno.chmod(dir, 0o700);
    await ensureStateDirs(target(dir));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("ensureStateDirs() refuses a state dir another user owns", async () => {
  if (Deno.uid() !== 0) {
    // Only root can hand a directory to someone else; say so, never pass silently.
    throw new Error(
      "this test must run as root to chown (skipping is not allowed)",
    );
  }
  const dir = await Deno.makeTempDir();
  try {
    await Deno.chown(dir, 12345, 12345);
    const error = await rejects(() => ensureStateDirs(target(dir)));
    assert.match(
      (error as Error).message,
      /is owned by uid 12345, not by this user/,
    );
    assert.equal((await Deno.stat(dir)).uid, 12345);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("controlPathProblem() measures <state_dir>/cm/<40 hex> plus ssh's 17-byte suffix against 107 bytes", () => {
  const fits = "/" + "a".repeat(45); // 46 + 4 + 40 + 17 = 107
  assert.equal(controlPathProblem(fits), undefined);
  const over = "/" + "a".repeat(46);
  assert.match(
    controlPathProblem(over) ?? "",
    /108 bytes, over the unix socket limit of 107/,
  );
});
