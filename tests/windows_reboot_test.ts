// deno-lint-ignore-file no-console
/**
 * `windows reboot` against the lab's restart model (real sshd stopped and
 * started again, every emulated Windows process stopped, a new boot time,
 * the AtStartup tasks started), and the lab commands the run tests count
 * side effects with (`Add-Content`, `Set-Content`, exit codes 3010 and 1641).
 * @module
 */
import { assert, assertIncludes } from "@test/assert";
import { parseLine } from "../lib/log/mod.ts";
import { runCli } from "./_cli.ts";
import { startWorker } from "./_worker.ts";
import { SshClient } from "../lib/ssh/mod.ts";
import { rebootAndWait, requestReboot } from "../lib/windows/mod.ts";
import { labOnly, targetEnv } from "./_target.ts";
import {
  ALOHA_TASKS,
  getTask,
  isAlive,
  labDir,
  labStatus,
  labUp,
  pendingRestart,
  readWindowsKnobs,
  stopPowerProgram,
  waitForRestart,
  writeWindowsKnobs,
} from "../lab/mod.ts";

async function lastBoot(env: Record<string, string>): Promise<string> {
  const r = await runCli(["doctor"], env);
  const line = r.stdout.split("\n").map(parseLine).find((l) => l.last_boot);
  assert.ok(line, `doctor printed no last_boot=: ${r.stdout}`);
  return line.last_boot!;
}

async function exec(env: Record<string, string>, command: string) {
  return await runCli(["windows", "exec", "--raw", "--", command], env);
}

async function pidOf(component: string): Promise<number | null> {
  return (await labStatus()).find((s) => s.component === component)?.pid ??
    null;
}

/**
 * Runs `fn`, then waits for the restart to finish and, since nobody is
 * logged on after it, puts the console logon back as it was and brings the
 * lab up again (the AtLogOn task, the Playwright server), for the tests that
 * follow.
 */
async function restoringLogon(fn: () => Promise<void>): Promise<void> {
  const desktop = `${labDir()}/state/desktop.json`;
  const saved = await Deno.readTextFile(desktop);
  try {
    await fn();
  } finally {
    const done = await waitForRestart(labDir(), 60_000);
    await Deno.writeTextFile(desktop, saved);
    await labUp();
    assert.ok(done, "the restart never finished");
  }
}

Deno.test(
  labOnly(
    "windows reboot --wait: a new last_boot, files kept, the next exec works, only the AtStartup task comes back",
  ),
  async () => {
    const env = await targetEnv();
    const dir = `${labDir()}/fs/C:/x`;
    await Deno.mkdir(dir, { recursive: true });
    await Deno.remove(`${dir}/before.txt`).catch(() => {});
    const wrote = await exec(
      env,
      "Set-Content -Path C:\\x\\before.txt -Value kept",
    );
    assert.equal(wrote.code, 0, wrote.stderr);
    const before = await lastBoot(env);
    const server = await getTask(labDir(), ALOHA_TASKS["aloha-server"]);
    const client = await getTask(labDir(), ALOHA_TASKS["aloha-client"]);
    assert.equal(server?.trigger, "AtStartup");
    assert.equal(client?.trigger, "AtLogOn");
    const oldServer = await pidOf("aloha-server");
    const oldClient = await pidOf("aloha-client");
    const oldSshd = await pidOf("sshd");
    const oldPlaywright = await pidOf("playwright");
    assert.ok(
      oldServer && oldClient && oldSshd && oldPlaywright,
      "the lab is not fully up",
    );
    await restoringLogon(async () => {
      const started = performance.now();
      const r = await runCli(
        ["windows", "reboot", "--wait", "--timeout", "90s"],
        env,
      );
      const took = performance.now() - started;
      assert.equal(r.code, 0, r.stderr);
      const out = parseLine(r.stdout.trim());
      assert.equal(out.state, "completed");
      assert.equal(out.reboot, "true");
      assert.equal(out.previous_boot, before);
      assert.notEqual(out.last_boot, before);
      console.error(`windows reboot --wait took ${Math.round(took)} ms`);

      const after = await lastBoot(env);
      assert.equal(after, out.last_boot, "doctor's last_boot= is the new one");
      assert.notEqual(after, before);

      const next = await exec(env, "Get-Content C:\\x\\before.txt");
      assert.equal(next.code, 0, next.stderr);
      assert.equal(next.stdout.trim(), "kept");

      // Every process of the old boot is gone, sshd included.
      for (const pid of [oldServer, oldClient, oldSshd, oldPlaywright]) {
        assert.ok(!isAlive(pid), `pid ${pid} outlived the restart`);
      }
      // The AtStartup task runs again (a new process listening on its port);
      // the AtLogOn one does not: nobody has logged on since the boot.
      let serverUp = false;
      for (let i = 0; i < 50 && !serverUp; i++) {
        const s = (await labStatus()).find((c) =>
          c.component === "aloha-server"
        );
        serverUp = s?.up === true;
        if (!serverUp) await new Promise((res) => setTimeout(res, 200));
      }
      assert.ok(serverUp, "the AtStartup Aloha server did not come back");
      assert.notEqual(await pidOf("aloha-server"), oldServer);
      assert.equal(await pidOf("aloha-client"), null);
    });
  },
);

