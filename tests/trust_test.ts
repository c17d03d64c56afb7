/**
 * Trust on disk and at the edges, through the real CLI as shipped (its
 * permission set, a subprocess): config files that are not regular files,
 * env values that are not UTF-8, ssh run by absolute path, gc next to a FIFO.
 * None of these needs the lab.
 * @module
 */
import { assert, assertIncludes } from "@test/assert";
import { CLI_PERMISSIONS } from "../scripts/permissions.ts";
import { cliCommand, DENO, hasStackTrace } from "./_cli.ts";

const dec = new TextDecoder();

/**
 * Runs the CLI; a guard kills it after 60 s so a hang fails the test (the
 * exit code is then not 2) instead of blocking the suite. The guard is not
 * an assertion on time.
 */
async function runGuarded(args: string[], env: Record<string, string> = {}) {
  const guard = new AbortController();
  const timer = setTimeout(() => guard.abort(), 60_000);
  const cmd = cliCommand(args, env);
  const child = cmd.spawn();
  guard.signal.addEventListener("abort", () => child.kill("SIGKILL"));
  try {
    const out = await child.output();
    return {
      code: out.code,
      stdout: dec.decode(out.stdout),
      stderr: dec.decode(out.stderr),
      killed: guard.signal.aborted,
    };
  } finally {
    clearTimeout(timer);
  }
}

async function mkfifo(path: string): Promise<void> {
  const out = await new Deno.Command("mkfifo", { args: [path] }).output();
  if (!out.success) throw new Error(`Cannot make FIFO "${path}"`);
}

