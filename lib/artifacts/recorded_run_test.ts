import { assert } from "@test/assert";
import { Logger, parseLine } from "../log/mod.ts";
import { readManifest } from "./manifest.ts";
import { JobArtifacts } from "./job_artifacts.ts";
import {
  ArtifactRootError,
  isCancelled,
  recordedRun,
  type RecordedRunOptions,
} from "./recorded_run.ts";

const ID = "7d0c1a52-3b4e-4f6a-8c9d-0e1f2a3b4c5d";

async function options<T>(
  extra: Partial<RecordedRunOptions<T>> = {},
): Promise<{ options: RecordedRunOptions<T>; lines: string[] }> {
  const lines: string[] = [];
  const logger = new Logger({ write: (l) => lines.push(l) });
  return {
    lines,
    options: {
      outDir: await Deno.makeTempDir(),
      jobId: ID,
      traceId: "t1",
      log: logger.scope("hatchet", "artifacts"),
      ...extra,
    },
  };
}

const stateOf = async (o: { outDir: string }) =>
  (await readManifest(`${o.outDir}/${ID}`))?.state;

Deno.test("recordedRun() runs the body and writes a completed manifest with its files", async () => {
  const { options: o } = await options<string>();
  const run = await recordedRun(o, async (art) => {
    await art.put("ssh/stdout.txt", "hi\n");
    return "done";
  });
  assert.equal(run.state, "ran");
  assert.equal(run.state === "ran" && run.value, "done");
  const manifest = await readManifest(`${o.outDir}/${ID}`);
  assert.equal(manifest?.state, "completed");
  assert.deepEqual(manifest?.artifacts.map((a) => a.path), ["ssh/stdout.txt"]);
});

Deno.test("recordedRun() records the state stateOf() gives a returned value, and partial", async () => {
  const { options: failed } = await options<number>({
    stateOf: (code) => code === 0 ? "completed" : "failed",
  });
  await recordedRun(failed, () => Promise.resolve(1));
  assert.equal(await stateOf(failed), "failed");
  const { options: partial } = await options<number>();
  await recordedRun(partial, (art) => {
    art.partial = true;
    return Promise.resolve(0);
  });
  assert.equal(await stateOf(partial), "partial");
});

Deno.test("recordedRun() records a thrown body as failed and rethrows it", async () => {
  const { options: o } = await options();
  await assert.rejects(
    recordedRun(o, () => Promise.reject(new Error("remote exited 3"))),
    /remote exited 3/,
  );
  assert.equal(await stateOf(o), "failed");
});

Deno.test("recordedRun() records a cancel as cancelled, a time limit's abort as failed", async () => {
  for (
    const [reason, expected] of [
      [new Error("cancelled by the user"), "cancelled"],
      [new Error("Task exceeded its execution timeout"), "failed"],
    ] as const
  ) {
    const stop = new AbortController();
    const { options: o } = await options({ signal: stop.signal });
    await assert.rejects(
      recordedRun(o, (_art, signal) => {
        stop.abort(reason);
        return Promise.reject(signal.reason);
      }),
    );
    assert.equal(await stateOf(o), expected, reason.message);
  }
  // The cancel signal decides, not the work signal: a drain abort of the
  // work alone is not a cancellation.
  const work = new AbortController();
  const { options: o } = await options({
    signal: work.signal,
    cancelSignal: new AbortController().signal,
  });
  await assert.rejects(recordedRun(o, () => {
    work.abort(new Error("worker shutting down"));
    return Promise.reject(work.signal.reason);
  }));
  assert.equal(await stateOf(o), "failed");
});

Deno.test("isCancelled() tells a cancel from a timeout and from no abort", () => {
  const c = new AbortController();
  assert.equal(isCancelled(c.signal), false);
  assert.equal(isCancelled(undefined), false);
  c.abort(new Error("user cancelled"));
  assert.equal(isCancelled(c.signal), true);
  const t = new AbortController();
  t.abort(new Error("timed out after 10s"));
  assert.equal(isCancelled(t.signal), false);
});

Deno.test("recordedRun() reports a manifest it cannot write without hiding the run's value or error", async () => {
  const broken = (o: Parameters<typeof JobArtifacts.begin>[0]) =>
    JobArtifacts.begin(o).then((art) => {
      art.finish = () => Promise.reject(new Error("disk full"));
      return art;
    });
  const reported: unknown[] = [];
  const { options: o, lines } = await options<string>({
    begin: broken,
    onManifestError: (e) => reported.push(e),
  });
  const run = await recordedRun(o, () => Promise.resolve("value"));
  assert.equal(run.state === "ran" && run.value, "value");
  await assert.rejects(
    recordedRun(o, () => Promise.reject(new Error("the run's own error"))),
    /the run's own error/,
  );
  assert.equal(reported.length, 2);
  const errors = lines.map(parseLine).filter((l) => l.level === "error");
  assert.deepEqual(errors.map((l) => `${l.msg}: ${l.err}`), [
    "cannot write the manifest: disk full",
    "cannot write the manifest: disk full",
  ]);
  // Negative control: a manifest that is written reports nothing.
  const { options: ok } = await options<string>({
    onManifestError: (e) => reported.push(e),
  });
  await recordedRun(ok, () => Promise.resolve("v"));
  assert.equal(reported.length, 2);
});

Deno.test("recordedRun() turns a root it cannot create into an ArtifactRootError, before any work", async () => {
  const file = await Deno.makeTempFile();
  const { options: o } = await options({ outDir: file });
  let ran = false;
  await assert.rejects(
    recordedRun(o, () => Promise.resolve(ran = true)),
    (e: unknown) =>
      e instanceof ArtifactRootError &&
      e.message.startsWith(`Cannot create the artifact root in "${file}": `),
  );
  assert.equal(ran, false);
});
