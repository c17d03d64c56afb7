import { assert } from "@test/assert";
import { ArtifactRootError } from "../artifacts/mod.ts";
import {
  DependencyError,
  OperationalError,
  TimeoutError,
  UsageError,
} from "../errors/mod.ts";
import {
  HANDOVER_CHECKS_MS,
  RemoteExit,
  retryDecision,
  runJob,
} from "./job.ts";
import { RunHandedOver } from "../windows/mod.ts";

Deno.test("retryDecision() retries a transient failure until the last attempt", () => {
  const transient = new OperationalError("ssh connection reset");
  assert.deepEqual(retryDecision(transient, 0, 2), {
    deterministic: false,
    final: false,
  });
  assert.deepEqual(retryDecision(transient, 1, 2).final, false);
  assert.deepEqual(retryDecision(transient, 2, 2), {
    deterministic: false,
    final: true,
  });
});

Deno.test("retryDecision() never retries what would fail again: a remote exit, a usage error, an artifact root", () => {
  for (
    const error of [
      new RemoteExit("remote command exited with code 3"),
      new UsageError("usage error: bad"),
      new ArtifactRootError('Cannot create the artifact root in "/x": denied'),
    ]
  ) {
    assert.deepEqual(retryDecision(error, 0, 5), {
      deterministic: true,
      final: true,
    }, error.message);
  }
});

Deno.test("retryDecision() retries a run whose outcome is unknown (the retry attaches) but not one that ended", () => {
  const unknown = new DependencyError("outcome unknown", {
    fields: { state: "unknown", run_id: "j" },
  });
  assert.equal(retryDecision(unknown, 0, 3).deterministic, false);
  for (const state of ["timeout", "killed", "lost", "not_found"]) {
    const ended = new OperationalError(`run ${state}`, {
      fields: { state, run_id: "j" },
    });
    assert.equal(retryDecision(ended, 0, 3).deterministic, true, state);
  }
  // Control: the same states without a run are not taken for a run's end.
  const plain = new TimeoutError("slow", { fields: { state: "timeout" } });
  assert.equal(retryDecision(plain, 0, 3).deterministic, false);
});

async function jobDeps(dir: string) {
  const { loadConfig } = await import("../config/mod.ts");
  const { Logger } = await import("../log/mod.ts");
  const { JobMetrics } = await import("../metrics/mod.ts");
  const { SshClient } = await import("../ssh/mod.ts");
  const config = await loadConfig({
    env: {
      WIN_AUTOMATION_STATE_DIR: `${dir}/s`,
      WIN_AUTOMATION_ARTIFACT_OUT: `${dir}/a`,
      WIN_AUTOMATION_HATCHET_RETRY_MAX: "0",
    },
  });
  const ssh = new SshClient({
    host: "h",
    port: 22,
    user: "u",
    identityFile: "",
    connectTimeoutMs: 1000,
    stateDir: `${dir}/s`,
  }, { runner: () => Promise.reject(new Error("no ssh in this test")) });
  return {
    config,
    logger: new Logger({ silent: true }),
    metrics: new JobMetrics(),
    ssh,
    aloha: undefined as never,
    inflight: new Set<AbortController>(),
    hostname: "lnx-test-7",
  };
}

Deno.test("runJob() starts the task log with the artifacts' host and root, returns duration_ms, and records the host in the manifest, for a completed and a failed job", async () => {
  const { readManifest } = await import("../artifacts/mod.ts");
  const dir = await Deno.makeTempDir();
  try {
    const deps = await jobDeps(dir);
    for (const fail of [false, true]) {
      const sent: { message: string; meta: Record<string, unknown> }[] = [];
      const ctx = {
        jobId: crypto.randomUUID(),
        attempt: 0,
        signal: new AbortController().signal,
        log: (message: string, meta: object) => {
          sent.push({ message, meta: meta as Record<string, unknown> });
          return Promise.resolve();
        },
      };
      const run = runJob(deps, {
        type: "windows.exec",
        input: { trace_id: "t1", idempotency_key: "k" },
        ctx,
        body: (_art, _signal, _log, lines) => {
          lines.line("stdout", "hi");
          if (fail) throw new RemoteExit("remote command exited with code 3");
          return Promise.resolve({ state: "completed" as const });
        },
      });
      const root = `${dir}/a/${ctx.jobId}`;
      if (fail) {
        await assert.rejects(() => run, Error, "exited with code 3");
      } else {
        const out = await run as { state: string; duration_ms: number };
        assert.equal(out.state, "completed");
        assert.ok(
          Number.isSafeInteger(out.duration_ms) && out.duration_ms >= 0,
        );
      }
      // Every line reached the task log before the job ended, start first.
      assert.deepEqual(sent.map((s) => [s.message, s.meta.stream]), [
        [`artifact_host=lnx-test-7 artifact_root=${root}`, "job"],
        ["hi", "stdout"],
      ], `fail=${fail}`);
      assert.equal(sent[0]!.meta.artifact_host, "lnx-test-7");
      const manifest = await readManifest(root);
      assert.equal(manifest?.host, "lnx-test-7");
      assert.equal(manifest?.state, fail ? "failed" : "completed");
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("runJob(): an engine cancel of an attempt whose job lives on hands the run over (no stop, not counted); a real cancel stops it", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const deps = await jobDeps(dir);
    // What the engine says at each ask: alive throughout (a hand-over),
    // ended at once, or ended by the second ask (a cancel the record shows
    // late), or unreachable.
    const cases: [string, (n: number) => Promise<boolean>, boolean][] = [
      ["alive throughout", () => Promise.resolve(true), true],
      ["cancelled at once", () => Promise.resolve(false), false],
      ["cancelled late", (n) => Promise.resolve(n < 2), false],
      ["engine unreachable", () => Promise.reject(new Error("down")), false],
    ];
    for (const [name, answer, handedOver] of cases) {
      let asks = 0;
      const sleeps: number[] = [];
      const sdk = new AbortController();
      const ctx = {
        jobId: crypto.randomUUID(),
        attempt: 0,
        signal: sdk.signal,
        log: () => Promise.resolve(),
      };
      let reason: unknown;
      const run = runJob({
        ...deps,
        jobAlive: () => answer(++asks),
        sleep: (ms) => {
          sleeps.push(ms);
          return Promise.resolve();
        },
      }, {
        type: "windows.exec",
        input: { trace_id: "t2", idempotency_key: "k" },
        ctx,
        body: (_art, signal) =>
          new Promise((_, reject) => {
            signal.addEventListener("abort", () => {
              reason = signal.reason;
              reject(signal.reason);
            });
            sdk.abort(new Error("Cancelled by worker"));
          }),
      });
      await assert.rejects(() => run, Error, "Cancelled by worker");
      assert.equal(reason instanceof RunHandedOver, handedOver, name);
      if (handedOver) {
        assert.equal(asks, HANDOVER_CHECKS_MS.length, name);
        assert.deepEqual(sleeps, [1000, 2000], name);
      }
    }
    // Counted: only the real cancels end the job (three of them).
    assert.equal(deps.metrics.value("jobs_cancelled_total"), 3);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
