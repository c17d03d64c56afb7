import { assert } from "@test/assert";
import { limitsOf } from "./limits.ts";
import { loadConfig } from "./load.ts";

Deno.test("limitsOf() derives each limit from timeout or hatchet.job_timeout, the cancel limit at least 30 s", () => {
  const l = limitsOf({ timeoutMs: 5_000, jobTimeoutMs: 600_000 });
  for (
    const short of [
      "connectMs",
      "commandMs",
      "gateMs",
      "httpMs",
      "playwrightConnectMs",
      "pageRunMs",
      "workerReadyMs",
      "stepMs",
      "alohaStopMs",
    ] as const
  ) {
    assert.equal(l[short], 5_000, short);
  }
  for (const long of ["jobMs", "alohaWaitMs", "mirrorMs"] as const) {
    assert.equal(l[long], 600_000, long);
  }
  assert.equal(l.cancelMs, 30_000);
  // A queued aloha.run stops waiting early enough to stop the task and see
  // it end before the engine's execution timeout frees the desktop.
  assert.equal(l.alohaJobWaitMs, 600_000 - 5_000 - 5_000);
  assert.ok(l.alohaJobWaitMs + l.alohaStopMs < l.jobMs);
  assert.equal(
    limitsOf({ timeoutMs: 10_000, jobTimeoutMs: 2_000 })
      .alohaJobWaitMs,
    1_000,
  );
  assert.equal(
    limitsOf({ timeoutMs: 45_000, jobTimeoutMs: 1 }).cancelMs,
    45_000,
  );
});

Deno.test("the resolved config carries the limits of its own settings", async () => {
  const config = await loadConfig({
    env: {
      WIN_AUTOMATION_TIMEOUT: "7s",
      WIN_AUTOMATION_HATCHET_JOB_TIMEOUT: "2m",
      HOME: "/home/u",
    },
  });
  assert.equal(config.limits.commandMs, 7_000);
  assert.equal(config.limits.jobMs, 120_000);
  assert.deepEqual(
    config.limits,
    limitsOf({ timeoutMs: 7_000, jobTimeoutMs: 120_000 }),
  );
});
