import { assert, assertExcludes, assertIncludes } from "@test/assert";
import type { CaptureMeta } from "../scripts/_capture_store.ts";
import { capturePlan } from "../scripts/_vm_cases.ts";

const ROOT = new URL("..", import.meta.url).pathname;
const SECRET = "tok-s3cret-value-42";

/** Runs scripts/vm-capture with a fake ssh first on PATH. */
async function capture(args: string[], env: Record<string, string> = {}) {
  const bin = await Deno.makeTempDir();
  await Deno.copyFile(`${ROOT}tests/fixtures/fake_ssh.sh`, `${bin}/ssh`);
  await Deno.chmod(`${bin}/ssh`, 0o755);
  await Deno.writeTextFile(`${bin}/echo.txt`, SECRET);
  const deno = Deno.execPath();
  const home = await Deno.makeTempDir();
  const out = await new Deno.Command(`${ROOT}scripts/vm-capture`, {
    args,
    env: {
      PATH: `${bin}:${deno.slice(0, deno.lastIndexOf("/"))}:/usr/bin:/bin`,
      // The real HOME keeps Deno's module cache; state goes to a temp dir.
      HOME: Deno.env.get("HOME") ?? home,
      ...(Deno.env.get("DENO_DIR")
        ? { DENO_DIR: Deno.env.get("DENO_DIR")! }
        : {}),
      XDG_STATE_HOME: `${home}/state`,
      WIN_AUTOMATION_WINDOWS_SSH_HOST: "192.0.2.10",
      WIN_AUTOMATION_HATCHET_TOKEN: SECRET,
      NO_COLOR: "1",
      ...env,
    },
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  return {
    code: out.code,
    stdout: dec.decode(out.stdout),
    stderr: dec.decode(out.stderr),
  };
}

async function readMeta(dir: string): Promise<CaptureMeta> {
  return JSON.parse(await Deno.readTextFile(`${dir}/meta.json`));
}

async function allFiles(dir: string): Promise<string[]> {
  const files: string[] = [];
  for await (const entry of Deno.readDir(dir)) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory) files.push(...await allFiles(path));
    else files.push(path);
  }
  return files;
}

Deno.test("vm-capture stores every planned case in the capture layout and says which one failed", async () => {
  const out = await Deno.makeTempDir();
  const r = await capture(["--out", out]);
  // The fake refuses `desktop` as an auth failure: one case fails, exit 1.
  assert.equal(r.code, 1, r.stderr);
  assertIncludes(r.stdout, "case=kind_desktop state=failed");
  assertIncludes(r.stdout, "summary=incomplete captured=");
  assertIncludes(r.stdout, "kind=playwright_install state=never_captured");
  const plan = capturePlan({ tag: "00000000" });
  for (const step of plan) {
    if (step.case === "kind_desktop") continue;
    assertIncludes(r.stdout, `case=${step.case} state=captured`);
    const dir = `${out}/${step.case}`;
    const meta = await readMeta(dir);
    assert.equal(meta.case, step.case);
    assert.equal(meta.source, "vm-capture");
    assert.equal(meta.windows.os_caption, "Fake Windows");
    assert.ok(!Number.isNaN(Date.parse(meta.captured_at ?? "")));
    if (step.kind === "raw") assert.equal(meta.nonce, null);
    else assert.match(meta.nonce ?? "", /^[0-9a-f]{32}$/);
    await Deno.stat(`${dir}/stdout.bin`);
    await Deno.stat(`${dir}/stderr.bin`);
  }
  // Nothing was written for the failed case, nor for a kind never captured,
  // nor for the state-changing cases without --mutate.
  for (
    const absent of [
      "kind_desktop",
      "kind_firewall_add",
      "scheduled_task_register",
    ]
  ) {
    await assert.rejects(
      () => Deno.stat(`${out}/${absent}`),
      Deno.errors.NotFound,
    );
  }
  assert.ok(
    !(await allFiles(out)).some((f) => f.includes("playwright_install")),
  );
  // A real cut: the tail that holds the trailer is kept beside stdout.
  const truncated = await readMeta(`${out}/exec_truncated`);
  assert.equal(truncated.truncated, true);
  await Deno.stat(`${out}/exec_truncated/stdout_tail.bin`);
  assertIncludes(
    r.stdout,
    "case=exec_process_exit state=captured kind=exec ssh_exit_code=7 exit_code=none",
  );
});

Deno.test("vm-capture never writes a secret: the fake echoed the Hatchet token into every answer", async () => {
  const out = await Deno.makeTempDir();
  await capture(["--out", out]);
  const version = await readMeta(`${out}/kind_version`);
  // Negative control: the secret did reach the capture (so redaction ran).
  assert.deepEqual(version.redacted, ["stdout.bin"]);
  assertIncludes(
    await Deno.readTextFile(`${out}/kind_version/stdout.bin`),
    "echo <redacted>",
  );
  for (const file of await allFiles(out)) {
    assertExcludes(await Deno.readTextFile(file), SECRET, file);
  }
});

Deno.test("vm-capture refuses bad arguments and bad config with one line, no stack", async () => {
  const noOut = await capture([]);
  assert.equal(noOut.code, 2);
  assert.equal(noOut.stderr.trim().split("\n").length, 1);
  assertIncludes(noOut.stderr, "usage error: --out is required");
  const out = await Deno.makeTempDir();
  const badConfig = await capture([
    "--out",
    out,
    "--config",
    `${out}/none.json`,
  ]);
  assert.equal(badConfig.code, 2);
  assert.equal(
    badConfig.stderr.trim(),
    `config error: ${out}/none.json does not exist`,
  );
  assertExcludes(badConfig.stderr, "    at ");
});
