import { assert } from "@test/assert";
import type { HatchetClient } from "@hatchet-dev/typescript-sdk";
import { JOB_TYPES, type JobType } from "./inputs.ts";
import { jobInputOf } from "./job_input.ts";
import { batchRunOptions, JobOps, runOptionsOf, startChild } from "./jobs.ts";
import { routeTo, workerLabels } from "./routing.ts";
import { taskOptions } from "./task_options.ts";
import type { ResolvedConfig } from "../config/mod.ts";

/** What a run was triggered with. */
interface Triggered {
  task: string;
  input: Record<string, unknown>;
  opts: Record<string, unknown>;
}

/**
 * A client that records every way the SDK can start a run. Only
 * `runNoWait` answers; any other trigger (run, runAndWait, bulk, REST
 * create, events) is recorded too, so a new enqueue path that bypasses the
 * routing is seen here.
 */
function recordingClient(seen: Triggered[]): HatchetClient {
  const record = (task: string, input: unknown, opts: unknown) => {
    seen.push({
      task,
      input: input as Record<string, unknown>,
      opts: (opts ?? {}) as Record<string, unknown>,
    });
    return Promise.resolve({
      getWorkflowRunId: () =>
        Promise.resolve("e87fd59a-b432-4b09-bd4a-cbbe95b96a4d"),
    });
  };
  return {
    runNoWait: record,
    run: record,
    runAndWait: record,
    runs: { create: record },
    events: { push: record },
  } as unknown as HatchetClient;
}

/** Every desired label is required, and the target's label is among them. */
function routingProblem(opts: Record<string, unknown>, target: string) {
  const labels = opts.desiredWorkerLabels as
    | Record<string, { value?: unknown; required?: unknown }>
    | undefined;
  if (!labels || Object.keys(labels).length === 0) return "no desired labels";
  for (const [key, label] of Object.entries(labels)) {
    if (label.required !== true) return `${key} is not required: true`;
  }
  if (labels[`target.${target}`]?.value !== 1) {
    return `target.${target} is not asked for`;
  }
  if ("sticky" in opts || "desiredWorkerId" in opts) {
    return "sticky or desiredWorkerId is set";
  }
  return undefined;
}

const REQUEST: Record<JobType, Record<string, unknown>> = {
  "windows.exec": { cmd: "hostname" },
  "aloha.run": { task: "open notepad", host: "h:22" },
  "playwright.run": { url: "https://example.com" },
  "windows.reboot": {},
};

Deno.test("every enqueue routes to its target's label with required: true, for each job type and target", async () => {
  const seen: Triggered[] = [];
  const ops = new JobOps(recordingClient(seen), { endpoint: "test:7077" });
  for (const type of JOB_TYPES) {
    for (const target of ["default", "win-01", "win-02"]) {
      const input = jobInputOf({
        type,
        traceId: "t1",
        target,
        ...REQUEST[type],
      } as never);
      await ops.enqueue(type, input as never);
      const last = seen.at(-1)!;
      assert.equal(last.task, type);
      assert.equal(routingProblem(last.opts, target), undefined);
      assert.deepEqual(last.opts.desiredWorkerLabels, {
        [`target.${target}`]: { value: 1, required: true },
      });
      assert.deepEqual(last.opts.additionalMetadata, {
        trace_id: "t1",
        target,
        type,
      });
    }
  }
  // One trigger per enqueue, all through runNoWait (the recorded client
  // would have seen any other path).
  assert.equal(seen.length, JOB_TYPES.length * 3);
});

const last_ = <T>(a: T[]) => a.at(-1)!;

