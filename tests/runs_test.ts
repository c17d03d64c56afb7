/**
 * Runs that belong to Windows, against the lab's real sshd: a dropped
 * connection re-attaches and never runs the command again; an unreachable
 * host leaves the outcome unknown (exit 3, naming the run id); detach and
 * attach; output that streams while the run goes on.
 * @module
 */
import { assert, assertIncludes } from "@test/assert";
import { parseLine } from "../lib/log/mod.ts";
import { cliCommand, runCli } from "./_cli.ts";
import { labOnly, targetEnv } from "./_target.ts";
import { startWorker } from "./_worker.ts";
import { labDir, labRestart, listProcesses, readSessions } from "../lab/mod.ts";

const runRoot = () => `${labDir()}/fs/C:/ProgramData/win-automation/run`;
const exists = (path: string) => {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
};

/** The run folder of the newest run started after `t0` whose command holds `needle`. */
function runDirOf(t0: number, needle: string): string | null {
  let best: { dir: string; at: number } | null = null;
  for (const entry of Deno.readDirSync(runRoot())) {
    const dir = `${runRoot()}/${entry.name}`;
    try {
      const at = Date.parse(Deno.readTextFileSync(`${dir}/started`).trim());
      const command = Deno.readTextFileSync(`${dir}/command.ps1`);
      if (
        at >= t0 - 1000 && command.includes(needle) && (!best || at > best.at)
      ) {
        best = { dir, at };
      }
    } catch { /* not a started run */ }
  }
  return best?.dir ?? null;
}

