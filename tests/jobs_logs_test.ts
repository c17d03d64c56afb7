import { assert, assertIncludes } from "@test/assert";
import { parseLine } from "../lib/log/mod.ts";
import { cliCommand, runCli } from "./_cli.ts";
import { labOnly, targetEnv } from "./_target.ts";
import { startWorker } from "./_worker.ts";

const ROOT = new URL("..", import.meta.url).pathname;

/** Reads a child's stdout line by line, stamping each with its arrival time. */
function lineStamps(stream: ReadableStream<Uint8Array>) {
  const lines: { t: number; line: string }[] = [];
  const done = (async () => {
    let buf = "";
    for await (const chunk of stream.pipeThrough(new TextDecoderStream())) {
      buf += chunk;
      let i;
      while ((i = buf.indexOf("\n")) >= 0) {
        lines.push({ t: Date.now(), line: buf.slice(0, i) });
        buf = buf.slice(i + 1);
      }
    }
    if (buf) lines.push({ t: Date.now(), line: buf });
  })();
  return { lines, done };
}

async function until<T>(
  what: string,
  get: () => T | undefined,
  ms = 60_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = get();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

Deno.test(
  labOnly(
    "jobs logs --follow prints a job's first line while the job still runs (the engine says running), then the rest, redacted, and exits 0 at its end; without --follow it returns at once with what exists (negative control)",
  ),
  async () => {
    const env = await targetEnv();
    const secret = env.WIN_AUTOMATION_PLAYWRIGHT_WS_PATH!;
    assert.ok(secret, "the lab sets a ws path to redact");
    const worker = new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "--quiet", `${ROOT}tests/_lines_worker.ts`],
      env: { ...env, LINES_SLEEP_MS: "4000", NO_COLOR: "1" },
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const wout = lineStamps(worker.stdout);
    const werr = lineStamps(worker.stderr);
    try {
      const id = await until(
        "the test worker's job",
        () => wout.lines.map((l) => parseLine(l.line).job_id).find((x) => x),
      );
      const follow = cliCommand(["jobs", "logs", "--id", id, "--follow"], env)
        .spawn();
      const out = lineStamps(follow.stdout);
      const first = await until(
        "the first line",
        () => out.lines.find((l) => parseLine(l.line).line === "first"),
      );
      // While "first" is on screen, the job is still running in the engine,
      // and a plain read (no --follow) returns at once with what exists.
      const now = await runCli(["jobs", "logs", "--id", id], env);
      assert.equal(now.code, 0, now.stderr);
      const nowLines = now.stdout.trim().split("\n").map((l) => parseLine(l));
      assert.deepEqual(
        nowLines.filter((l) => l.line !== undefined).map((l) => l.line),
        ["first"],
      );
      assert.equal(nowLines.at(-1)!.state, "running");
      const [status, stderr] = await Promise.all([
        follow.status,
        new Response(follow.stderr).text(),
        out.done,
      ]);
      assert.equal(status.code, 0, stderr);
      const end = out.lines.at(-1)!;
      const last = parseLine(end.line);
      assert.equal(last.state, "completed");
      assert.equal(last.lines, "4");
      const printed = out.lines.slice(0, -1).map((l) => parseLine(l.line));
      assert.deepEqual(printed.map((l) => [l.stream, l.line]), [
        ["stdout", "first"],
        ["stdout", "second"],
        ["stderr", "ws <redacted>"],
        ["stderr", "token <redacted>"],
      ]);
      const token = env.WIN_AUTOMATION_HATCHET_TOKEN!;
      for (const s of [secret, token, btoa(token)]) {
        assert.ok(!out.lines.some((l) => l.line.includes(s)));
      }
      // The first line was printed well before the job ended (its body
      // sleeps 4 s between the two).
      const gap = end.t - first.t;
      assert.ok(gap >= 2500, `first line only ${gap} ms before the end`);
      const sent = await until(
        "the worker's own stamp",
        () =>
          werr.lines.map((l) => l.line.match(/msg="first sent" t=(\d+)/))
            .find((m) => m)?.[1],
      );
      // deno-lint-ignore no-console
      console.log(
        `first line: sent ${
          first.t - Number(sent)
        } ms before it was printed; printed ${gap} ms before the end`,
      );
    } finally {
      try {
        worker.kill("SIGTERM");
      } catch { /* gone */ }
      await worker.status;
      await Promise.all([wout.done, werr.done]);
    }
  },
);

