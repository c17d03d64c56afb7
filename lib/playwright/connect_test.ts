import { assert, assertExcludes, rejects } from "@test/assert";
import type { BrowserType } from "playwright-core";
import { DependencyError } from "../errors/mod.ts";
import { CLIENT_VERSION, connectPlaywright, majorMinor } from "./connect.ts";

const target = {
  host: "127.0.0.1",
  port: 9323,
  wsPath: "s3cret-ws-path-0123456789-ABCDEFGHIJ",
};
const endpoint = `ws://127.0.0.1:9323/${target.wsPath}`;

/** A chromium whose connect() fails with `message`. */
const failing = (message: string) => () =>
  Promise.resolve({
    connect: () => Promise.reject(new Error(message)),
  } as unknown as BrowserType);

const MISMATCH =
  `browserType.connect: WebSocket error: ${endpoint} 428 Precondition Required
╔════════════════════════════════════════════════════╗
║ Playwright version mismatch:                       ║
║   - server version: v1.60                          ║
║   - client version: v1.61                          ║
╚════════════════════════════════════════════════════╝
Call log:
  - <ws connecting> ${endpoint}`;

Deno.test("connectPlaywright() maps a 428 answer to err=version_mismatch naming both versions", async () => {
  const error = await rejects(() =>
    connectPlaywright(target, { timeoutMs: 1000, load: failing(MISMATCH) })
  );
  assert.ok(error instanceof DependencyError);
  assert.equal(error.exitCode, 3);
  assert.equal(error.fields.err, "version_mismatch");
  assert.equal(error.fields.server_version, "1.60");
  assert.equal(error.fields.client_version, CLIENT_VERSION);
  assert.match(error.message, /server 1\.60, client 1\.61\.\d+/);
  assertExcludes(error.message, target.wsPath);
});

Deno.test("connectPlaywright() reports refused connections and a wrong ws path without the secret", async () => {
  const cases: Array<[string, RegExp]> = [
    [
      `browserType.connect: WebSocket error: connect ECONNREFUSED 127.0.0.1:9323\nCall log:\n  - <ws connecting> ${endpoint}`,
      /Cannot connect to Playwright at 127\.0\.0\.1:9323: connect ECONNREFUSED/,
    ],
    [
      `browserType.connect: WebSocket error: ${endpoint} 400 Bad Request`,
      /refused the ws path \(400\)/,
    ],
    [
      `browserType.connect: Timeout 1000ms exceeded.\nCall log:\n  - <ws connecting> ${endpoint}`,
      /Timeout 1000ms exceeded/,
    ],
  ];
  for (const [message, expected] of cases) {
    const error = await rejects(() =>
      connectPlaywright(target, { timeoutMs: 1000, load: failing(message) })
    );
    assert.ok(error instanceof DependencyError);
    assert.equal(error.fields.err, "unreachable");
    assert.match(error.message, expected);
    assertExcludes(error.message, target.wsPath);
  }
});

Deno.test("majorMinor() and the pin agree: the client version is deno.json's", async () => {
  const deno = JSON.parse(
    await Deno.readTextFile(new URL("../../deno.json", import.meta.url)),
  );
  assert.equal(
    deno.imports["playwright-core"],
    `npm:playwright-core@${CLIENT_VERSION}`,
  );
  assert.equal(majorMinor("1.61.1"), "1.61");
});

Deno.test("the docs name only the pinned playwright-core version", async () => {
  for (const doc of ["../../README.md", "../../docs/CONTEXT.md"]) {
    const text = await Deno.readTextFile(new URL(doc, import.meta.url));
    const named = [...text.matchAll(/playwright-core@(\d+\.\d+\.\d+)/g)].map(
      (m) => m[1],
    );
    for (const version of named) assert.equal(version, CLIENT_VERSION, doc);
    assert.ok(text.includes(CLIENT_VERSION), `${doc} names ${CLIENT_VERSION}`);
  }
});