async function until<T>(
  what: string,
  probe: () => T | null | undefined | false,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The lab's sshd listener pid. */
function sshdPid(): number {
  return Number(Deno.readTextFileSync(`${labDir()}/sshd.pid`).trim());
}

/** Pids whose parent is `pid`. */
function children(pid: number): number[] {
  const out: number[] = [];
  for (const entry of Deno.readDirSync("/proc")) {
    if (!/^\d+$/.test(entry.name)) continue;
    try {
      const stat = Deno.readTextFileSync(`/proc/${entry.name}/stat`);
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (ppid === pid) out.push(Number(entry.name));
    } catch { /* gone */ }
  }
  return out;
}

/**
 * Drops every ssh connection: SIGKILL to each per-connection sshd (the
 * listener's children). Returns how many there were.
 */
function killSshdSessions(): number {
  const pids = children(sshdPid());
  for (const pid of pids) {
    try {
      Deno.kill(pid, "SIGKILL");
    } catch { /* gone */ }
  }
  return pids.length;
}

/** Whether a file's text is exactly one line `x`: the command ran once. */
function ranOnce(text: string | null): boolean {
  return text !== null &&
    text.split("\r\n").filter((l) => l !== "").length === 1 &&
    /^x\r\n$/.test(text);
}

const ONCE_WIN = "C:\\x\\once.txt";
const onceFile = () => `${labDir()}/fs/C:/x/once.txt`;
const ONCE_CMD =
  `Start-Sleep -Seconds 4; Add-Content -Path ${ONCE_WIN} -Value x`;

function readOnce(): string | null {
  try {
    return Deno.readTextFileSync(onceFile());
  } catch {
    return null;
  }
}

Deno.test("ranOnce() holds for one line only: a command run twice or never fails it (control)", () => {
  assert.ok(ranOnce("x\r\n"));
  assert.ok(!ranOnce("x\r\nx\r\n"), "a second run (the old retry) is caught");
  assert.ok(!ranOnce(null), "no run is caught");
  assert.ok(!ranOnce(""));
});

Deno.test(
  labOnly(
    "killing the sshd session while windows exec runs: the command runs exactly once and the CLI exits 0 with its result",
  ),
  async () => {
    const env = await targetEnv();
    await Deno.mkdir(`${labDir()}/fs/C:/x`, { recursive: true });
    await Deno.remove(onceFile()).catch(() => {});
    const t0 = Date.now();
    const child = cliCommand(["windows", "exec", "--", ONCE_CMD], env).spawn();
    const output = child.output();
    // Once the runner runs (its pid file), drop every connection.
    const dir = await until("the run to start", () => {
      const d = runDirOf(t0, "once.txt");
      return d && exists(`${d}/pid`) ? d : null;
    });
    const runnerPid = Number(Deno.readTextFileSync(`${dir}/pid`).split(" ")[0]);
    const dropped = killSshdSessions();
    assert.ok(dropped > 0, "there was a connection to drop");
    assert.ok(!exists(`${dir}/finished`), "the drop came while the run ran");
    const out = await output;
    const stdout = new TextDecoder().decode(out.stdout);
    const stderr = new TextDecoder().decode(out.stderr);
    assert.equal(out.code, 0, stderr);
    const line = parseLine(stdout.trim());
    assert.equal(line.state, "completed");
    assert.equal(line.exit_code, "0");
    assert.equal(line.run_id, dir.split("/").pop());
    assert.ok(Number(line.reattached) >= 1, stdout);
    assertIncludes(stderr, "re-attaching to the run");
    assert.ok(!/exit_code=255|command failed/.test(stdout + stderr));
    assert.ok(ranOnce(readOnce()), JSON.stringify(readOnce()));
    // The runner was in no session's job: no session's end killed it.
    const killed = (await readSessions()).filter((e) =>
      Date.parse(e.ts) >= t0 && "event" in e && e.event === "end"
    ).flatMap((e) => (e as { killed?: number[] }).killed ?? []);
    assert.ok(!killed.includes(runnerPid));
    const record = (await listProcesses(labDir())).find((p) =>
      p.pid === runnerPid
    );
    assert.ok(!record || (record.creator === "wmi" && !record.job));
  },
);

Deno.test(
  labOnly(
    "killing the sshd session while a windows.exec job runs: the worker re-attaches, the job completes, the command ran once",
  ),
  async () => {
    const env = await targetEnv();
    await Deno.mkdir(`${labDir()}/fs/C:/x`, { recursive: true });
    await Deno.remove(onceFile()).catch(() => {});
    const worker = await startWorker(env);
    try {
      const t0 = Date.now();
      const enq = await runCli([
        "jobs",
        "enqueue",
        "--type",
        "windows.exec",
        "--cmd",
        ONCE_CMD,
      ], env);
      assert.equal(enq.code, 0, enq.stderr);
      const jobId = parseLine(enq.stdout.trim()).job_id!;
      const dir = await until("the job's run to start", () => {
        const d = `${runRoot()}/${jobId}`;
        return exists(`${d}/pid`) ? d : null;
      }, 60_000);
      assert.ok(
        Date.parse(Deno.readTextFileSync(`${dir}/started`)) >= t0 - 1000,
      );
      assert.ok(killSshdSessions() > 0);
      assert.ok(!exists(`${dir}/finished`), "the drop came while the run ran");
      const status = await runCli(
        ["jobs", "status", "--id", jobId, "--watch", "--timeout", "2m"],
        env,
      );
      assert.equal(status.code, 0, status.stdout + status.stderr);
      assert.equal(parseLine(status.stdout.trim()).state, "completed");
      assert.ok(ranOnce(readOnce()), JSON.stringify(readOnce()));
      assertIncludes(worker.stderr(), "re-attaching to the run");
    } finally {
      await worker.stop("SIGTERM");
    }
  },
);

Deno.test(
  labOnly(
    "a host that stays unreachable past the retries: exit 3, the outcome is unknown, and the run id it names attaches later",
  ),
  async () => {
    const env = await targetEnv();
    const token = crypto.randomUUID().slice(0, 8);
    const t0 = Date.now();
    const child = cliCommand([
      "windows",
      "exec",
      "--",
      `Start-Sleep -Seconds 8; Write-Output ${token}`,
    ], env).spawn();
    const output = child.output();
    const dir = await until("the run to start", () => {
      const d = runDirOf(t0, token);
      return d && exists(`${d}/pid`) ? d : null;
    });
    const runId = dir.split("/").pop()!;
    // sshd goes away: the listener, then every connection it served.
    const connections = children(sshdPid());
    try {
      Deno.kill(sshdPid(), "SIGTERM");
    } catch { /* gone */ }
    for (const pid of connections) {
      try {
        Deno.kill(pid, "SIGKILL");
      } catch { /* gone */ }
    }
    assert.ok(connections.length > 0, "there was a connection to drop");
    try {
      const out = await output;
      const stderr = new TextDecoder().decode(out.stderr);
      const stdout = new TextDecoder().decode(out.stdout);
      assert.equal(out.code, 3, stderr);
      assert.equal(stdout, "");
      const error = stderr.trim().split("\n").map(parseLine).find((l) =>
        l.level === "error"
      );
      assert.ok(error, stderr);
      assertIncludes(error.msg!, "outcome is unknown");
      assertIncludes(error.msg!, `--run ${runId}`);
      assert.equal(error.run_id, runId);
      assert.ok(!/exit_code=255|command failed|exited non-zero/.test(stderr));
      assert.ok(!exists(`${dir}/finished`), "the run was still going");
    } finally {
      await labRestart("sshd");
    }
    // The run went on without any connection; attach reads its result.
    const attach = await runCli(
      ["windows", "attach", "--run", runId, "--raw"],
      env,
    );
    assert.equal(attach.code, 0, attach.stderr);
    assert.equal(attach.stdout, `${token}\n`);
  },
);

Deno.test(
  labOnly(
    "windows exec --detach returns while the run goes on; windows attach --run prints its output and exit code; runs list shows it",
  ),
  async () => {
    const env = await targetEnv();
    const token = crypto.randomUUID().slice(0, 8);
    const detach = await runCli([
      "windows",
      "exec",
      "--detach",
      "--",
      `Start-Sleep -Seconds 2; Write-Output ${token}; Write-Warning careful; exit 5`,
    ], env);
    assert.equal(detach.code, 0, detach.stderr);
    const match = /^run_id=([0-9a-f-]{36}) state=running\n$/.exec(
      detach.stdout,
    );
    assert.ok(match, detach.stdout);
    const runId = match[1]!;
    assert.ok(
      !exists(`${runRoot()}/${runId}/finished`),
      "detach returned before the run ended",
    );
    const attach = await runCli(["windows", "attach", "--run", runId], env);
    assert.equal(attach.code, 1, attach.stderr);
    const line = parseLine(attach.stdout.trim());
    assert.equal(line.state, "failed");
    assert.equal(line.exit_code, "5");
    assert.equal(line.run_id, runId);
    assert.equal(line.stdout, token);
    assert.equal(line.stderr, "WARNING: careful");
    // A second attach reads the same result; nothing ran again.
    const raw = await runCli(
      ["windows", "attach", "--run", runId, "--raw"],
      env,
    );
    assert.equal(raw.code, 1);
    assert.equal(raw.stdout, `${token}\n`);
    assert.equal(
      Deno.readTextFileSync(`${runRoot()}/${runId}/stdout.txt`),
      `${token}\r\n`,
    );
    const list = await runCli(["windows", "runs", "list"], env);
    assert.equal(list.code, 0, list.stderr);
    const mine = list.stdout.trim().split("\n").map(parseLine).find((l) =>
      l.run_id === runId
    );
    assert.deepEqual(
      mine && [mine.state, mine.exit_code],
      ["finished", "5"],
      list.stdout,
    );
    // Control: a run that never existed is not_found, exit 1.
    const none = await runCli(
      ["windows", "attach", "--run", crypto.randomUUID()],
      env,
    );
    assert.equal(none.code, 1);
    assertIncludes(none.stderr, "state=not_found");
  },
);

/**
 * Runs `windows exec` with `flags` on `ping -n 4 127.0.0.1` and returns, at
 * the moment the first stdout line arrives, whether the run folder already
 * said `finished`; then the whole output.
 */
async function firstLineWhileRunning(flags: string[]) {
  const env = await targetEnv();
  const t0 = Date.now();
  const child = cliCommand(
    ["windows", "exec", ...flags, "--", "ping -n 4 127.0.0.1"],
    env,
  ).spawn();
  const reader = child.stdout.getReader();
  const dec = new TextDecoder();
  let text = "";
  let finishedAtFirstLine: boolean | null = null;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    text += dec.decode(value, { stream: true });
    if (finishedAtFirstLine === null && text.includes("\n")) {
      const dir = runDirOf(t0, "ping -n 4");
      assert.ok(dir, "the run has a folder");
      finishedAtFirstLine = exists(`${dir}/finished`);
    }
  }
  const status = await child.status;
  const stderr = new TextDecoder().decode(
    new Uint8Array(await new Response(child.stderr).arrayBuffer()),
  );
  return { finishedAtFirstLine, text, code: status.code, stderr };
}