Deno.test(
  labOnly(
    "windows reboot --wait times out (exit 4) when ssh answers but the boot time never changes",
  ),
  async () => {
    const env = await targetEnv();
    const knobs = await readWindowsKnobs(labDir());
    const oldSshd = await pidOf("sshd");
    await writeWindowsKnobs(labDir(), {
      ...knobs,
      reboot_keeps_boot_time: true,
    });
    await restoringLogon(async () => {
      const r = await runCli(
        ["windows", "reboot", "--wait", "--timeout", "15s"],
        env,
      );
      assert.equal(r.code, 4, r.stderr);
      assert.equal(r.stdout, "");
      assertIncludes(r.stderr, "no new boot time within 15s");
      assertIncludes(r.stderr, "last_boot still");
      // The restart did happen (sshd is a new process that answers): only
      // the boot time stayed, and that alone must not count as done.
      assert.ok(await waitForRestart(labDir(), 30_000));
      assert.ok(oldSshd !== null && !isAlive(oldSshd), "sshd never restarted");
      assert.equal((await exec(env, "echo up")).stdout.trim(), "up");
      await writeWindowsKnobs(labDir(), knobs);
    }).finally(() => writeWindowsKnobs(labDir(), knobs));
  },
);

Deno.test(
  labOnly(
    "windows reboot without --wait returns state=requested at once; a second request while one is pending exits 1 (1190)",
  ),
  async () => {
    const env = await targetEnv();
    const before = await lastBoot(env);
    await restoringLogon(async () => {
      const started = performance.now();
      const r = await runCli(["windows", "reboot"], env);
      assert.equal(r.code, 0, r.stderr);
      const out = parseLine(r.stdout.trim());
      assert.equal(out.state, "requested");
      assert.equal(out.previous_boot, before);
      assert.equal(out.last_boot, undefined);
      // shutdown /t 5: the answer comes back before the machine goes down.
      assert.ok(performance.now() - started < 5_000);

      const again = await runCli(["windows", "reboot"], env);
      assert.equal(again.code, 1, again.stderr);
      assertIncludes(again.stderr, "shutdown /r exited 1190");
      for (const line of again.stderr.trim().split("\n")) {
        assert.ok(parseLine(line).msg !== undefined, `not a log line: ${line}`);
      }
    });
    assert.notEqual(await lastBoot(env), before);
  },
);

Deno.test("windows exec reports exit codes 3010 and 1641 (reboot required) as they are", async () => {
  const env = await targetEnv();
  for (const code of [3010, 1641]) {
    const r = await runCli(["windows", "exec", "--", `exit ${code}`], env);
    assert.equal(r.code, 1, r.stderr);
    assert.equal(parseLine(r.stdout.trim()).exit_code, String(code));
  }
  // Negative control: exit 0 is not reported as one of them.
  const ok = await runCli(["windows", "exec", "--", "exit 0"], env);
  assert.equal(ok.code, 0, ok.stderr);
  assert.equal(parseLine(ok.stdout.trim()).exit_code, "0");
});

Deno.test(
  labOnly(
    "Add-Content counts side effects: one CRLF line per run, the file created on first use; a missing folder fails",
  ),
  async () => {
    const env = await targetEnv();
    const dir = `${labDir()}/fs/C:/x`;
    await Deno.mkdir(dir, { recursive: true });
    await Deno.remove(`${dir}/count.txt`).catch(() => {});
    for (let i = 0; i < 3; i++) {
      const r = await exec(env, "Add-Content -Path C:\\x\\count.txt -Value x");
      assert.equal(r.code, 0, r.stderr);
    }
    const bytes = await Deno.readFile(`${dir}/count.txt`);
    assert.equal(new TextDecoder().decode(bytes), "x\r\nx\r\nx\r\n");
    const set = await exec(env, "Set-Content -Path C:\\x\\count.txt -Value y");
    assert.equal(set.code, 0, set.stderr);
    assert.equal(await Deno.readTextFile(`${dir}/count.txt`), "y\r\n");

    await Deno.remove(`${labDir()}/fs/C:/nope`, { recursive: true }).catch(
      () => {},
    );
    const missing = await runCli([
      "windows",
      "exec",
      "--",
      "Add-Content -Path C:\\nope\\count.txt -Value x",
    ], env);
    assert.equal(missing.code, 1, missing.stderr);
    assertIncludes(
      parseLine(missing.stdout.trim()).stderr ?? "",
      "Could not find a part of the path 'C:\\nope\\count.txt'.",
    );
    assert.ok(
      !await Deno.stat(`${labDir()}/fs/C:/nope`).then(() => true, () => false),
    );
  },
);

