import { assert, assertIncludes } from "@test/assert";
import { parseLine } from "../lib/log/mod.ts";
import { runCli } from "./_cli.ts";
import { labOnly, targetEnv, withLabState } from "./_target.ts";
import { labDir } from "../lab/mod.ts";

Deno.test("windows exec --raw -- 'echo ok' prints exactly ok and exits 0", async () => {
  const r = await runCli(
    ["windows", "exec", "--raw", "--", "echo ok"],
    await targetEnv(),
  );
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, "ok\n");
  assert.equal(r.stderr, "");
});

Deno.test("windows exec -- 'exit 3' exits 1 with exit_code=3 in the log", async () => {
  const r = await runCli(
    ["windows", "exec", "--", "exit 3"],
    await targetEnv(),
  );
  assert.equal(r.code, 1);
  const log = r.stderr.trim().split("\n").map(parseLine);
  assert.ok(
    log.some((l) =>
      l.exit_code === "3" && l.level === "error" && l.op === "windows.exec"
    ),
    r.stderr,
  );
  assert.equal(parseLine(r.stdout.trim()).exit_code, "3");
});

Deno.test("windows exec delivers quotes, $ and unicode untouched", async () => {
  const r = await runCli(
    [
      "windows",
      "exec",
      "--raw",
      "--",
      `Write-Output 'it''s "quoted" $x héllo ✓'`,
    ],
    await targetEnv(),
  );
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.trim(), `it's "quoted" $x héllo ✓`);
});

Deno.test("windows exec default output is one key=value line with stdout=", async () => {
  const r = await runCli(
    ["windows", "exec", "--", "echo ok"],
    await targetEnv(),
  );
  assert.equal(r.code, 0);
  const out = parseLine(r.stdout.trim());
  assert.equal(out.stdout, "ok");
  assert.equal(out.state, "completed");
  for (const line of r.stderr.trim().split("\n")) {
    const l = parseLine(line);
    for (const key of ["ts", "level", "component", "op", "msg", "trace_id"]) {
      assert.ok(key in l, line);
    }
  }
});

Deno.test(
  labOnly("windows exec --timeout stops the remote command too and exits 4"),
  async () => {
    const env = await targetEnv();
    const r = await runCli([
      "windows",
      "exec",
      "--timeout",
      "2s",
      "--",
      "Start-Sleep -Seconds 60",
    ], env);
    assert.equal(r.code, 4, r.stderr);
    assertIncludes(r.stderr, "state=timeout");
    assertIncludes(r.stderr, "stopped remote command");
    const runDir = `${labDir()}/fs/C:/ProgramData/win-automation/run`;
    const runs = [...Deno.readDirSync(runDir)].filter((e) => e.isDirectory);
    assert.ok(runs.length > 0, "runs keep a folder on Windows");
    const left = runs.filter((e) => {
      try {
        Deno.statSync(`${runDir}/${e.name}/pid`);
        return true;
      } catch {
        return false;
      }
    });
    assert.deepEqual(left, [], "no remote run is left behind");
  },
);

Deno.test("windows exec --idempotent skips when the check exits 0 and runs otherwise", async () => {
  const env = await targetEnv();
  const skip = await runCli(
    [
      "windows",
      "exec",
      "--idempotent",
      "--idempotent-check",
      "exit 0",
      "--",
      "echo ran",
    ],
    env,
  );
  assert.equal(skip.code, 0, skip.stderr);
  assert.equal(parseLine(skip.stdout.trim()).state, "skipped");
  const run = await runCli(
    [
      "windows",
      "exec",
      "--idempotent",
      "--idempotent-check",
      "exit 1",
      "--",
      "echo ran",
    ],
    env,
  );
  assert.equal(run.code, 0, run.stderr);
  assert.equal(parseLine(run.stdout.trim()).stdout, "ran");
});

Deno.test(
  labOnly(
    "windows exec --idempotent on a locked desktop fails fast with state=blocked",
  ),
  async () => {
    const env = await targetEnv();
    await withLabState("desktop.json", () => ({ locked: true }), async () => {
      const r = await runCli(
        [
          "windows",
          "exec",
          "--idempotent",
          "--idempotent-check",
          "exit 1",
          "--",
          "echo ran",
        ],
        env,
      );
      assert.equal(r.code, 1);
      assertIncludes(r.stderr, "state=blocked");
      assert.ok(!r.stdout.includes("ran"));
    });
  },
);

Deno.test(
  labOnly("windows exec against a closed port exits 3 after retrying"),
  async () => {
    const env = {
      ...(await targetEnv()),
      WIN_AUTOMATION_WINDOWS_SSH_PORT: "1",
      WIN_AUTOMATION_TIMEOUT: "2s",
    };
    const r = await runCli(["windows", "exec", "--", "echo ok"], env);
    assert.equal(r.code, 3, r.stderr);
    assert.equal(
      r.stderr.split("\n").filter((l) =>
        l.includes("retrying after connection failure")
      ).length,
      3,
    );
  },
);