Deno.test(
  labOnly(
    "a windows.exec job's stdout and stderr lines reach its task log; jobs logs reads them back from another process; --follow exits 1 for a failed job; an unknown job is not_found",
  ),
  async () => {
    const env = await targetEnv();
    const worker = await startWorker(env);
    try {
      const enq = await runCli([
        "jobs",
        "enqueue",
        "--type",
        "windows.exec",
        "--cmd",
        "Write-Output one; Write-Output ''; Write-Output three; Write-Error bad",
      ], env);
      assert.equal(enq.code, 0, enq.stderr);
      const id = parseLine(enq.stdout.trim()).job_id!;
      const f = await runCli(
        ["jobs", "logs", "--id", id, "--follow", "--timeout", "2m"],
        env,
      );
      assert.equal(f.code, 1, f.stderr);
      const lines = f.stdout.trim().split("\n").map((l) => parseLine(l));
      assert.deepEqual(lines.slice(0, -1).map((l) => [l.stream, l.line]), [
        ["stdout", "one"],
        ["stdout", ""],
        ["stdout", "three"],
        ["stderr", "bad"],
      ]);
      assert.equal(lines.at(-1)!.state, "failed");
      const json = await runCli(["jobs", "logs", "--id", id, "--json"], env);
      assert.equal(json.code, 0, json.stderr);
      const rows = json.stdout.trim().split("\n").map((l) => JSON.parse(l));
      assert.equal(rows[0].line, "one");
      assert.equal(rows[0].attempt, 1);
      assert.deepEqual(rows.at(-1), { job_id: id, state: "failed", lines: 4 });
      const unknown = await runCli(
        ["jobs", "logs", "--id", crypto.randomUUID()],
        env,
      );
      assert.equal(unknown.code, 1, unknown.stderr);
      assertIncludes(unknown.stdout, "state=not_found");
    } finally {
      assert.equal(await worker.stop(), 0);
    }
  },
);

Deno.test(
  labOnly(
    "a windows.exec job's lines reach jobs logs --follow while the command still runs (ping -n 4): the first is read while the engine says running",
  ),
  async () => {
    const env = await targetEnv();
    const worker = await startWorker(env);
    try {
      const enq = await runCli([
        "jobs",
        "enqueue",
        "--type",
        "windows.exec",
        "--cmd",
        "ping -n 4 127.0.0.1",
      ], env);
      assert.equal(enq.code, 0, enq.stderr);
      const id = parseLine(enq.stdout.trim()).job_id!;
      const follow = cliCommand(
        ["jobs", "logs", "--id", id, "--follow", "--timeout", "2m"],
        env,
      ).spawn();
      const out = lineStamps(follow.stdout);
      const first = await until(
        "the job's first line",
        () => out.lines.find((l) => parseLine(l.line).stream === "stdout"),
        90_000,
      );
      // While that line is on screen the job still runs: a plain read says
      // so (the control: after the end it says completed).
      const now = await runCli(["jobs", "logs", "--id", id], env);
      assert.equal(now.code, 0, now.stderr);
      const nowLast = parseLine(now.stdout.trim().split("\n").at(-1)!);
      assert.equal(nowLast.state, "running", now.stdout);
      const [status, stderr] = await Promise.all([
        follow.status,
        new Response(follow.stderr).text(),
        out.done,
      ]);
      assert.equal(status.code, 0, stderr);
      const last = parseLine(out.lines.at(-1)!.line);
      assert.equal(last.state, "completed");
      const replies = out.lines.filter((l) =>
        /Reply from 127\.0\.0\.1/.test(parseLine(l.line).line ?? "")
      );
      assert.equal(replies.length, 4, out.lines.map((l) => l.line).join("\n"));
      const after = await runCli(["jobs", "logs", "--id", id], env);
      assert.equal(
        parseLine(after.stdout.trim().split("\n").at(-1)!).state,
        "completed",
      );
      // deno-lint-ignore no-console
      console.log(
        `first line printed ${out.lines.at(-1)!.t - first.t} ms before the end`,
      );
    } finally {
      assert.equal(await worker.stop(), 0);
    }
  },
);
