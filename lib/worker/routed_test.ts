import { assert } from "@test/assert";
import { Logger } from "../log/mod.ts";
import { JobMetrics } from "../metrics/mod.ts";
import { routedHandlers } from "./routed.ts";
import type { JobContext, JobHandlers } from "./tasks.ts";

/** Handlers that record which target's set ran a job. */
function recording(name: string, ran: string[]): JobHandlers {
  const h = (raw: unknown) => {
    ran.push(`${name}:${(raw as { cmd?: string }).cmd}`);
    return Promise.resolve({ state: "completed" } as never);
  };
  return { windowsExec: h, alohaRun: h, playwrightRun: h, windowsReboot: h };
}

function setup() {
  const lines: string[] = [];
  const ran: string[] = [];
  const handlers = routedHandlers(
    new Map([
      ["win-01", recording("win-01", ran)],
      ["win-02", recording("win-02", ran)],
    ]),
    {
      logger: new Logger({ write: (l) => lines.push(l) }),
      metrics: new JobMetrics(),
    },
  );
  return { lines, ran, handlers };
}

const ctx: JobContext = {
  jobId: "e87fd59a-b432-4b09-bd4a-cbbe95b96a4d",
  attempt: 0,
  signal: new AbortController().signal,
};

Deno.test("routedHandlers() runs a job with the handlers of the target its input names", async () => {
  const { ran, handlers } = setup();
  await handlers.windowsExec({ target: "win-02", cmd: "a" }, ctx);
  await handlers.windowsExec({ target: "win-01", cmd: "b" }, ctx);
  assert.deepEqual(ran, ["win-02:a", "win-01:b"]);
});

Deno.test("routedHandlers() refuses a job for a target it does not serve, non-retryably, before any work", async () => {
  const { lines, ran, handlers } = setup();
  for (const raw of [{ target: "win-03", cmd: "x" }, { cmd: "no target" }]) {
    const error = await handlers.windowsExec(raw, ctx).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    assert.ok(error, "the job was refused");
    assert.equal(error.name, "NonRetryableError");
    assert.match(
      error.message,
      /^Cannot run windows\.exec: this worker does not serve target "(win-03|default)" \(it serves win-01, win-02\); the job was misrouted$/,
    );
    assert.equal(error.stack, `NonRetryableError: ${error.message}`);
  }
  assert.deepEqual(ran, [], "no handler ran");
  const refused = lines.filter((l) => l.includes("job refused: misrouted"));
  assert.equal(refused.length, 2);
  assert.match(refused[0]!, /target=win-03/);
  assert.match(refused[0]!, /served=win-01,win-02/);
});
