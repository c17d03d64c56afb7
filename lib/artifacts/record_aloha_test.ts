import { assert } from "@test/assert";
import { JobArtifacts } from "./job_artifacts.ts";
import { recordAlohaRun } from "./record_aloha.ts";

const ID = "7d0c1a52-3b4e-4f6a-8c9d-0e1f2a3b4c5d";

async function begin() {
  return await JobArtifacts.begin({
    outDir: await Deno.makeTempDir(),
    jobId: ID,
    traceId: "t1",
  });
}

Deno.test("recordAlohaRun() keeps Aloha's answer and the client log of a run that ends", async () => {
  const art = await begin();
  const result = await recordAlohaRun(art, "open notepad", (onStarted) => {
    onStarted({ status: "started" });
    return Promise.resolve({
      state: "completed",
      response: { status: "started" },
      log: "step 1\nprocess_input thread finished.\n",
    });
  });
  assert.equal(result.state, "completed");
  const saved = JSON.parse(
    await Deno.readTextFile(`${art.root}/aloha/response.json`),
  );
  assert.deepEqual(saved, {
    task: "open notepad",
    state: "completed",
    response: { status: "started" },
    error: null,
  });
  assert.equal(
    await Deno.readTextFile(`${art.root}/aloha/client_log.txt`),
    "step 1\nprocess_input thread finished.\n",
  );
});

Deno.test("recordAlohaRun() records a failure with the answer given so far, and rethrows", async () => {
  const art = await begin();
  await assert.rejects(
    recordAlohaRun(art, "t", (onStarted) => {
      onStarted({ status: "started" });
      return Promise.reject(new Error("timed out waiting for the client log"));
    }),
    /timed out waiting/,
  );
  const saved = JSON.parse(
    await Deno.readTextFile(`${art.root}/aloha/response.json`),
  );
  assert.equal(saved.state, "failed");
  assert.deepEqual(saved.response, { status: "started" });
  assert.equal(saved.error, "timed out waiting for the client log");
  await assert.rejects(Deno.stat(`${art.root}/aloha/client_log.txt`));
});
