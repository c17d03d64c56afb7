import { assert, assertIncludes } from "@test/assert";
import { parseLine } from "../lib/log/mod.ts";
import { DENO, runCli } from "./_cli.ts";
import { watchClients } from "./_sockets.ts";
import { CLI_PERMISSIONS } from "../scripts/permissions.ts";
import { labOnly, REAL_VM, targetEnv } from "./_target.ts";
import { labDir, writeKnobs } from "../lab/mod.ts";
import { startWorker } from "./_worker.ts";

async function lastRequest(): Promise<Record<string, unknown>> {
  const lines =
    (await Deno.readTextFile(`${labDir()}/state/aloha_requests.jsonl`)).trim()
      .split("\n");
  return JSON.parse(lines.at(-1)!);
}

/** Stops any task the lab's Aloha client still runs, so each test starts idle. */
async function idle(env: Record<string, string>): Promise<void> {
  const r = await fetch(`${env.WIN_AUTOMATION_ALOHA_CLIENT_URL}/stop`, {
    method: "POST",
  });
  await r.body?.cancel();
}

async function withKnobs<T>(
  knobs: Parameters<typeof writeKnobs>[0],
  fn: () => Promise<T>,
): Promise<T> {
  await writeKnobs(knobs);
  await idle(await targetEnv());
  try {
    return await fn();
  } finally {
    await writeKnobs({});
    await idle(await targetEnv());
  }
}

Deno.test("aloha run --wait reaches state=completed", async () => {
  if (!REAL_VM) await idle(await targetEnv());
  const r = await runCli([
    "aloha",
    "run",
    "--task",
    "open notepad",
    "--wait",
    "--timeout",
    "60s",
  ], await targetEnv());
  assert.equal(r.code, 0, r.stderr);
  assert.equal(parseLine(r.stdout.trim()).state, "completed");
});

Deno.test(
  labOnly(
    "aloha run never sends the tool's trace id as Aloha's trace_id; --demo-trace does",
  ),
  async () => {
    const env = await targetEnv();
    const r = await runCli([
      "aloha",
      "run",
      "--task",
      "t1",
      "--trace-id",
      "mytrace123",
      "--wait",
    ], env);
    assert.equal(r.code, 0, r.stderr);
    assertIncludes(r.stderr, "trace_id=mytrace123");
    const body = await lastRequest();
    assert.equal(body.task, "t1");
    assert.ok(!("trace_id" in body), JSON.stringify(body));
    const d = await runCli([
      "aloha",
      "run",
      "--task",
      "t2",
      "--demo-trace",
      "excel_demo",
      "--max-steps",
      "7",
      "--wait",
    ], env);
    assert.equal(d.code, 0, d.stderr);
    const body2 = await lastRequest();
    assert.equal(body2.trace_id, "excel_demo");
    assert.equal(body2.max_steps, 7);
  },
);

Deno.test(
  labOnly("aloha run without --wait prints state=started"),
  async () => {
    const env = await targetEnv();
    await withKnobs({ client: { task_ms: 200 } }, async () => {
      const r = await runCli(["aloha", "run", "--task", "quick"], env);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(parseLine(r.stdout.trim()).state, "started");
      // Let the short task finish so the next test finds the client idle.
      await runCli(["aloha", "run", "--task", "drain", "--wait"], env).catch(
        () => {},
      );
    });
  },
);

Deno.test(
  labOnly("aloha run on a busy client gives state=busy, exit 1"),
  async () => {
    const env = await targetEnv();
    await withKnobs({ client: { mode: "busy" } }, async () => {
      const r = await runCli(["aloha", "run", "--task", "x"], env);
      assert.equal(r.code, 1);
      assertIncludes(r.stderr, "state=busy");
    });
  },
);

Deno.test(
  labOnly("aloha run --wait past its timeout posts /stop and exits 4"),
  async () => {
    const env = await targetEnv();
    await withKnobs({ client: { task_ms: 120_000 } }, async () => {
      const r = await runCli([
        "aloha",
        "run",
        "--task",
        "long",
        "--wait",
        "--timeout",
        "2s",
      ], env);
      assert.equal(r.code, 4, r.stderr);
      assertIncludes(r.stderr, "stop was sent and the task ended");
      // The stop really ended the task: a new one starts at once.
      const again = await runCli(["aloha", "run", "--task", "after"], env);
      assert.equal(again.code, 0, again.stderr);
    });
  },
);

