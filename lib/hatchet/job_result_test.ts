import { assert } from "@test/assert";
import { exitMessage } from "./exit_message.ts";
import { jobResultOf, readJobResult, type ResultApi } from "./job_result.ts";
import type { JobLogLine } from "./logs.ts";

const at = "2026-01-01T00:00:00Z";
const start: JobLogLine = {
  attempt: 1,
  stream: "job",
  text: "artifact_host=lnx-7 artifact_root=/srv/a/j",
  at,
  artifact_host: "lnx-7",
  artifact_root: "/srv/a/j",
};
const lines: JobLogLine[] = [
  start,
  { attempt: 1, stream: "stdout", text: "hi", at },
  { attempt: 1, stream: "stderr", text: "warn", at },
];

Deno.test("jobResultOf(): a completed windows.exec job's exit code, duration and streams come from its output, its host from the task log", () => {
  const r = jobResultOf({ state: "completed", error: null }, [{
    state: "completed",
    exit_code: 0,
    duration_ms: 812,
    stdout: "WIN-02\n",
    stderr: "",
    stdout_truncated: false,
    stderr_truncated: true,
  }], lines);
  assert.deepEqual(r, {
    exit_code: 0,
    duration_ms: 812,
    artifact_host: "lnx-7",
    artifact_root: "/srv/a/j",
    stdout: { text: "WIN-02\n", truncated: false },
    stderr: { text: "", truncated: true },
    source: "output",
  });
});

Deno.test("jobResultOf(): an older worker's output (`truncated` only) still says stdout was cut; an output without stdout falls back to the log", () => {
  const old = jobResultOf({ state: "completed", error: null }, [{
    exit_code: 0,
    stdout: "x\n",
    stderr: "",
    truncated: true,
  }], []);
  assert.deepEqual(old.stdout, { text: "x\n", truncated: true });
  assert.equal(old.duration_ms, null);
  const aloha = jobResultOf({ state: "completed", error: null }, [{
    state: "completed",
    duration_ms: 5,
  }], lines);
  assert.equal(aloha.exit_code, null);
  assert.equal(aloha.source, "task_log");
  assert.equal(aloha.stdout.text, "hi\n");
});

Deno.test("jobResultOf(): a failed job's exit code comes from its failure text, its streams from the last attempt's task log", () => {
  const r = jobResultOf(
    { state: "failed", error: `NonRetryableError: ${exitMessage(3)}` },
    [],
    lines,
  );
  assert.deepEqual(r, {
    exit_code: 3,
    duration_ms: null,
    artifact_host: "lnx-7",
    artifact_root: "/srv/a/j",
    stdout: { text: "hi\n", truncated: false },
    stderr: { text: "warn\n", truncated: false },
    source: "task_log",
  });
  // Negative controls: another failure has no exit code; a running job has
  // none yet even if its error text looked like one.
  assert.equal(
    jobResultOf({ state: "failed", error: "ssh: connection refused" }, [], [])
      .exit_code,
    null,
  );
  assert.equal(
    jobResultOf({ state: "running", error: exitMessage(3) }, [], []).exit_code,
    null,
  );
});

Deno.test("readJobResult() asks for task outputs only for a completed job", async () => {
  const asked: string[] = [];
  const api: ResultApi = {
    outputs: (id) => {
      asked.push(`outputs ${id}`);
      return Promise.resolve([{ exit_code: 0, stdout: "ok\n", stderr: "" }]);
    },
    lines: (id) => {
      asked.push(`lines ${id}`);
      return Promise.resolve(lines);
    },
  };
  const failed = await readJobResult(api, {
    job_id: "j1",
    state: "failed",
    error: exitMessage(1),
  });
  assert.equal(failed.stdout.text, "hi\n");
  assert.deepEqual(asked, ["lines j1"]);
  const done = await readJobResult(api, {
    job_id: "j2",
    state: "completed",
    error: null,
  });
  assert.equal(done.stdout.text, "ok\n");
  assert.deepEqual(asked.slice(1).sort(), ["lines j2", "outputs j2"]);
});
