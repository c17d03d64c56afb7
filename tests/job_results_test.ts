/**
 * Results from anywhere (issue 15, item 5) on the three-host lab: a real
 * `win-automation worker --target win-02` runs `windows.exec` jobs through
 * the lab's Hatchet; a reader CLI with its own HOME, state dir and artifact
 * dir (nothing of the worker's disk) reads each job's exit code, host,
 * stdout and stderr back with `jobs status`. The engine's own record (task
 * output and task log, over its API) is decoded to prove the secrets were
 * redacted before they were stored.
 * @module
 */
import { assert } from "@test/assert";
import { hostDir, labUp } from "../lab/mod.ts";
import { loadConfig } from "../lib/config/mod.ts";
import { connectHatchet, TERMINAL_STATES } from "../lib/hatchet/mod.ts";
import { Logger, parseLine } from "../lib/log/mod.ts";
import { hasStackTrace, runCli } from "./_cli.ts";
import { labOnly } from "./_target.ts";
import { startWorker } from "./_worker.ts";

const MIB = 1024 * 1024;

function jobIdOf(stdout: string): string {
  const id = stdout.match(/job_id=([^ \n]+)/)?.[1];
  if (!id) throw new Error(`no job_id in ${JSON.stringify(stdout)}`);
  return id;
}