async function restarts(): Promise<number> {
  const text = await Deno.readTextFile(`${labDir()}/power.log`).catch(() => "");
  return text.split("\n").filter((l) => l.includes('"step":"down"')).length;
}

Deno.test(
  labOnly(
    "a windows.reboot job through Hatchet-lite completes with a new boot time, restarting Windows exactly once",
  ),
  async () => {
    const env = await targetEnv();
    const before = await lastBoot(env);
    const restartsBefore = await restarts();
    const worker = await startWorker(env);
    try {
      await restoringLogon(async () => {
        const q = await runCli(
          ["jobs", "enqueue", "--type", "windows.reboot", "--timeout", "90s"],
          env,
        );
        assert.equal(q.code, 0, q.stderr);
        const id = q.stdout.match(/job_id=([0-9a-f-]{36})/)?.[1];
        assert.ok(id, q.stdout);
        const w = await runCli(
          ["jobs", "status", "--id", id, "--watch", "--timeout", "2m"],
          env,
        );
        assert.equal(w.code, 0, w.stdout + w.stderr);
        assert.equal(
          parseLine(w.stdout.trim().split("\n").at(-1)!).state,
          "completed",
        );
      });
    } finally {
      assert.equal(
        await worker.stop("SIGTERM"),
        0,
        worker.stderr().slice(-2000),
      );
    }
    assert.notEqual(await lastBoot(env), before);
    assert.equal(await restarts(), restartsBefore + 1);
    // Negative control of the count: a reboot job that is refused before it
    // is queued (a bad --timeout) restarts nothing.
    const bad = await runCli(
      ["jobs", "enqueue", "--type", "windows.reboot", "--cmd", "x"],
      env,
    );
    assert.equal(bad.code, 2, bad.stderr);
    assertIncludes(bad.stderr, "--cmd does not apply to --type windows.reboot");
    assert.equal(await restarts(), restartsBefore + 1);
  },
);

Deno.test(
  labOnly(
    "a request id restarts Windows once: a repeated request (a retry) restarts nothing, and after the boot it reads as completed",
  ),
  async () => {
    const env = await targetEnv();
    const ssh = new SshClient({
      host: env.WIN_AUTOMATION_WINDOWS_SSH_HOST!,
      port: Number(env.WIN_AUTOMATION_WINDOWS_SSH_PORT),
      user: env.WIN_AUTOMATION_WINDOWS_SSH_USER!,
      identityFile: env.WIN_AUTOMATION_WINDOWS_SSH_IDENTITY_FILE ?? "",
      connectTimeoutMs: 10_000,
      stateDir: env.WIN_AUTOMATION_STATE_DIR!,
    });
    const requestId = `test-${crypto.randomUUID()}`;
    const count = await restarts();
    await restoringLogon(async () => {
      const first = await requestReboot(ssh, { requestId, timeoutMs: 10_000 });
      assert.equal(first.state, "requested");
      const again = await requestReboot(ssh, { requestId, timeoutMs: 10_000 });
      assert.equal(again.state, "already_requested");
      assert.equal(again.requested_boot, first.requested_boot);
      const done = await rebootAndWait(ssh, { requestId, timeoutMs: 60_000 });
      assert.equal(done.state, "completed");
      assert.equal(done.alreadyRequested, true);
      assert.equal(done.previousBoot, first.requested_boot);
      assert.notEqual(done.lastBoot, first.requested_boot);
      // After the boot, the same request is done, not asked again.
      const after = await rebootAndWait(ssh, { requestId, timeoutMs: 10_000 });
      assert.equal(after.state, "completed");
      assert.equal(after.lastBoot, done.lastBoot);
    });
    assert.equal(await restarts(), count + 1, "Windows restarted once");
    // Negative control: a new request id does restart again.
    await restoringLogon(async () => {
      const other = await rebootAndWait(ssh, {
        requestId: `test-${crypto.randomUUID()}`,
        timeoutMs: 60_000,
      });
      assert.equal(other.alreadyRequested, false);
    });
    assert.equal(await restarts(), count + 2);
  },
);

