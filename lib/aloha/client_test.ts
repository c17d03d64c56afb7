import { assert, rejects } from "@test/assert";
import { DependencyError, TimeoutError } from "../errors/mod.ts";
import { AlohaClient } from "./client.ts";

type Step =
  | "refused"
  | "reset"
  | "timeout"
  | number
  | { status: number; body: string };

/** A fetch that answers each call with the next step and records calls. */
function fakeFetch(steps: Step[]) {
  const calls: string[] = [];
  const fn = ((url: string | URL | Request, init?: RequestInit) => {
    calls.push(`${init?.method ?? "GET"} ${url}`);
    const step = steps.shift() ?? 200;
    if (step === "refused") {
      return Promise.reject(
        new TypeError("fetch failed", {
          cause: new Error(
            "error sending request for url (http://w/run_task): client error (Connect): tcp connect error: Connection refused (os error 111)",
          ),
        }),
      );
    }
    if (step === "reset") {
      return Promise.reject(
        new TypeError("fetch failed", {
          cause: new Error(
            "client error (SendRequest): connection closed before message completed",
          ),
        }),
      );
    }
    if (step === "timeout") {
      return Promise.reject(
        new DOMException("Signal timed out.", "TimeoutError"),
      );
    }
    const { status, body } = typeof step === "number"
      ? { status: step, body: '{"status":"success","message":"Task started"}' }
      : step;
    return Promise.resolve(new Response(body, { status }));
  }) as typeof fetch;
  return { fn, calls };
}

const client = (fetch: typeof globalThis.fetch) =>
  new AlohaClient({
    serverUrl: "http://w:7887",
    clientUrl: "http://w:7888",
    timeoutMs: 1000,
    http: { fetch, sleep: () => Promise.resolve() },
  });

Deno.test("runTask() retries POST /run_task when the connection was refused before sending", async () => {
  const f = fakeFetch(["refused", "refused", 200]);
  const answer = await client(f.fn).runTask({ task: "open notepad" });
  assert.equal(answer.status, "success");
  assert.equal(f.calls.length, 3);
});

Deno.test("runTask() never sends POST /run_task twice after a timeout, a reset or a 503", async () => {
  for (
    const [step, kind] of [
      ["timeout", TimeoutError],
      ["reset", DependencyError],
      [503, DependencyError],
    ] as const
  ) {
    const f = fakeFetch([step, 200, 200]);
    const error = await rejects(() =>
      client(f.fn).runTask({ task: "open notepad" })
    );
    assert.ok(error instanceof kind, `${step}: ${error}`);
    assert.match((error as Error).message, /not retried/);
    assert.deepEqual(f.calls, ["POST http://w:7888/run_task"], String(step));
  }
});

Deno.test("negative control: an idempotent GET is retried after a reset", async () => {
  const f = fakeFetch(["reset", 200]);
  assert.equal(await client(f.fn).clientReachable(), 200);
  assert.equal(f.calls.length, 2);
});

Deno.test("an answer larger than 1 MiB is refused with one line, not read into memory", async () => {
  const big = "x".repeat(1024 * 1024 + 1);
  const f = fakeFetch([{ status: 200, body: big }]);
  const error = await rejects(() => client(f.fn).serverHealth());
  assert.ok(error instanceof DependencyError);
  assert.match(
    (error as Error).message,
    /^Cannot read Aloha server's answer from http:\/\/w:7887\/: answer larger than 1048576 bytes/,
  );
  assert.ok(!(error as Error).message.includes("\n"));
  assert.equal(f.calls.length, 1);
  // negative control: exactly 1 MiB is read
  const ok = fakeFetch([{
    status: 200,
    body: "Aloha API server is running".padEnd(1024 * 1024, " "),
  }]);
  await client(ok.fn).serverHealth();
});