Deno.test(
  labOnly(
    "aloha health exits 3 when the server answers 500, and 0 when healthy",
  ),
  async () => {
    const env = await targetEnv();
    const ok = await runCli(["aloha", "health"], env);
    assert.equal(ok.code, 0, ok.stderr);
    assertIncludes(ok.stdout, "state=ok component=aloha");
    await withKnobs({ server: { mode: "error500" } }, async () => {
      const r = await runCli(["aloha", "health"], env);
      assert.equal(r.code, 3, r.stderr);
    });
  },
);

Deno.test(
  labOnly("aloha run on a malformed answer fails with exit 1 naming the cause"),
  async () => {
    const env = await targetEnv();
    await withKnobs({ client: { mode: "malformed" } }, async () => {
      const r = await runCli(["aloha", "run", "--task", "x"], env);
      assert.equal(r.code, 1);
      assertIncludes(r.stderr, "not a JSON object");
    });
  },
);

/** What the lab has seen so far: ssh sessions, PowerShell runs, Aloha requests, artifact roots. */
async function labCounts(env: Record<string, string>) {
  const lines = async (path: string) => {
    try {
      return (await Deno.readTextFile(path)).split("\n").filter((l) => l)
        .length;
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return 0;
      throw error;
    }
  };
  const roots: string[] = [];
  try {
    for await (const e of Deno.readDir(env.WIN_AUTOMATION_ARTIFACT_OUT!)) {
      roots.push(e.name);
    }
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  return {
    sessions: await lines(`${labDir()}/sessions.jsonl`),
    powershell: await lines(`${labDir()}/journal.jsonl`),
    aloha: await lines(`${labDir()}/state/aloha_requests.jsonl`),
    roots: roots.length,
  };
}

Deno.test(
  labOnly(
    "aloha run --wait without aloha.client_log_path exits 2 before anything is sent (no ssh session, no PowerShell, no Aloha request) and before an artifact root is made; with it set it completes (negative control)",
  ),
  async () => {
    const env = await targetEnv();
    await idle(env);
    const before = await labCounts(env);
    const r = await runCli(["aloha", "run", "--task", "x", "--wait"], {
      ...env,
      WIN_AUTOMATION_ALOHA_CLIENT_LOG_PATH: "",
    });
    assert.equal(r.code, 2, r.stderr);
    assertIncludes(
      r.stderr,
      "config error: aloha.client_log_path must be set for --wait",
    );
    assert.equal(r.stdout, "");
    assert.deepEqual(await labCounts(env), before);
    // Negative control: the same command with the setting reaches Windows
    // and Aloha, makes its root and completes, so the counters do move.
    const ok = await runCli(["aloha", "run", "--task", "x", "--wait"], env);
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal(parseLine(ok.stdout.trim()).state, "completed");
    const after = await labCounts(env);
    assert.ok(after.sessions > before.sessions, "an ssh session");
    assert.ok(after.powershell > before.powershell, "a PowerShell run");
    assert.equal(after.aloha, before.aloha + 1, "one Aloha request");
    assert.equal(after.roots, before.roots + 1, "one artifact root");
  },
);

Deno.test(
  labOnly(
    "aloha health and run through ssh: the Aloha server and client see only sshd as their client, the CLI holds no socket to their ports; direct mode is the negative control",
  ),
  async () => {
    const env: Record<string, string> = {
      ...await targetEnv(),
      HOME: Deno.env.get("HOME") ?? "/",
    };
    const root = new URL("..", import.meta.url).pathname;
    const cli = (args: string[]): [string, string[]] => [
      DENO,
      ["run", ...CLI_PERMISSIONS, "--quiet", `${root}main.ts`, ...args],
    ];
    const serverPort = Number(
      new URL(env.WIN_AUTOMATION_ALOHA_SERVER_URL!).port,
    );
    const clientPort = Number(
      new URL(env.WIN_AUTOMATION_ALOHA_CLIENT_URL!).port,
    );
    // The server answers after 1.5 s, so the connection is there to be seen.
    await withKnobs({ server: { mode: "slow", delay_ms: 1500 } }, async () => {
      const [program, args] = cli(["aloha", "health"]);
      const atServer = (relay: number, extra: Record<string, string> = {}) => ({
        ...env,
        WIN_AUTOMATION_ALOHA_SERVER_URL: `http://127.0.0.1:${relay}`,
        ...extra,
      });
      const tunnelled = await watchClients(program, args, {
        env: (relay) => atServer(relay),
        port: serverPort,
      });
      assert.equal(tunnelled.code, 0, tunnelled.stderr);
      assert.ok(tunnelled.clients.length > 0, "the server had a client");
      for (const client of tunnelled.clients) {
        assert.match(client, /^sshd: /, `client of ${serverPort}: ${client}`);
      }
      assert.equal(tunnelled.programHeldPort, false);
      const direct = await watchClients(program, args, {
        env: (relay) => atServer(relay, { WIN_AUTOMATION_ALOHA_VIA: "direct" }),
        port: serverPort,
      });
      assert.equal(direct.code, 0, direct.stderr);
      assert.ok(direct.clientPids.includes(direct.pid), direct.clients.join());
    });
    await withKnobs({ client: { mode: "slow", delay_ms: 1500 } }, async () => {
      const [program, args] = cli(["aloha", "run", "--task", "open notepad"]);
      const run = await watchClients(program, args, {
        env: (relay) => ({
          ...env,
          WIN_AUTOMATION_ALOHA_CLIENT_URL: `http://127.0.0.1:${relay}`,
        }),
        port: clientPort,
      });
      assert.equal(run.code, 0, run.stderr);
      assertIncludes(run.stdout, "state=started");
      assert.ok(run.clients.length > 0);
      for (const client of run.clients) assert.match(client, /^sshd: /);
      assert.equal(run.programHeldPort, false);
      assert.equal((await lastRequest()).task, "open notepad");
    });
  },
);

Deno.test(
  labOnly(
    "an aloha.run job on a worker without aloha.client_log_path fails once, never retried, with nothing sent and no root; with the setting it completes (negative control)",
  ),
  async () => {
    const env = await targetEnv();
    await idle(env);
    const enqueue = async () => {
      const r = await runCli(
        ["jobs", "enqueue", "--type", "aloha.run", "--task", "open notepad"],
        env,
      );
      assert.equal(r.code, 0, r.stderr);
      return parseLine(r.stdout.trim()).job_id!;
    };
    const watch = (id: string) =>
      runCli(["jobs", "status", "--id", id, "--watch", "--timeout", "2m"], env);
    const refusing = await startWorker({
      ...env,
      WIN_AUTOMATION_ALOHA_CLIENT_LOG_PATH: "",
      WIN_AUTOMATION_HATCHET_RETRY_MAX: "2",
    });
    let id: string;
    let before: Awaited<ReturnType<typeof labCounts>>;
    try {
      await refusing.waitFor(/msg="aloha.run jobs will be refused/);
      before = await labCounts(env);
      id = await enqueue();
      const w = await watch(id);
      assert.equal(w.code, 1, w.stderr);
      const line = parseLine(w.stdout.trim());
      assert.equal(line.state, "failed");
      assertIncludes(
        line.error ?? "",
        "config error: aloha.client_log_path must be set",
      );
      await refusing.waitFor(new RegExp(`msg="job failed".*job_id=${id}`));
    } finally {
      assert.equal(await refusing.stop(), 0);
    }
    // Once: one attempt, not retried although retry_max is 2.
    const attempts = refusing.stderr().split("\n").filter((l) =>
      l.includes(`job_id=${id}`) && l.includes('msg="job failed"')
    );
    assert.equal(attempts.length, 1, refusing.stderr().slice(-2000));
    assert.ok(
      !refusing.stderr().split("\n").some((l) =>
        l.includes('msg="job running"') && l.includes(id)
      ),
      "the refused job never ran",
    );
    const after = await labCounts(env);
    assert.equal(after.aloha, before.aloha, "no Aloha request");
    assert.equal(after.powershell, before.powershell, "no PowerShell run");
    assert.equal(after.roots, before.roots, "no artifact root");
    await assert.rejects(() =>
      Deno.stat(`${env.WIN_AUTOMATION_ARTIFACT_OUT}/${id}`)
    );
    // Negative control: the same job on a worker with the setting completes.
    const working = await startWorker(env);
    try {
      const ok = await enqueue();
      const w = await watch(ok);
      assert.equal(w.code, 0, w.stderr + working.stderr().slice(-2000));
      assert.equal(parseLine(w.stdout.trim()).state, "completed");
      assert.ok(!working.stderr().includes("aloha.run jobs will be refused"));
      const done = await labCounts(env);
      assert.equal(done.aloha, after.aloha + 1);
      assert.equal(done.roots, after.roots + 1);
    } finally {
      assert.equal(await working.stop(), 0);
    }
  },
);