Deno.test("--config naming a FIFO exits 2 at once with one line, never blocking on it", async () => {
  const dir = await Deno.makeTempDir({ prefix: "w" });
  try {
    const fifo = `${dir}/config.json`;
    await mkfifo(fifo);
    const r = await runGuarded(["--config", fifo, "config", "show"]);
    assert.equal(r.killed, false, "the CLI hung on the FIFO");
    assert.equal(r.code, 2, r.stderr);
    assert.equal(
      r.stderr.trim(),
      `config error: ${fifo} is a FIFO, not a regular file`,
    );
    // negative control: a regular file at the same place loads
    await Deno.remove(fifo);
    await Deno.writeTextFile(fifo, "{}");
    const ok = await runGuarded(["--config", fifo, "config", "show"]);
    assert.equal(ok.code, 0, ok.stderr);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("--config /dev/zero exits 2 (a character device), and a config over 1 MiB is refused", async () => {
  const r = await runGuarded(["--config", "/dev/zero", "config", "show"]);
  assert.equal(r.killed, false);
  assert.equal(r.code, 2, r.stderr);
  assert.equal(
    r.stderr.trim(),
    "config error: /dev/zero is a character device, not a regular file",
  );
  const dir = await Deno.makeTempDir({ prefix: "w" });
  try {
    const big = `${dir}/big.json`;
    await Deno.writeTextFile(
      big,
      `{"timeout":"10s"}${" ".repeat(1024 * 1024)}`,
    );
    const r2 = await runGuarded(["--config", big, "config", "show"]);
    assert.equal(r2.code, 2, r2.stderr);
    assertIncludes(
      r2.stderr,
      `config error: ${big} is larger than 1048576 bytes`,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("an env value with an invalid UTF-8 byte is named, exit 2, and never printed", async () => {
  // Deno.Command takes env values as strings (always UTF-8), so a shell puts
  // the raw byte (a Latin-1 NBSP, 0xA0) into the real environment.
  const secret = "tok-SECRET-value";
  const script =
    `export WIN_AUTOMATION_HATCHET_TOKEN="$(printf 'tok-SECRET\\240value')"; exec "$0" "$@"`;
  const out = await new Deno.Command("bash", {
    args: [
      "-c",
      script,
      DENO,
      "run",
      ...CLI_PERMISSIONS,
      "--quiet",
      new URL("../main.ts", import.meta.url).pathname,
      "config",
      "show",
    ],
    clearEnv: true,
    env: {
      PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
      HOME: Deno.env.get("HOME") ?? "/root",
      ...(Deno.env.get("DENO_DIR")
        ? { DENO_DIR: Deno.env.get("DENO_DIR")! }
        : {}),
      NO_COLOR: "1",
    },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stdout = dec.decode(out.stdout);
  const stderr = dec.decode(out.stderr);
  assert.equal(out.code, 2, stderr);
  assert.equal(
    stderr.trim(),
    "config error: WIN_AUTOMATION_HATCHET_TOKEN is not valid UTF-8 (the value is not shown)",
  );
  for (const part of ["SECRET", "tok-", secret]) {
    assert.ok(!(stdout + stderr).includes(part), `leaked "${part}"`);
  }
  assert.ok(!hasStackTrace(stderr));
});

Deno.test("ssh runs by absolute path under the shipped --allow-run: an unreachable host is exit 3, not a permission error", async () => {
  assert.ok(CLI_PERMISSIONS.some((p) => p.includes("/usr/bin/ssh")));
  assert.ok(!CLI_PERMISSIONS.some((p) => /--allow-run=(ssh|scp)(,|$)/.test(p)));
  const dir = await Deno.makeTempDir({ prefix: "w" });
  try {
    // A port nothing listens on: ssh itself must run and fail to connect.
    const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    const port = (listener.addr as Deno.NetAddr).port;
    listener.close();
    const r = await runGuarded(["windows", "exec", "--", "echo"], {
      WIN_AUTOMATION_WINDOWS_SSH_HOST: "127.0.0.1",
      WIN_AUTOMATION_WINDOWS_SSH_PORT: String(port),
      WIN_AUTOMATION_STATE_DIR: `${dir}/s`,
      WIN_AUTOMATION_ARTIFACT_OUT: `${dir}/a`,
    });
    assert.equal(r.code, 3, r.stderr);
    assertIncludes(r.stderr, "Cannot connect to 127.0.0.1:");
    assert.ok(!/NotCapable|Requires run access/.test(r.stderr), r.stderr);
    // the state dir the CLI created is private
    assert.equal((await Deno.stat(`${dir}/s`)).mode! & 0o7777, 0o700);
    assert.equal((await Deno.stat(`${dir}/s/cm`)).mode! & 0o7777, 0o700);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("artifacts gc does not hang on a FIFO named .running and deletes the old job", async () => {
  const dir = await Deno.makeTempDir({ prefix: "w" });
  try {
    const job = "0e5e0a3c-1f7e-4a58-9d2b-5b1f0c6e8a11";
    const root = `${dir}/out/${job}`;
    await Deno.mkdir(root, { recursive: true });
    await mkfifo(`${root}/.running`);
    const old = (Date.now() - 30 * 86_400_000) / 1000;
    await Deno.utime(root, old, old);
    const r = await runGuarded(["artifacts", "gc", "--days", "7"], {
      WIN_AUTOMATION_ARTIFACT_OUT: `${dir}/out`,
    });
    assert.equal(r.killed, false, "gc hung on the FIFO");
    assert.equal(r.code, 0, r.stderr);
    assertIncludes(r.stdout, `action=deleted job_id=${job}`);
    assert.equal(await Deno.lstat(root).then(() => true, () => false), false);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a world-writable state dir owned by another user: exit 2 with one line, and it is left as it was", async () => {
  if (Deno.uid() !== 0) {
    // Only root can hand a directory to another user; never pass silently.
    throw new Error("this test must run as root to chown");
  }
  const dir = await Deno.makeTempDir({ prefix: "wa-state-" });
  const out = await Deno.makeTempDir({ prefix: "wa-out-" });
  try {
    await Deno.chown(dir, 12345, 12345);
    await Deno.chmod(dir, 0o1777);
    const before = await Deno.stat(dir);
    const env = {
      WIN_AUTOMATION_STATE_DIR: dir,
      WIN_AUTOMATION_WINDOWS_SSH_HOST: "127.0.0.1",
      WIN_AUTOMATION_WINDOWS_SSH_PORT: "1",
      WIN_AUTOMATION_TIMEOUT: "2s",
      WIN_AUTOMATION_ARTIFACT_OUT: out,
    };
    const r = await runGuarded(["windows", "exec", "--", "echo ok"], env);
    assert.equal(r.code, 2, r.stderr);
    assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
    assertIncludes(r.stderr, dir);
    assert.ok(!hasStackTrace(r.stderr));
    const after = await Deno.stat(dir);
    assert.equal(after.uid, 12345, "owner untouched");
    assert.equal(after.mode! & 0o7777, before.mode! & 0o7777, "mode untouched");
    assert.equal(after.mode! & 0o7777, 0o1777);
    const entries = [...Deno.readDirSync(dir)];
    assert.deepEqual(entries, [], "nothing written into it");
    // Negative control: the same path, ours and private, is accepted and the
    // command goes on to ssh (a closed loopback port: exit 3, not 2).
    await Deno.chown(dir, Deno.uid(), Deno.gid());
    await Deno.chmod(dir, 0o700);
    const ok = await runGuarded(["windows", "exec", "--", "echo ok"], env);
    assert.equal(ok.code, 3, ok.stderr);
  } finally {
    await Deno.remove(dir, { recursive: true });
    await Deno.remove(out, { recursive: true });
  }
});
