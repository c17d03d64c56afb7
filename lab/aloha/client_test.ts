import assert from "node:assert/strict";
import { createAlohaClientHandler, FINISHED_LINE } from "./client.ts";
import { writeJson } from "../linux/mod.ts";
import { knobsPath } from "./knobs.ts";

async function withClient(
  fn: (
    post: (path: string, body?: unknown) => Promise<[number, unknown]>,
    ctx: { labDir: string; logs: string[] },
  ) => Promise<void>,
): Promise<void> {
  const labDir = await Deno.makeTempDir();
  const logs: string[] = [];
  const handler = createAlohaClientHandler({
    labDir,
    log: (m) => logs.push(m),
  });
  const post = async (
    path: string,
    body?: unknown,
  ): Promise<[number, unknown]> => {
    const response = await handler(
      new Request(`http://lab${path}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      }),
    );
    const text = await response.text();
    try {
      return [response.status, JSON.parse(text)];
    } catch {
      return [response.status, text];
    }
  };
  try {
    await fn(post, { labDir, logs });
  } finally {
    await Deno.remove(labDir, { recursive: true });
  }
}

Deno.test("aloha client rejects /run_task without a task", () =>
  withClient(async (post) => {
    assert.deepEqual(await post("/run_task", { trace_id: "t" }), [400, {
      status: "error",
      message: "Missing required field(s): task",
    }]);
  }));

Deno.test("aloha client runs one task at a time and logs its thread", () =>
  withClient(async (post, { labDir, logs }) => {
    await writeJson(knobsPath(labDir), { client: { task_ms: 100 } });
    const body = {
      task: "open notepad",
      selected_screen: 0,
      trace_id: "x",
      max_steps: 3,
    };
    assert.deepEqual(await post("/run_task", body), [200, {
      status: "success",
      message: "Task started",
      task: "open notepad",
    }]);
    assert.deepEqual(await post("/run_task", { task: "again" }), [409, {
      status: "error",
      message: "A task is already running",
    }]);
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(logs[0], "process_input thread started.");
    assert.ok(logs.some((line) => line.startsWith("[loop_msg] type=")));
    assert.equal(logs.at(-1), FINISHED_LINE);
    assert.equal(logs.filter((line) => line === FINISHED_LINE).length, 1);
    const sent =
      (await Deno.readTextFile(`${labDir}/state/aloha_requests.jsonl`))
        .trim().split("\n").map((line) => JSON.parse(line));
    assert.deepEqual(sent, [body, { task: "again" }]);
  }));

Deno.test("aloha client /stop ends the running task at once", () =>
  withClient(async (post, { logs }) => {
    assert.deepEqual(await post("/stop"), [400, {
      status: "error",
      message: "No active task to stop",
    }]);
    assert.equal((await post("/run_task", { task: "t" }))[0], 200);
    assert.deepEqual(await post("/stop"), [200, {
      status: "success",
      message: "Stop signal sent",
    }]);
    assert.equal(logs.at(-1), FINISHED_LINE);
    assert.equal((await post("/stop"))[0], 400);
  }));

Deno.test("aloha client follows the busy, error500, malformed and slow knobs", () =>
  withClient(async (post, { labDir }) => {
    await writeJson(knobsPath(labDir), { client: { mode: "busy" } });
    assert.equal((await post("/run_task", { task: "t" }))[0], 409);
    await writeJson(knobsPath(labDir), { client: { mode: "error500" } });
    assert.equal((await post("/run_task", { task: "t" }))[0], 500);
    await writeJson(knobsPath(labDir), { client: { mode: "malformed" } });
    assert.deepEqual(await post("/run_task", { task: "t" }), [
      200,
      "{not json",
    ]);
    await writeJson(knobsPath(labDir), {
      client: { mode: "slow", delay_ms: 120, task_ms: 10 },
    });
    const started = Date.now();
    assert.equal((await post("/run_task", { task: "t" }))[0], 200);
    assert.ok(Date.now() - started >= 110);
    await post("/stop");
  }));

Deno.test("aloha client answers 404 elsewhere", () =>
  withClient(async (post) => {
    assert.equal((await post("/"))[0], 404);
  }));