Deno.test("a batch child starts with its target's label (required) and batch metadata; the parent with no labels", async () => {
  const seen: { wf: string; input: Record<string, unknown>; opts: never }[] =
    [];
  const ctx = {
    workflowRunId: () => "11111111-2222-4333-8444-555555555555",
    runNoWaitChild: (wf: string, input: never, opts: never) => {
      seen.push({ wf, input, opts });
      return Promise.resolve({ getWorkflowRunId: () => Promise.resolve("c1") });
    },
  };
  for (const target of ["win-01", "win-02"]) {
    const input = jobInputOf({
      type: "windows.exec",
      traceId: "t1",
      target,
      cmd: "hostname",
    } as never);
    const started = await startChild(ctx, "windows.exec", input);
    assert.deepEqual(started, { id: "c1", deduplicated: false });
    assert.equal(
      (last_(seen).opts as { key: string }).key,
      `${target}/batch-11111111-2222-4333-8444-555555555555`,
    );
    const last = seen.at(-1)!;
    assert.equal(last.wf, "windows.exec");
    assert.equal(routingProblem(last.opts, target), undefined);
    assert.deepEqual(
      (last.opts as { additionalMetadata: unknown })
        .additionalMetadata,
      {
        trace_id: "t1",
        target,
        type: "windows.exec",
        batch_id: "11111111-2222-4333-8444-555555555555",
      },
    );
    // The key is per target and batch, whatever key the input came with.
    assert.equal(
      last.input.idempotency_key,
      `${target}/batch-11111111-2222-4333-8444-555555555555`,
    );
  }
  // The parent: no desired labels at all (any worker takes it).
  assert.match(
    routingProblem(batchRunOptions({ trace_id: "t" }) as never, "x")!,
    /no desired labels/,
  );
});

Deno.test("negative control: the routing check catches labels without required, a wrong target, sticky and no labels", () => {
  assert.equal(
    routingProblem(runOptionsOf({ trace_id: "t", target: "a" }), "a"),
    undefined,
  );
  assert.match(
    routingProblem({ desiredWorkerLabels: { "target.a": { value: 1 } } }, "a")!,
    /not required/,
  );
  assert.match(
    routingProblem({
      desiredWorkerLabels: { "target.a": { value: 1, required: false } },
    }, "a")!,
    /not required/,
  );
  assert.match(
    routingProblem(runOptionsOf({ trace_id: "t", target: "b" }), "a")!,
    /target\.a is not asked for/,
  );
  assert.match(
    routingProblem({
      ...runOptionsOf({ trace_id: "t", target: "a" }),
      sticky: true,
    }, "a")!,
    /sticky/,
  );
  assert.match(routingProblem({}, "a")!, /no desired labels/);
});

Deno.test("a run without a target routes to default; the tasks ask for target.default (required) themselves", () => {
  assert.deepEqual(runOptionsOf({ trace_id: "t" }).desiredWorkerLabels, {
    "target.default": { value: 1, required: true },
  });
  const config = {
    hatchet: {
      jobTimeoutMs: 60_000,
      retryMax: 2,
      retryBackoffMs: 5_000,
      scheduleTimeoutMs: 90_500,
    },
  } as unknown as ResolvedConfig;
  const opts = taskOptions(config);
  assert.deepEqual(opts.desiredWorkerLabels, routeTo("default"));
  assert.equal(opts.scheduleTimeout, "91s");
});

Deno.test("workerLabels() gives one target.<name> = 1 per served target and the version", () => {
  assert.deepEqual(workerLabels(["win-01", "win-02"], "1.2.3"), {
    version: "1.2.3",
    "target.win-01": 1,
    "target.win-02": 1,
  });
  // A cordoned target starts at 0, the others at 1 (negative control).
  assert.deepEqual(workerLabels(["win-01", "win-02"], "1.2.3", ["win-02"]), {
    version: "1.2.3",
    "target.win-01": 1,
    "target.win-02": 0,
  });
  assert.throws(() => workerLabels([], "1"), RangeError);
  assert.throws(() => routeTo(""), RangeError);
});

Deno.test("lib/hatchet/jobs.ts (JobOps.enqueue, enqueueBatch, startChild) is the only place lib/ and commands/ start a run", async () => {
  const root = new URL("../../", import.meta.url).pathname;
  const starters =
    /\b(runNoWait|runNoWaitChild|runChild|runAndWait|bulkRunNoWait|bulkRun|bulkRunChildren|runWorkflow|spawnWorkflow|runs\.create)\s*\(/;
  const found: string[] = [];
  const walk = async (dir: string) => {
    for await (const e of Deno.readDir(`${root}${dir}`)) {
      const path = `${dir}/${e.name}`;
      if (e.isDirectory) await walk(path);
      else if (e.name.endsWith(".ts") && !e.name.endsWith("_test.ts")) {
        if (starters.test(await Deno.readTextFile(`${root}${path}`))) {
          found.push(path);
        }
      }
    }
  };
  await walk("lib");
  await walk("commands");
  // Not vacuous: the scan does find the one place that starts runs.
  assert.deepEqual(found, ["lib/hatchet/jobs.ts"]);
});
