import { assert } from "@test/assert";
import { JobInputError } from "./input_schemas.ts";
import { jobInputOf, jobTimeoutProblem } from "./job_input.ts";

Deno.test("jobInputOf() builds each type's input with only the fields given", () => {
  assert.deepEqual(
    jobInputOf({
      type: "windows.exec",
      traceId: "t1",
      idempotencyKey: "k",
      cmd: "hostname",
      timeoutMs: 5_000,
    }),
    {
      trace_id: "t1",
      target: "default",
      idempotency_key: "default/k",
      cmd: "hostname",
      timeout_ms: 5_000,
    },
  );
  assert.deepEqual(
    jobInputOf({
      type: "playwright.run",
      traceId: "t1",
      idempotencyKey: "k",
      url: "https://example.com",
      screenshot: true,
      video: false,
    }),
    {
      trace_id: "t1",
      target: "default",
      idempotency_key: "default/k",
      url: "https://example.com",
      screenshot: true,
    },
  );
  const aloha = jobInputOf({
    type: "aloha.run",
    traceId: "t1",
    task: "open notepad",
    host: "h:22",
    maxSteps: 3,
  });
  assert.match(aloha.idempotency_key, /^default\/auto-/);
  assert.equal(aloha.max_steps, 3);
});

Deno.test("jobInputOf() carries the target and puts it in the engine's idempotency key", () => {
  const of = (target: string | undefined, key: string) =>
    jobInputOf({
      type: "windows.exec",
      traceId: "t1",
      target,
      idempotencyKey: key,
      cmd: "hostname",
    });
  const a = of("win-01", "k");
  const b = of("win-02", "k");
  assert.equal(a.target, "win-01");
  assert.equal(a.idempotency_key, "win-01/k");
  // Same user key, two targets: two engine keys (two runs).
  assert.notEqual(a.idempotency_key, b.idempotency_key);
  // Same key, same target: one engine key (one run).
  assert.equal(of("win-01", "k").idempotency_key, a.idempotency_key);
  assert.equal(of(undefined, "k").target, "default");
  assert.throws(
    () => of("Not A Target", "k"),
    (e: unknown) => e instanceof JobInputError && e.field === "target",
  );
});

Deno.test("jobInputOf() refuses what the worker's schema refuses, naming the field", () => {
  assert.throws(
    () =>
      jobInputOf({
        type: "windows.exec",
        traceId: "t1",
        cmd: "x",
        timeoutMs: 10,
      }),
    (e: unknown) => e instanceof JobInputError && e.field === "timeout_ms",
  );
});

Deno.test("jobTimeoutProblem() refuses a job time limit above hatchet.job_timeout, and only that", () => {
  assert.equal(jobTimeoutProblem(undefined, 60_000), undefined);
  assert.equal(jobTimeoutProblem(60_000, 60_000), undefined);
  assert.equal(
    jobTimeoutProblem(7_200_000, 3_600_000),
    "2h is longer than the worker's job timeout (1h), which stops every job first",
  );
});
