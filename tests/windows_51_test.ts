/**
 * Issue "Windows as it really is": the CLI against the lab's 5.1-shaped
 * Windows (CLIXML on stderr, CRLF, the OEM code page for host output, `$?` and
 * script-file exit semantics, sshd's DefaultShell).
 * @module
 */
import { assert, assertExcludes, assertIncludes } from "@test/assert";
import { parseLine } from "../lib/log/mod.ts";
import { runCli } from "./_cli.ts";
import { labOnly, targetEnv, withLabState } from "./_target.ts";
import { labDir } from "../lab/mod.ts";

const XML = /<Objs|<S S=|#< CLIXML|_x000D_/;

Deno.test("windows exec -- 'Write-Error boom' exits 1 and shows boom, with no XML", async () => {
  const r = await runCli(
    ["windows", "exec", "--", "Write-Error boom"],
    await targetEnv(),
  );
  assert.equal(r.code, 1, r.stderr);
  const out = parseLine(r.stdout.trim());
  assert.equal(out.exit_code, "1");
  assertIncludes(out.stderr ?? "", "boom");
  assert.ok(!XML.test(r.stdout + r.stderr), r.stdout + r.stderr);
});

Deno.test("windows exec --raw -- 'echo héllo ✓' brings non-ASCII back intact", async () => {
  const env = await targetEnv();
  // `echo` is Write-Output, whose InputObject takes the remaining arguments:
  // two words are two objects, so PowerShell prints two lines.
  const r = await runCli(
    ["windows", "exec", "--raw", "--", "echo héllo ✓"],
    env,
  );
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, "héllo\n✓\n");
  const one = await runCli(
    ["windows", "exec", "--raw", "--", "echo 'héllo ✓'"],
    env,
  );
  assert.equal(one.code, 0, one.stderr);
  assert.equal(one.stdout, "héllo ✓\n");
});

Deno.test("windows exec keeps a warning, in order with the output, and it does not fail the run", async () => {
  const r = await runCli(
    ["windows", "exec", "--raw", "--", "Write-Warning careful; 'after'"],
    await targetEnv(),
  );
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, "after\n");
  assertIncludes(r.stderr, "WARNING: careful");
  assert.ok(!XML.test(r.stderr), r.stderr);
});

Deno.test("windows exec: a native program's stderr alone does not fail the run; its exit code does", async () => {
  const env = await targetEnv();
  const r = await runCli(
    ["windows", "exec", "--", "where.exe nope-not-here"],
    env,
  );
  assert.equal(r.code, 1, r.stderr);
  const out = parseLine(r.stdout.trim());
  assert.equal(out.exit_code, "1");
  assertIncludes(out.stderr ?? "", "Could not find files");
  const ok = await runCli(
    ["windows", "exec", "--", "where.exe nope-not-here; exit 0"],
    env,
  );
  assert.equal(ok.code, 0, ok.stderr);
});

Deno.test(
  labOnly(
    "with DefaultShell=powershell, 'exit 3' still reports exit_code=3 and doctor names the shell",
  ),
  async () => {
    const env = await targetEnv();
    await withLabState(
      "windows.json",
      (s: Record<string, unknown>) => ({
        ...s,
        default_shell: "powershell",
        profile_output: "Loading personal and system profiles took 812ms.",
      }),
      async () => {
        const r = await runCli(["windows", "exec", "--", "exit 3"], env);
        assert.equal(r.code, 1, r.stderr);
        assert.equal(parseLine(r.stdout.trim()).exit_code, "3");
        const raw = await runCli(
          ["windows", "exec", "--raw", "--", "echo ok"],
          env,
        );
        assert.equal(raw.stdout, "ok\n", "the profile's output is not ours");
        const doctor = await runCli(["doctor"], env);
        const ssh = doctor.stdout.split("\n").map(parseLine).find((l) =>
          l.check === "ssh"
        );
        assert.equal(ssh?.default_shell, "powershell", doctor.stdout);
        assertIncludes(ssh?.os ?? "", "Windows");
      },
    );
    const doctor = await runCli(["doctor"], env);
    const ssh = doctor.stdout.split("\n").map(parseLine).find((l) =>
      l.check === "ssh"
    );
    assert.equal(ssh?.default_shell, "cmd", "the control: cmd by default");
  },
);