Deno.test(
  labOnly(
    "windows exec --raw --follow prints ping's first line while the run has not finished; without --follow only after",
  ),
  async () => {
    const follow = await firstLineWhileRunning(["--raw", "--follow"]);
    assert.equal(follow.code, 0, follow.stderr);
    assert.equal(follow.finishedAtFirstLine, false);
    assert.equal(
      follow.text.split("\n").filter((l) => l.startsWith("Reply from")).length,
      4,
      follow.text,
    );
    // Control: the same run without --follow prints nothing before the end.
    const buffered = await firstLineWhileRunning(["--raw"]);
    assert.equal(buffered.code, 0, buffered.stderr);
    assert.equal(buffered.finishedAtFirstLine, true);
    assert.equal(buffered.text, follow.text);
  },
);

Deno.test(
  labOnly(
    "windows exec --follow streams stream=/line= payload lines, then the result line",
  ),
  async () => {
    const env = await targetEnv();
    const r = await runCli([
      "windows",
      "exec",
      "--follow",
      "--",
      "Write-Output one; Write-Warning two; Write-Output three",
    ], env);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trim().split("\n").map(parseLine);
    // Each stream in its order (lines of the two streams that arrive in the
    // same poll are not interleaved as written: docs/CONTEXT.md, "Runs").
    const streamed = lines.slice(0, 3);
    assert.deepEqual(
      streamed.filter((l) => l.stream === "stdout").map((l) => l.line),
      ["one", "three"],
    );
    assert.deepEqual(
      streamed.filter((l) => l.stream === "stderr").map((l) => l.line),
      ["WARNING: two"],
    );
    assert.equal(lines[3]!.state, "completed");
    assert.equal(lines[3]!.stdout, undefined);
    // The artifacts still hold the whole output.
    const stdout = Deno.readTextFileSync(
      `${lines[3]!.artifact_root}/ssh/stdout.txt`,
    );
    assert.equal(stdout, "one\nthree\n");
  },
);

