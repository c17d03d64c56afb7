import { assert, rejects } from "@test/assert";
import type { AlohaClient } from "../aloha/mod.ts";
import { loadConfig } from "../config/mod.ts";
import { Logger } from "../log/mod.ts";
import { JobMetrics } from "../metrics/mod.ts";
import type { SshClient } from "../ssh/mod.ts";
import { loadSdk } from "./client.ts";
import { createHandlers } from "../worker/mod.ts";
import { JobInputError, parseJobInput } from "./input_schemas.ts";

const good = {
  trace_id: "t1",
  idempotency_key: "auto-1",
  cmd: "echo ok",
  timeout_ms: 5000,
};

Deno.test("parseJobInput() accepts a valid input and names the field of a bad one", () => {
  assert.deepEqual(parseJobInput("windows.exec", good), good);
  for (
    const [bad, field] of [
      [{ ...good, timeout_ms: "5000" }, "timeout_ms"],
      [{ ...good, timeout_ms: 10 }, "timeout_ms"],
      [{ ...good, cmd: "" }, "cmd"],
      [{ ...good, tiemout_ms: 1 }, "tiemout_ms"],
      [{ ...good, trace_id: "../x" }, "trace_id"],
    ] as const
  ) {
    let error: unknown;
    try {
      parseJobInput("windows.exec", bad);
    } catch (e) {
      error = e;
    }
    assert.ok(error instanceof JobInputError, field);
    assert.equal((error as JobInputError).field, field);
    assert.match(
      (error as Error).message,
      /^Cannot run windows\.exec: input field "/,
    );
  }
  assert.throws(() => parseJobInput("playwright.run", "nope"), JobInputError);
});

Deno.test("a windows.exec job with a string timeout_ms fails once, not retried, naming the field; nothing runs", async () => {
  const out = await Deno.makeTempDir();
  const config = await loadConfig({
    env: { HOME: "/nonexistent-home", WIN_AUTOMATION_ARTIFACT_OUT: out },
  });
  const lines: string[] = [];
  const metrics = new JobMetrics();
  let touched = 0;
  const trap = new Proxy({}, {
    get: () => {
      touched++;
      throw new Error("must not be used");
    },
  });
  const handlers = createHandlers({
    config,
    logger: new Logger({ write: (l) => lines.push(l) }),
    metrics,
    ssh: trap as SshClient,
    aloha: trap as AlohaClient,
    inflight: new Set(),
  });
  const ctx = {
    jobId: "e87fd59a-b432-4b09-bd4a-cbbe95b96a4d",
    attempt: 0,
    signal: new AbortController().signal,
  };
  const sdk = await loadSdk();
  const error = await rejects(() =>
    handlers.windowsExec({ ...good, timeout_ms: "5000" }, ctx)
  );
  assert.ok(error instanceof sdk.NonRetryableError, String(error));
  assert.match(
    (error as Error).message,
    /input field "timeout_ms" must be an integer/,
  );
  assert.equal(metrics.value("jobs_failed_total"), 1);
  assert.equal(touched, 0);
  assert.equal(lines.length, 1);
  assert.match(lines[0]!, /field=timeout_ms/);
  // negative control: the same job with a number reaches the work (the trap)
  // and fails as a retryable attempt
  const work = await rejects(() => handlers.windowsExec(good, ctx));
  assert.ok(touched > 0);
  assert.ok(!(work instanceof sdk.NonRetryableError), String(work));
  await Deno.remove(out, { recursive: true });
});
