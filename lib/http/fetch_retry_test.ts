import { assert, rejects } from "@test/assert";
import { DependencyError } from "../errors/mod.ts";
import { httpRequest } from "./fetch_retry.ts";

function fakeFetch(answers: Array<number | "network">) {
  const calls: string[] = [];
  const fn = ((url: string | URL | Request) => {
    calls.push(String(url));
    const next = answers.shift() ?? 200;
    if (next === "network") {
      return Promise.reject(
        new TypeError("error sending request: connection refused"),
      );
    }
    return Promise.resolve(new Response(`status ${next}`, { status: next }));
  }) as typeof fetch;
  return { fn, calls };
}

const base = {
  timeoutMs: 1000,
  what: "test server",
  sleep: () => Promise.resolve(),
};

Deno.test("httpRequest() retries 502/503/504 and network errors, then succeeds", async () => {
  const f = fakeFetch([502, "network", 504, 200]);
  const answer = await httpRequest("http://x/", { ...base, fetch: f.fn });
  assert.equal(answer.status, 200);
  assert.equal(f.calls.length, 4);
});

Deno.test("httpRequest() never retries a 4xx or a 500", async () => {
  for (const status of [400, 404, 409, 500]) {
    const f = fakeFetch([status, 200]);
    const answer = await httpRequest("http://x/", { ...base, fetch: f.fn });
    assert.equal(answer.status, status);
    assert.equal(f.calls.length, 1);
  }
});

Deno.test("httpRequest() gives up after 3 retries with a DependencyError (exit 3)", async () => {
  const f = fakeFetch(["network", "network", "network", "network", 200]);
  const error = await rejects(() =>
    httpRequest("http://x/", { ...base, fetch: f.fn })
  );
  assert.ok(error instanceof DependencyError);
  assert.equal(f.calls.length, 4);
});