Deno.test(
  labOnly(
    "lab --hosts 3: jobs status reads a windows.exec job's exit code, artifact host and output from Hatchet, on a host without the worker's disk, completed or failed, cut at 1 MiB, secrets redacted in what the engine stored",
  ),
  async (t) => {
    const lab = await labUp({ hosts: 3 });
    const tmp = await Deno.makeTempDir({ prefix: "wa-results-test-" });
    const workerOut = `${tmp}/worker-artifacts`;
    const worker = await startWorker(
      {
        ...lab,
        WIN_AUTOMATION_ARTIFACT_OUT: workerOut,
        WIN_AUTOMATION_HATCHET_RETRY_MAX: "0",
      },
      ["--target", "win-02"],
    );
    // The reader: another HOME, state dir and artifact dir; only the config
    // (targets, Hatchet address) and the token are shared.
    // (A short state dir: ssh's control socket paths must fit.)
    const readerState = await Deno.makeTempDir({ prefix: "wa-rs-" });
    const reader = {
      ...lab,
      HOME: `${tmp}/reader-home`,
      // Deno's own module cache (not the worker's data) stays where it is.
      DENO_DIR: Deno.env.get("DENO_DIR") ??
        `${Deno.env.get("HOME")}/.cache/deno`,
      WIN_AUTOMATION_STATE_DIR: readerState,
      WIN_AUTOMATION_ARTIFACT_OUT: `${tmp}/reader-artifacts`,
    };
    await Deno.mkdir(reader.HOME, { recursive: true });
    const cli = (args: string[]) => runCli(args, reader);
    const enqueue = async (cmd: string) => {
      const r = await cli([
        "jobs",
        "enqueue",
        "--target",
        "win-02",
        "--type",
        "windows.exec",
        "--cmd",
        cmd,
      ]);
      assert.equal(r.code, 0, r.stderr);
      return jobIdOf(r.stdout);
    };
    const watch = async (id: string) => {
      const r = await cli([
        "jobs",
        "status",
        "--id",
        id,
        "--watch",
        "--timeout",
        "2m",
      ]);
      assert.ok(!hasStackTrace(r.stderr), r.stderr);
      return { ...r, line: parseLine(r.stdout.trim()) };
    };
    const status = (id: string, ...flags: string[]) =>
      cli(["jobs", "status", "--id", id, ...flags]);
    // Files on win-02's emulated disk, read by the job with Get-Content, so
    // the command text (the job's input) holds no secret and no bulk.
    const winDir = `${hostDir("win-02")}/fs/C:/wa-results-test`;
    await Deno.mkdir(winDir, { recursive: true });
    const token = lab.WIN_AUTOMATION_HATCHET_TOKEN!;
    assert.ok(token.length > 20, "the lab has a Hatchet token");
    const wsPath = lab.WIN_AUTOMATION_PLAYWRIGHT_WS_PATH!;
    assert.ok(wsPath.length > 20, "the lab has a Playwright ws path");
    try {
      await t.step(
        "hostname on win-02: state=completed exit_code=0 artifact_host=, --output prints WIN-02",
        async () => {
          const id = await enqueue("hostname");
          const w = await watch(id);
          assert.equal(w.code, 0, w.stderr);
          assert.equal(w.line.state, "completed");
          const s = await status(id);
          assert.equal(s.code, 0, s.stderr);
          const line = parseLine(s.stdout.trim());
          assert.equal(line.exit_code, "0");
          assert.equal(line.artifact_host, Deno.hostname());
          assert.equal(line.artifact_root, `${workerOut}/${id}`);
          assert.match(String(line.duration_ms), /^\d+$/);
          // The reader's own artifact dir has nothing of the job.
          assert.ok(
            !(await Deno.stat(`${reader.WIN_AUTOMATION_ARTIFACT_OUT}/${id}`)
              .then(() => true, () => false)),
          );
          const out = await status(id, "--output");
          assert.equal(out.code, 0, out.stderr);
          // The lab's computer name, as Windows prints it (hostname upper-cased).
          assert.equal(out.stdout, "WIN-02\n");
          const err = await status(id, "--stderr");
          assert.equal(err.code, 0, err.stderr);
          assert.equal(err.stdout, "");
          const json = JSON.parse((await status(id, "--json")).stdout);
          assert.equal(json.exit_code, 0);
          assert.equal(json.artifact_host, Deno.hostname());
          assert.equal(json.state, "completed");
          // The manifest on the worker's host names it too.
          const manifest = JSON.parse(
            await Deno.readTextFile(`${workerOut}/${id}/manifest.json`),
          );
          assert.equal(manifest.host, Deno.hostname());
          // Nothing is read from the worker's disk: with its root gone the
          // reader still gets the same result.
          await Deno.remove(`${workerOut}/${id}`, { recursive: true });
          const again = await status(id, "--output");
          assert.equal(again.stdout, "WIN-02\n", again.stderr);
          assert.equal(
            parseLine((await status(id)).stdout.trim()).artifact_host,
            Deno.hostname(),
          );
        },
      );

      await t.step(
        '"Write-Output hi; exit 3": state=failed exit_code=3, --output prints hi from the task log',
        async () => {
          const id = await enqueue("Write-Output hi; exit 3");
          const w = await watch(id);
          assert.equal(w.code, 1, "watch exits 1 for a failed job");
          assert.equal(w.line.state, "failed");
          const s = await status(id);
          assert.equal(s.code, 0, s.stderr);
          const line = parseLine(s.stdout.trim());
          assert.equal(line.state, "failed");
          assert.equal(line.exit_code, "3");
          assert.equal(line.artifact_host, Deno.hostname());
          assert.equal(line.artifact_root, `${workerOut}/${id}`);
          const out = await status(id, "--output");
          assert.equal(out.code, 0, out.stderr);
          assert.equal(out.stdout, "hi\n");
          await Deno.remove(`${workerOut}/${id}`, { recursive: true });
          assert.equal((await status(id, "--output")).stdout, "hi\n");
          // --output composes with --watch: the output once the job ended, and
          // --watch's exit code for a job that did not complete.
          const watched = await status(id, "--watch", "--output");
          assert.equal(watched.stdout, "hi\n");
          assert.equal(watched.code, 1);
        },
      );

      await t.step(
        "a secret in the output is redacted in the engine's record (task output and task log) and in --output",
        async () => {
          await Deno.writeTextFile(
            `${winDir}/secret.txt`,
            `before ${token} after\r\nws ${wsPath}\r\n`,
          );
          for (const exit of [0, 4]) {
            const cmd = `Get-Content C:\\wa-results-test\\secret.txt${
              exit ? `; exit ${exit}` : ""
            }`;
            const id = await enqueue(cmd);
            await watch(id);
            const out = await status(id, "--output");
            assert.equal(
              out.stdout,
              "before <redacted> after\nws <redacted>\n",
              out.stderr,
            );
            // What the engine stored, decoded from its API: the task output
            // (gRPC run details) and every task log entry (REST).
            const config = await loadConfig({ env: reader });
            const hatchet = await connectHatchet(
              config,
              new Logger({ silent: true }),
              "test",
            );
            const detail = await hatchet.runs.getDetails(id);
            const stored: unknown[] = [detail.taskRuns];
            for (const task of Object.values(detail.taskRuns)) {
              const logs = await hatchet.api.v1LogLineList(task.externalId, {
                limit: 1000,
              });
              stored.push(logs.data.rows);
            }
            const text = JSON.stringify(stored);
            // Negative control: the secret's line did reach the engine.
            assert.ok(text.includes("before <redacted> after"), text);
            assert.ok(text.includes("ws <redacted>"), text);
            for (
              const form of [
                token,
                btoa(token),
                token.slice(0, 12),
                wsPath,
                wsPath.slice(0, 12),
              ]
            ) {
              assert.ok(!text.includes(form), `the engine stored ${form}`);
            }
            assert.equal(
              TERMINAL_STATES.has(
                (await status(id, "--json").then((r) => JSON.parse(r.stdout)))
                  .state,
              ),
              true,
            );
          }
        },
      );

      await t.step(
        "a 1 MiB+ stdout is cut at 1 MiB with stdout_truncated, completed (task output) and failed (task log)",
        async () => {
          // 1100 lines of 1000 bytes (with CRLF on disk): 1.05 MiB on stdout.
          const row = "x".repeat(999);
          await Deno.writeTextFile(
            `${winDir}/big.txt`,
            Array.from({ length: 1100 }, () => row).join("\r\n") + "\r\n",
          );
          for (const exit of [0, 5]) {
            const cmd = `Get-Content C:\\wa-results-test\\big.txt${
              exit ? `; exit ${exit}` : ""
            }`;
            const id = await enqueue(cmd);
            const w = await watch(id);
            assert.equal(w.line.state, exit ? "failed" : "completed", w.stderr);
            const out = await status(id, "--output");
            assert.equal(out.code, 0, out.stderr);
            assert.equal(new TextEncoder().encode(out.stdout).length, MIB);
            assert.ok(out.stdout.startsWith(`${row}\n${row}\n`));
            assert.match(out.stderr, /stdout_truncated=true/);
            // Negative control: the same job's stderr is whole, not flagged.
            const err = await status(id, "--stderr");
            assert.equal(err.stdout, "");
            assert.doesNotMatch(err.stderr, /truncated/);
            if (exit) {
              assert.equal(
                parseLine((await status(id)).stdout.trim()).exit_code,
                "5",
              );
            }
          }
        },
      );

      await t.step(
        "--output on a job still running prints nothing and exits 1; once it ended, its output",
        async () => {
          const id = await enqueue("ping -n 4 127.0.0.1");
          const deadline = Date.now() + 60_000;
          for (;;) {
            const s = await status(id);
            if (parseLine(s.stdout.trim()).state === "running") break;
            if (Date.now() > deadline) {
              throw new Error(`never running: ${s.stdout}`);
            }
            await new Promise((r) => setTimeout(r, 200));
          }
          const early = await status(id, "--output");
          assert.equal(early.code, 1, early.stderr);
          assert.equal(early.stdout, "");
          assert.match(early.stderr, /has not ended \(state=running\)/);
          assert.ok(!hasStackTrace(early.stderr), early.stderr);
          // Control: the same read once the job ended prints its lines.
          const late = await status(id, "--watch", "--output");
          assert.equal(late.code, 0, late.stderr);
          assert.match(late.stdout, /Reply from 127\.0\.0\.1/);
        },
      );

      await t.step(
        "--output on a job that never ran, and with --json, are refused",
        async () => {
          const bad = await status(crypto.randomUUID(), "--output");
          assert.equal(bad.code, 1);
          assert.equal(bad.stdout, "");
          const both = await status(crypto.randomUUID(), "--output", "--json");
          assert.equal(both.code, 2);
          assert.match(both.stderr, /--output and --stderr print raw text/);
        },
      );
    } finally {
      const code = await worker.stop("SIGTERM");
      assert.equal(code, 0, worker.stderr().slice(-2000));
      assert.ok(
        !hasStackTrace(worker.stderr()),
        "no stack trace in the worker's log",
      );
      await Deno.remove(tmp, { recursive: true });
      await Deno.remove(readerState, { recursive: true });
      await Deno.remove(winDir, { recursive: true }).catch(() => {});
    }
  },
);