Deno.test(
  labOnly(
    "windows runs gc deletes run folders past the retention, never a running run, and --dry-run deletes nothing",
  ),
  async () => {
    const env = await targetEnv();
    const old = await runCli(["windows", "exec", "--", "echo old"], env);
    assert.equal(old.code, 0, old.stderr);
    const oldId = parseLine(old.stdout.trim()).run_id!;
    const detach = await runCli(
      ["windows", "exec", "--detach", "--", "Start-Sleep -Seconds 20"],
      env,
    );
    const runningId = /run_id=(\S+)/.exec(detach.stdout)![1]!;
    // Both look 30 days old; only the finished one may go.
    const past = new Date(Date.now() - 30 * 86_400_000);
    Deno.utimeSync(`${runRoot()}/${oldId}/finished`, past, past);
    Deno.utimeSync(`${runRoot()}/${runningId}/started`, past, past);
    const dry = await runCli(
      ["windows", "runs", "gc", "--days", "7", "--dry-run"],
      env,
    );
    assert.equal(dry.code, 0, dry.stderr);
    const dryLines = dry.stdout.trim().split("\n").map(parseLine);
    assert.ok(
      dryLines.some((l) => l.run_id === oldId && l.action === "would_delete"),
      dry.stdout,
    );
    assert.ok(exists(`${runRoot()}/${oldId}`), "dry run deleted nothing");
    const gc = await runCli(["windows", "runs", "gc", "--days", "7"], env);
    assert.equal(gc.code, 0, gc.stderr);
    const lines = gc.stdout.trim().split("\n").map(parseLine);
    assert.ok(lines.some((l) => l.run_id === oldId && l.action === "deleted"));
    assert.ok(!lines.some((l) => l.run_id === runningId), gc.stdout);
    assert.ok(!exists(`${runRoot()}/${oldId}`));
    assert.ok(
      exists(`${runRoot()}/${runningId}/started`),
      "a running run is kept",
    );
    // Control: the running one is deletable once it ended and aged.
    const end = await runCli(["windows", "attach", "--run", runningId], env);
    assert.equal(end.code, 0, end.stderr);
    Deno.utimeSync(`${runRoot()}/${runningId}/finished`, past, past);
    const again = await runCli(["windows", "runs", "gc", "--days", "7"], env);
    assert.ok(
      again.stdout.includes(`run_id=${runningId}`),
      again.stdout,
    );
  },
);
