import { assert } from "@test/assert";
import type { HatchetClient } from "@hatchet-dev/typescript-sdk";
import { errorText, JobOps } from "./jobs.ts";

const ID = "e87fd59a-b432-4b09-bd4a-cbbe95b96a4d";

interface Fake {
  core?: { status: string; error?: string; trace?: string } | "missing";
  rest?: { status: string; startedAt?: string; finishedAt?: string } | 404;
}

/** A client whose gRPC record and REST view say what `fake` says. */
function client(fake: Fake): HatchetClient {
  const runs = {
    getDetails: (id: string) => {
      if (fake.core === "missing" || !fake.core) {
        return Promise.reject(
          Object.assign(new Error("workflow run not found"), { code: 5 }),
        );
      }
      return Promise.resolve({
        status: fake.core.status,
        done: false,
        additionalMetadata: fake.core.trace
          ? { trace_id: fake.core.trace }
          : {},
        taskRuns: {
          [id]: { status: fake.core.status, error: fake.core.error ?? "" },
        },
      });
    },
    get: () => {
      if (fake.rest === 404 || !fake.rest) {
        return Promise.reject(
          Object.assign(new Error("404"), { response: { status: 404 } }),
        );
      }
      return Promise.resolve({
        run: {
          status: fake.rest.status,
          startedAt: fake.rest.startedAt ?? "0001-01-01T00:00:00Z",
          finishedAt: fake.rest.finishedAt ?? "0001-01-01T00:00:00Z",
          additionalMetadata: { trace_id: "from-rest" },
          errorMessage: "",
        },
      });
    },
  };
  return { runs } as unknown as HatchetClient;
}

const ops = (fake: Fake) => new JobOps(client(fake), { endpoint: "test:7077" });

Deno.test("status(): the engine's record decides when the REST view is stuck at RUNNING", async () => {
  const s = await ops({
    core: { status: "COMPLETED", trace: "t1" },
    rest: { status: "RUNNING", startedAt: "2026-11-24T14:07:11Z" },
  }).status(ID);
  assert.equal(s.state, "completed");
  assert.equal(s.trace_id, "t1");
  assert.equal(s.started_at, "2026-11-24T14:07:11Z");
  assert.equal(s.ended_at, null); // the history does not know the end yet
});

Deno.test("status(): timestamps come from the REST view when both agree", async () => {
  const s = await ops({
    core: { status: "COMPLETED" },
    rest: {
      status: "COMPLETED",
      startedAt: "2026-11-24T14:07:11Z",
      finishedAt: "2026-11-24T14:07:12Z",
    },
  }).status(ID);
  assert.equal(s.state, "completed");
  assert.equal(s.trace_id, "from-rest");
  assert.equal(s.ended_at, "2026-11-24T14:07:12Z");
});

Deno.test("status(): a failed run carries the task's error", async () => {
  const s = await ops({
    core: { status: "FAILED", error: "exit code 3" },
    rest: 404,
  }).status(ID);
  assert.equal(s.state, "failed");
  assert.equal(s.error, "exit code 3");
});

Deno.test("status(): a run only the history still has (past the engine's retention)", async () => {
  const s = await ops({
    core: "missing",
    rest: { status: "COMPLETED", finishedAt: "2026-11-20T00:00:00Z" },
  }).status(ID);
  assert.equal(s.state, "completed");
  assert.equal(s.ended_at, "2026-11-20T00:00:00Z");
});

Deno.test("status(): unknown to both gives not_found", async () => {
  const s = await ops({ core: "missing", rest: 404 }).status(ID);
  assert.equal(s.state, "not_found");
});

Deno.test("status(): a failed run's error keeps the message and drops the stack trace", async () => {
  const s = await ops({
    core: {
      status: "FAILED",
      error:
        "Error: remote command exited 3\n    at runJob (file:///x/lib/hatchet/handlers.ts:120:11)\n    at async y (file:///z.js:1:1)",
    },
    rest: 404,
  }).status(ID);
  assert.equal(s.error, "Error: remote command exited 3");
});

Deno.test("errorText() takes the message out of the SDK's JSON failure record", () => {
  assert.equal(
    errorText(
      '{"message":"remote command exited with code 3","stack":"NonRetryableError: remote command exited with code 3\\n    at runJob (file:///x.ts:1:1)"}',
    ),
    "remote command exited with code 3",
  );
  assert.equal(errorText(""), null);
  assert.equal(
    errorText("plain\nsecond line\n    at x (y.js:1:1)"),
    "plain second line",
  );
});

Deno.test("status(): a run the engine cancelled without an error, FAILED in the REST view and never started, is undeliverable", async () => {
  const s = await ops({
    core: { status: "CANCELLED" },
    rest: { status: "FAILED", finishedAt: "2026-12-07T03:10:00Z" },
  }).status(ID);
  assert.equal(s.state, "undeliverable");
  assert.match(
    s.error!,
    /no worker serving target "default" took the job within hatchet\.schedule_timeout/,
  );
});

Deno.test("negative control: a user's cancel, a cancel after the start, and a failure are not undeliverable", async () => {
  const cancelled = await ops({
    core: { status: "CANCELLED" },
    rest: { status: "CANCELLED" },
  }).status(ID);
  assert.equal(cancelled.state, "cancelled");
  const started = await ops({
    core: { status: "CANCELLED" },
    rest: { status: "FAILED", startedAt: "2026-12-07T03:09:00Z" },
  }).status(ID);
  assert.equal(started.state, "cancelled");
  const failed = await ops({
    core: { status: "FAILED", error: "boom" },
    rest: { status: "FAILED" },
  }).status(ID);
  assert.equal(failed.state, "failed");
});

Deno.test("status(): a run cancelled without an error is reported as the history last saw it until the history has caught up", async () => {
  const s = await ops({
    core: { status: "CANCELLED" },
    rest: { status: "QUEUED" },
  }).status(ID);
  assert.equal(s.state, "queued");
});
