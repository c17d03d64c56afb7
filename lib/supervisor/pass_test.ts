import { assert } from "@test/assert";
import { CircuitBreaker } from "./breaker.ts";
import type { RemediationOutcome, SupervisedCheck } from "./check.ts";
import type { CheckName } from "./failpoint.ts";
import { type PassLine, runPass } from "./pass.ts";

/** A fake endpoint: healthy once `fixed` is set by its remediation. */
function endpoint(
  name: CheckName,
  options: { broken?: boolean; fixable?: boolean } = {},
) {
  const calls: string[] = [];
  let healthy = !options.broken;
  const check: SupervisedCheck = {
    name,
    probe: () => {
      calls.push("probe");
      return Promise.resolve(
        healthy ? { ok: true } : { ok: false, reason: `${name} down` },
      );
    },
    remediations: [{
      name: "start",
      run: (): Promise<RemediationOutcome> => {
        calls.push("start");
        if (healthy) {
          return Promise.resolve({ state: "unchanged", msg: "running" });
        }
        if (!options.fixable) {
          return Promise.resolve({ state: "skipped", msg: "no start cmd" });
        }
        healthy = true;
        return Promise.resolve({ state: "changed", msg: "started" });
      },
    }],
  };
  return { check, calls };
}

function harness(checks: SupervisedCheck[]) {
  let t = 0;
  const lines: PassLine[] = [];
  const breakers = new Map<CheckName, CircuitBreaker>();
  const run = (failpoint: CheckName | null = null) =>
    runPass({
      checks,
      breakers,
      failpoint,
      report: (l) => lines.push(l),
      sleep: () => Promise.resolve(),
      newBreaker: () => new CircuitBreaker({ now: () => t }),
    });
  return { run, lines, advance: (ms: number) => t += ms };
}

Deno.test("runPass() probes each check once in order when all are healthy and remediates nothing", async () => {
  const a = endpoint("ssh");
  const b = endpoint("aloha_server");
  const { run, lines } = harness([a.check, b.check]);
  const result = await run();
  assert.deepEqual(result.failed, []);
  assert.ok(result.healthy);
  assert.deepEqual(a.calls, ["probe"]);
  assert.deepEqual(b.calls, ["probe"]);
  assert.deepEqual(lines.map((l) => [l.fields.check, l.fields.state]), [
    ["ssh", "ok"],
    ["aloha_server", "ok"],
  ]);
});

Deno.test("runPass() runs a failed check's remediation, probes again and reports it remediated", async () => {
  const a = endpoint("aloha_client", { broken: true, fixable: true });
  const { run, lines } = harness([a.check]);
  const result = await run();
  assert.ok(result.healthy);
  assert.deepEqual(a.calls, ["probe", "start", "probe"]);
  assert.equal(result.checks[0]!.state, "remediated");
  assert.deepEqual(result.checks[0]!.changed, ["start"]);
  assert.equal(lines.at(-1)!.fields.circuit_breaker, "closed");
});

Deno.test("runPass() opens the breaker within one pass after 3 failed probes and names the check", async () => {
  const a = endpoint("aloha_server", { broken: true });
  const b = endpoint("hatchet");
  const { run, lines } = harness([a.check, b.check]);
  const result = await run();
  assert.equal(result.healthy, false);
  assert.deepEqual(result.failed, ["aloha_server"]);
  assert.deepEqual(a.calls, ["probe", "start", "probe", "start", "probe"]);
  assert.equal(result.checks[0]!.circuitBreaker, "open");
  assert.deepEqual(b.calls, ["probe"], "later checks still run");
  const last = lines.find((l) =>
    l.fields.check === "aloha_server" && l.fields.attempts !== undefined
  )!;
  assert.equal(last.fields.circuit_breaker, "open");
  assert.equal(last.fields.state, "unhealthy");
});

Deno.test("runPass() skips a check whose breaker is open, then gives it one trial after 60 s", async () => {
  const a = endpoint("playwright", { broken: true });
  const { run, advance } = harness([a.check]);
  await run();
  a.calls.length = 0;
  const skipped = await run();
  assert.deepEqual(a.calls, [], "nothing touched while open");
  assert.equal(skipped.checks[0]!.attempts, 0);
  assert.equal(skipped.checks[0]!.reason, "circuit breaker open");
  advance(60_000);
  const trial = await run();
  assert.deepEqual(
    a.calls,
    ["start", "probe"],
    "one trial: remediate, probe once",
  );
  assert.equal(trial.checks[0]!.circuitBreaker, "open");
});

Deno.test("runPass() closes a half-open breaker when the trial succeeds", async () => {
  const a = endpoint("playwright", { broken: true });
  const { run, advance } = harness([a.check]);
  await run();
  advance(60_000);
  a.check.remediations[0]!.run = () =>
    Promise.resolve({ state: "changed", msg: "fixed by hand" });
  a.check.probe = () => Promise.resolve({ ok: true });
  const result = await run();
  assert.ok(result.healthy);
  assert.equal(result.checks[0]!.circuitBreaker, "closed");
  assert.equal(result.checks[0]!.state, "remediated");
});

Deno.test("runPass() with a failpoint fails that check without probing it and marks its lines", async () => {
  const a = endpoint("aloha_server");
  const { run, lines } = harness([a.check]);
  const result = await run("aloha_server");
  assert.deepEqual(result.failed, ["aloha_server"]);
  assert.deepEqual(
    a.calls,
    ["start", "start"],
    "remediations converge: unchanged",
  );
  assert.ok(lines.some((l) => l.fields.circuit_breaker === "open"));
  for (const l of lines) {
    assert.equal(l.fields.failpoint ?? "aloha_server", "aloha_server");
  }
  assert.ok(
    lines.filter((l) => l.fields.attempt !== undefined).every((l) =>
      l.fields.failpoint === "aloha_server"
    ),
  );
});

Deno.test("runPass() turns a throwing probe or remediation into failed lines, never a throw", async () => {
  const check: SupervisedCheck = {
    name: "ssh",
    probe: () => Promise.reject(new Error("Cannot reach ssh: refused")),
    remediations: [{
      name: "boom",
      run: () => Promise.reject(new Error("nope")),
    }],
  };
  const { run, lines } = harness([check]);
  const result = await run();
  assert.equal(result.checks[0]!.reason, "Cannot reach ssh: refused");
  assert.ok(
    lines.some((l) =>
      l.fields.remediation === "boom" && l.fields.state === "failed" &&
      l.fields.err === "nope"
    ),
  );
});

Deno.test("runPass() lets later checks see which earlier ones are healthy", async () => {
  const seen: boolean[] = [];
  const ssh: SupervisedCheck = {
    name: "ssh",
    probe: () => Promise.resolve({ ok: false, reason: "down" }),
    remediations: [],
  };
  const later: SupervisedCheck = {
    name: "aloha_server",
    probe: (
      view,
    ) => (seen.push(view.healthy("ssh")), Promise.resolve({ ok: true })),
    remediations: [],
  };
  const { run } = harness([ssh, later]);
  await run();
  assert.deepEqual(seen, [false]);
});
