import { assert } from "@test/assert";
import { parseLine } from "../log/mod.ts";
import { JobMetrics, METRIC_NAMES } from "./metrics.ts";

Deno.test("JobMetrics counts each job once per terminal state, whatever the repeats", () => {
  const m = new JobMetrics();
  assert.equal(m.terminal("run-1", "completed"), true);
  assert.equal(m.terminal("run-1", "completed"), false);
  m.terminal("run-2", "failed");
  m.terminal("run-3", "cancelled");
  assert.equal(m.value("jobs_completed_total"), 1);
  assert.equal(m.value("jobs_failed_total"), 1);
  assert.equal(m.value("jobs_cancelled_total"), 1);
});

Deno.test("JobMetrics.lines() prints metric=<name> value=<n> ts=<rfc3339> for every metric", () => {
  const m = new JobMetrics();
  m.increment("jobs_enqueued_total", 3);
  const lines = m.lines(new Date("2026-01-02T03:04:05Z")).map(parseLine);
  assert.deepEqual(lines.map((l) => l.metric), [...METRIC_NAMES]);
  assert.deepEqual(lines[0], {
    metric: "jobs_enqueued_total",
    value: "3",
    ts: "2026-01-02T03:04:05.000Z",
  });
});

Deno.test("JobMetrics.lines() carry target= when the worker's targets are given, and not otherwise", () => {
  const at = new Date("2026-01-02T03:04:05Z");
  const m = new JobMetrics({ target: "win-01,win-02" });
  for (const line of m.lines(at).map(parseLine)) {
    assert.equal(line.target, "win-01,win-02");
  }
  // Negative control: without targets, no field at all.
  assert.equal(parseLine(new JobMetrics().lines(at)[0]!).target, undefined);
});

Deno.test("JobMetrics remembers a bounded number of job ids", () => {
  const m = new JobMetrics({ rememberJobs: 2 });
  m.terminal("a", "completed");
  m.terminal("b", "completed");
  m.terminal("c", "completed");
  // "a" was forgotten, so a repeat counts again: the bound trades exactness
  // for constant memory, only for repeats older than `rememberJobs` jobs.
  assert.equal(m.terminal("a", "completed"), true);
  assert.equal(m.terminal("c", "completed"), false);
});
