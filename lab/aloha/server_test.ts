import assert from "node:assert/strict";
import { createAlohaServerHandler } from "./server.ts";
import { writeJson } from "../linux/mod.ts";
import { knobsPath } from "./knobs.ts";

async function withLab(fn: (labDir: string) => Promise<void>): Promise<void> {
  const labDir = await Deno.makeTempDir();
  try {
    await fn(labDir);
  } finally {
    await Deno.remove(labDir, { recursive: true });
  }
}

const get = (path: string) => new Request(`http://lab${path}`);

Deno.test("aloha server answers GET / with its banner", () =>
  withLab(async (labDir) => {
    const handler = createAlohaServerHandler({ labDir });
    const response = await handler(get("/"));
    assert.equal(response.status, 200);
    assert.equal(await response.text(), "Aloha API server is running");
  }));

Deno.test("aloha server answers 404 elsewhere", () =>
  withLab(async (labDir) => {
    const handler = createAlohaServerHandler({ labDir });
    const response = await handler(get("/nope"));
    assert.equal(response.status, 404);
    await response.body?.cancel();
  }));

Deno.test("aloha server follows the error500, malformed and slow knobs", () =>
  withLab(async (labDir) => {
    const handler = createAlohaServerHandler({ labDir });
    await writeJson(knobsPath(labDir), { server: { mode: "error500" } });
    const failed = await handler(get("/"));
    assert.equal(failed.status, 500);
    await failed.body?.cancel();

    await writeJson(knobsPath(labDir), { server: { mode: "malformed" } });
    const garbled = await handler(get("/"));
    assert.equal(garbled.status, 200);
    assert.equal(await garbled.text(), "{not json");

    await writeJson(knobsPath(labDir), {
      server: { mode: "slow", delay_ms: 150 },
    });
    const started = Date.now();
    const slow = await handler(get("/"));
    assert.ok(Date.now() - started >= 140);
    assert.equal(await slow.text(), "Aloha API server is running");
  }));
