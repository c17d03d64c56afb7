import { assert } from "@test/assert";
import {
  followJobLog,
  JobLogReader,
  LOG_PAGE,
  type LogApi,
  type RawLogLine,
} from "./logs.ts";

/** An engine-like store: `since` exclusive, oldest first, `limit` rows. */
function fakeApi(tasks: Record<string, RawLogLine[]> | null) {
  const calls: { task: string; since?: string }[] = [];
  const api: LogApi = {
    taskIds: () => Promise.resolve(tasks ? Object.keys(tasks) : null),
    page: (task, since, limit) => {
      calls.push({ task, since });
      const rows = [...tasks![task]!]
        .filter((r) => !since || Date.parse(r.createdAt) > Date.parse(since))
        .sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt));
      return Promise.resolve(rows.slice(0, limit));
    },
  };
  return { api, calls };
}

const at = (ms: number) => new Date(Date.UTC(2026, 0, 1) + ms).toISOString();
const entry = (
  ms: number,
  message: string,
  meta: Record<string, unknown>,
  attempt = 1,
): RawLogLine => ({ createdAt: at(ms), message, metadata: meta, attempt });

Deno.test("JobLogReader gives each line once, in the order written, joining cut lines and restoring empty ones", async () => {
  const rows: RawLogLine[] = [
    // Two entries in the same millisecond, stored out of order.
    entry(10, "second", { seq: 1, stream: "stdout" }),
    entry(10, "first", { seq: 0, stream: "stdout" }),
    entry(11, " ", { seq: 2, stream: "stdout", empty: true }),
    entry(12, "aaa", { seq: 3, stream: "stderr", cont: true }),
  ];
  const { api } = fakeApi({ t1: rows });
  const reader = new JobLogReader(api, "job");
  const first = await reader.read();
  assert.deepEqual(first!.map((l) => [l.stream, l.text]), [
    ["stdout", "first"],
    ["stdout", "second"],
    ["stdout", ""],
  ]);
  // The rest of the cut line arrives, and a line in the same millisecond
  // as the last one read (since is exclusive: it must not be lost).
  rows.push(entry(12, "bbb", { seq: 4, stream: "stderr" }));
  rows.push(entry(13, "after", { seq: 5, stream: "stdout" }));
  const second = await reader.read();
  assert.deepEqual(second!.map((l) => l.text), ["aaabbb", "after"]);
  assert.deepEqual(await reader.read(), []);
});

Deno.test("JobLogReader pages through more entries than one request gives, and keeps attempts apart", async () => {
  const n = LOG_PAGE + 250;
  const rows = Array.from(
    { length: n },
    (_, i) => entry(i, `l${i}`, { seq: i, stream: "stdout" }),
  );
  rows.push(entry(n + 5, "retry", { seq: 0, stream: "stdout" }, 2));
  const { api, calls } = fakeApi({ t1: rows });
  const lines = (await new JobLogReader(api, "job").read())!;
  assert.equal(lines.length, n + 1);
  assert.equal(lines[0]!.text, "l0");
  assert.equal(lines[n - 1]!.text, `l${n - 1}`);
  assert.deepEqual([lines[n]!.attempt, lines[n]!.text], [2, "retry"]);
  assert.ok(calls.length >= 2, "paged");
});

Deno.test("JobLogReader says null for a job the engine does not know", async () => {
  const { api } = fakeApi(null);
  assert.equal(await new JobLogReader(api, "job").read(), null);
});

Deno.test("followJobLog() hands lines over as they arrive, reads once more at the terminal state, and times out with exit 4", async () => {
  const rows: RawLogLine[] = [];
  const { api } = fakeApi({ t1: rows });
  let clock = 0;
  let state: "running" | "completed" = "running";
  const batches: string[][] = [];
  const status = (id: string) =>
    Promise.resolve({
      job_id: id,
      state,
      trace_id: "",
      started_at: null,
      ended_at: null,
      error: null,
    });
  // The "worker": a line, then another, then the end with a last line sent
  // just before the state turns terminal.
  const script = [
    () => rows.push(entry(1, "one", { seq: 0, stream: "stdout" })),
    () => rows.push(entry(2, "two", { seq: 1, stream: "stdout" })),
    () => {
      rows.push(entry(3, "three", { seq: 2, stream: "stdout" }));
      state = "completed";
    },
  ];
  script[0]!();
  let step = 1;
  const end = await followJobLog({
    jobId: "j",
    reader: new JobLogReader(api, "j"),
    status,
    onLines: (l) => batches.push(l.map((x) => x.text)),
    timeoutMs: 60_000,
    sleep: (ms) => {
      clock += ms;
      script[step++]?.();
      return Promise.resolve();
    },
    now: () => clock,
  });
  assert.equal(end.state, "completed");
  // Each line came in the read after it was written, not all at the end.
  assert.deepEqual(batches.filter((b) => b.length), [["one"], ["two"], [
    "three",
  ]]);
  // Negative control: a job that never ends times out.
  state = "running";
  await assert.rejects(
    () =>
      followJobLog({
        jobId: "j",
        reader: new JobLogReader(api, "j"),
        status,
        onLines: () => {},
        timeoutMs: 3_000,
        sleep: (ms) => {
          clock += ms;
          return Promise.resolve();
        },
        now: () => clock,
      }),
    (e: Error) => e.name === "TimeoutError" && /still running/.test(e.message),
  );
});

Deno.test("JobLogReader passes on the worker's start entry (artifact host and root) and its dropped-lines count; other metadata is not taken for them", async () => {
  const { api } = fakeApi({
    t1: [
      entry(1, "artifact_host=h artifact_root=/r", {
        seq: 0,
        stream: "job",
        artifact_host: "h",
        artifact_root: "/r",
      }),
      entry(2, "x", { seq: 1, stream: "stdout", artifact_host: 7 }),
      entry(3, "[3 more lines]", { seq: 2, stream: "stderr", dropped: 3 }),
    ],
  });
  const lines = await new JobLogReader(api, "job", { withStart: true }).read();
  assert.equal(lines![0]!.artifact_host, "h");
  assert.equal(lines![0]!.artifact_root, "/r");
  assert.equal(lines![1]!.artifact_host, undefined, "not a string");
  assert.equal(lines![1]!.dropped, undefined);
  assert.equal(lines![2]!.dropped, 3);
});

Deno.test("JobLogReader leaves out the worker's start entry unless asked (jobs logs prints the command's lines only)", async () => {
  const rows = [
    entry(1, "artifact_host=h artifact_root=/r", {
      seq: 0,
      stream: "job",
      artifact_host: "h",
      artifact_root: "/r",
    }),
    entry(2, "x", { seq: 1, stream: "stdout" }),
  ];
  const plain = await new JobLogReader(fakeApi({ t1: rows }).api, "job").read();
  assert.deepEqual(plain!.map((l) => l.text), ["x"]);
  // Control: the same rows with withStart give both.
  const all = await new JobLogReader(fakeApi({ t1: rows }).api, "job", {
    withStart: true,
  }).read();
  assert.deepEqual(all!.map((l) => l.text), [
    "artifact_host=h artifact_root=/r",
    "x",
  ]);
});