Deno.test(
  labOnly(
    "shutdown /r in a user command schedules a restart and prints nothing; a second one exits 1190",
  ),
  async () => {
    const env = await targetEnv();
    try {
      const first = await exec(env, "shutdown /r /t 600 /c 'lab test'");
      assert.equal(first.code, 0, first.stderr);
      assert.equal(first.stdout, "");
      const { pending } = await pendingRestart(labDir());
      assert.equal(pending?.comment, "lab test");
      const left = Date.parse(pending!.at) - Date.now();
      assert.ok(left > 590_000 && left <= 600_000, `${left} ms left`);

      const second = await runCli(
        ["windows", "exec", "--", "shutdown /r /t 600"],
        env,
      );
      assert.equal(second.code, 1, second.stderr);
      const out = parseLine(second.stdout.trim());
      assert.equal(out.exit_code, "1190");
      assertIncludes(
        out.stderr ?? "",
        "A system shutdown has already been scheduled.(1190)",
      );
    } finally {
      await stopPowerProgram(labDir());
    }
    // Negative control: with nothing pending, the same command is accepted.
    try {
      assert.equal((await exec(env, "shutdown /r /t 600")).code, 0);
    } finally {
      await stopPowerProgram(labDir());
    }
    assert.equal((await pendingRestart(labDir())).pending, null);
  },
);

Deno.test(
  labOnly(
    "windows reboot --wait times out (exit 4) naming the refused connection when sshd does not start at boot",
  ),
  async () => {
    const env = await targetEnv();
    const knobs = await readWindowsKnobs(labDir());
    await writeWindowsKnobs(labDir(), { ...knobs, sshd_start_type: "Manual" });
    await restoringLogon(async () => {
      const r = await runCli(
        ["windows", "reboot", "--wait", "--timeout", "15s"],
        env,
      );
      assert.equal(r.code, 4, r.stderr);
      const last = parseLine(r.stderr.trim().split("\n").at(-1)!);
      assert.equal(last.level, "error");
      assertIncludes(last.msg ?? "", "no new boot time within 15s");
      assertIncludes(last.msg ?? "", "Connection refused");
      assert.ok(await waitForRestart(labDir(), 30_000));
      assert.equal(await pidOf("sshd"), null, "sshd came back by itself");
    }).finally(() => writeWindowsKnobs(labDir(), knobs));
    // Negative control: labUp (the restore above) starts it again.
    assert.equal((await exec(env, "echo up")).stdout.trim(), "up");
  },
);

Deno.test(
  labOnly(
    "windows exec --reboot-if-required: exit 3010 restarts Windows once and reports state=completed reboot=true (exit 0); without the flag the same exit is a failure and nothing restarts",
  ),
  async () => {
    const env = await targetEnv();
    // Negative control first: no flag, no restart.
    const before = await lastBoot(env);
    const plain = await runCli(["windows", "exec", "--", "exit 3010"], env);
    assert.equal(plain.code, 1, plain.stderr);
    assert.equal(parseLine(plain.stdout.trim()).state, "failed");
    assert.equal((await pendingRestart(labDir())).pending, null);
    assert.equal(await lastBoot(env), before);
    await restoringLogon(async () => {
      const r = await runCli(
        ["windows", "exec", "--reboot-if-required", "--", "exit 3010"],
        env,
      );
      assert.equal(r.code, 0, r.stderr);
      const out = parseLine(r.stdout.trim());
      assert.equal(out.state, "completed");
      assert.equal(out.reboot, "true");
      assert.equal(out.exit_code, "3010");
      assert.equal(out.previous_boot, before);
      assert.ok(out.last_boot && out.last_boot !== before, r.stdout);
    });
    assert.notEqual(await lastBoot(env), before);
    assert.equal((await exec(env, "echo after")).stdout.trim(), "after");
  },
);

Deno.test(
  labOnly(
    "windows exec --reboot-if-required: exit 1641 (the command started the restart) waits for it without asking again",
  ),
  async () => {
    const env = await targetEnv();
    const before = await lastBoot(env);
    await restoringLogon(async () => {
      const r = await runCli([
        "windows",
        "exec",
        "--reboot-if-required",
        "--",
        "shutdown.exe /r /t 3; exit 1641",
      ], env);
      // A second request would have met 1190 and failed the run.
      assert.equal(r.code, 0, r.stderr);
      const out = parseLine(r.stdout.trim());
      assert.equal(out.state, "completed");
      assert.equal(out.reboot, "true");
      assert.equal(out.exit_code, "1641");
      assert.ok(out.last_boot && out.last_boot !== before, r.stdout);
    });
  },
);