Deno.test(
  labOnly("the lab's strict 5.1 streams really are 5.1-shaped (a control)"),
  async () => {
    // Outside the bootstrap, the lab's host writes CLIXML and CRLF: if it
    // did not, the tests above could pass against a friendly Windows.
    const env = await targetEnv();
    const { labDir } = await import("../lab/mod.ts");
    const key = `${labDir()}/client_key`;
    const ports = JSON.parse(await Deno.readTextFile(`${labDir()}/ports.json`));
    const out = await new Deno.Command("ssh", {
      args: [
        "-i",
        key,
        "-p",
        String(ports.ssh),
        "-o",
        `UserKnownHostsFile=${labDir()}/known_hosts`,
        "-o",
        "BatchMode=yes",
        "-o",
        "StrictHostKeyChecking=yes",
        `${Deno.env.get("USER") ?? "root"}@127.0.0.1`,
        "powershell -NoProfile -EncodedCommand " +
        btoa(
          String.fromCharCode(
            ...new Uint8Array(
              new Uint16Array(
                [..."Write-Error boom; 'x'"].map((c) => c.charCodeAt(0)),
              ).buffer,
            ),
          ),
        ),
      ],
      stdin: "null",
      env,
    }).output();
    const stdout = new TextDecoder().decode(out.stdout);
    const stderr = new TextDecoder().decode(out.stderr);
    assert.equal(stdout, "x\r\n");
    assertIncludes(stderr, "#< CLIXML");
    assertIncludes(stderr, '<S S="Error">');
    assertExcludes(stderr, "lab: unsupported");
  },
);

Deno.test(
  labOnly(
    "a process started with Start-Process inside the ssh session (an --idempotent-check) is gone when the session ends",
  ),
  async () => {
    const env = await targetEnv();
    const token = crypto.randomUUID().slice(0, 8);
    const t0 = new Date().toISOString();
    const r = await runCli([
      "windows",
      "exec",
      "--idempotent",
      "--idempotent-check",
      `Start-Process -FilePath powershell -ArgumentList '-Command','Start-Sleep 600; Write-Output ${token}'; Start-Sleep 1; exit 1`,
      "--",
      "echo ran",
    ], env);
    assert.equal(r.code, 0, r.stderr);
    const { isAlive, readSessions } = await import("../lab/mod.ts");
    // The session that ran the check ended by killing its job: the process
    // the check started is among the killed, and none of them lives on.
    const ends = (await readSessions()).filter((e) =>
      e.ts >= t0 && "event" in e && e.event === "end"
    ) as { killed?: number[] }[];
    const killed = ends.flatMap((e) => e.killed ?? []);
    assert.ok(killed.length > 0, "the Start-Process child was in the job");
    for (const pid of killed) assert.ok(!isAlive(pid), `pid ${pid} is gone`);
  },
);

Deno.test(
  labOnly(
    "a process started with Start-Process by a run outlives the sessions: the run is in no session's job",
  ),
  async () => {
    const env = await targetEnv();
    const t0 = new Date().toISOString();
    const r = await runCli([
      "windows",
      "exec",
      "--",
      "Start-Process -FilePath powershell -ArgumentList '-Command','Start-Sleep 600'; Start-Sleep 1",
    ], env);
    assert.equal(r.code, 0, r.stderr);
    const { isAlive, listProcesses, readSessions } = await import(
      "../lab/mod.ts"
    );
    const child = (await listProcesses(labDir())).find((p) =>
      p.started_at >= t0 && p.name === "powershell" && !p.job && !p.task &&
      !p.creator
    );
    assert.ok(child, "the run's Start-Process child is recorded");
    try {
      const killed = (await readSessions()).filter((e) =>
        e.ts >= t0 && "event" in e && e.event === "end"
      ).flatMap((e) => (e as { killed?: number[] }).killed ?? []);
      assert.ok(!killed.includes(child.pid), "no session's job killed it");
      assert.ok(isAlive(child.pid), "it still runs after every session ended");
    } finally {
      try {
        Deno.kill(-child.pid, "SIGKILL");
      } catch { /* gone */ }
    }
  },
);
