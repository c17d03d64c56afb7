/**
 * The worker's hold on the desktop across a cancellation, with Windows and
 * Aloha faked at their edges (the ssh process runner and fetch): Aloha's
 * `/stop` is a request, and the task ends a moment later, when its client
 * logs `process_input thread finished.`.
 * @module
 */
import { assert } from "@test/assert";
import { AlohaClient } from "../lib/aloha/mod.ts";
import { loadConfig } from "../lib/config/mod.ts";
import { Logger } from "../lib/log/mod.ts";
import { JobMetrics } from "../lib/metrics/mod.ts";
import type { ProcessRunner } from "../lib/process/mod.ts";
import { SshClient } from "../lib/ssh/mod.ts";
import { createHandlers } from "../lib/worker/mod.ts";
import { decodeRequest, frameAnswer } from "./_fake_windows.ts";

const FINISHED = "process_input thread finished.";
/** How long after `/stop` the fake task really ends. */
const STOP_LAG_MS = 400;

/** One Aloha client with its log on one fake Windows host. */
function fakeDesktop() {
  let log = "";
  let running: { ends: ReturnType<typeof setTimeout> | undefined } | null =
    null;
  const events: string[] = [];
  const finish = () => {
    log += `${FINISHED}\n`;
    running = null;
    events.push("task ended");
  };
  const json = (status: number, body: unknown) =>
    new Response(JSON.stringify(body), { status });
  const fetch = (input: string | URL | Request, init?: RequestInit) => {
    const url = String(input instanceof Request ? input.url : input);
    const method = init?.method ?? "GET";
    if (method === "POST" && url.endsWith("/run_task")) {
      if (running) {
        events.push("run_task refused: busy");
        return Promise.resolve(
          json(409, { status: "error", message: "A task is already running" }),
        );
      }
      const body = JSON.parse(String(init?.body ?? "{}"));
      running = { ends: undefined };
      log += "process_input thread started.\n";
      events.push(`task started: ${body.task}`);
      if (body.task.startsWith("short")) {
        running.ends = setTimeout(finish, 50);
      }
      return Promise.resolve(
        json(200, { status: "success", message: "Task started" }),
      );
    }
    if (method === "POST" && url.endsWith("/stop")) {
      if (!running) {
        return Promise.resolve(
          json(400, { status: "error", message: "No active task to stop" }),
        );
      }
      events.push("stop asked");
      clearTimeout(running.ends);
      setTimeout(finish, STOP_LAG_MS);
      return Promise.resolve(
        json(200, { status: "success", message: "Stop signal sent" }),
      );
    }
    return Promise.resolve(new Response("", { status: 404 }));
  };
  const ok = (stdout: Uint8Array) => ({
    code: 0,
    stdout,
    stderr: new Uint8Array(),
    truncated: false,
    aborted: false,
  });
  const runner: ProcessRunner = async (_cmd, _args, options = {}) => {
    if (!options.stdin || options.stdin.length === 0) {
      return ok(new Uint8Array());
    }
    const req = decodeRequest(options.stdin);
    if (req.kind === "file_size") {
      return ok(frameAnswer(
        req.nonce,
        JSON.stringify({ exists: true, directory: false, size: log.length }),
      ));
    }
    if (req.kind === "log_follow") {
      const { offset, marker, timeout_ms } = req.input as {
        offset: number;
        marker: string;
        timeout_ms: number;
      };
      const deadline = Date.now() + timeout_ms;
      for (;;) {
        const text = log.slice(offset);
        if (text.includes(marker)) return ok(frameAnswer(req.nonce, text));
        if (options.signal?.aborted) {
          return { ...ok(new Uint8Array()), code: 143, aborted: true };
        }
        if (Date.now() > deadline) {
          return ok(frameAnswer(req.nonce, text, 124));
        }
        await new Promise((r) => setTimeout(r, 20));
      }
    }
    throw new Error(`fake windows: unexpected kind ${req.kind}`);
  };
  return { fetch, runner, events, isRunning: () => running !== null };
}

async function handlerSet(
  desktop: ReturnType<typeof fakeDesktop>,
  dir: string,
) {
  const config = await loadConfig({
    env: {
      WIN_AUTOMATION_STATE_DIR: `${dir}/s`,
      WIN_AUTOMATION_ARTIFACT_OUT: `${dir}/a`,
      WIN_AUTOMATION_ALOHA_CLIENT_LOG_PATH: "C:\\aloha\\client.log",
      WIN_AUTOMATION_HATCHET_RETRY_MAX: "0",
    },
  });
  const logger = new Logger({ silent: true });
  return createHandlers({
    config,
    logger,
    metrics: new JobMetrics(),
    ssh: new SshClient({
      host: "h",
      port: 22,
      user: "u",
      identityFile: "",
      connectTimeoutMs: 1000,
      stateDir: `${dir}/s`,
    }, { runner: desktop.runner, retryDelaysMs: [] }),
    aloha: new AlohaClient({
      serverUrl: "http://127.0.0.1:1",
      clientUrl: "http://127.0.0.1:1",
      timeoutMs: 5000,
      http: { fetch: desktop.fetch, retryDelaysMs: [] },
    }),
    inflight: new Set(),
  });
}

function job(task: string) {
  const controller = new AbortController();
  return {
    input: {
      task,
      trace_id: "t",
      host: "h:22",
      idempotency_key: crypto.randomUUID(),
    },
    ctx: { jobId: crypto.randomUUID(), attempt: 0, signal: controller.signal },
    controller,
  };
}

async function until(what: string, ok: () => boolean) {
  const deadline = Date.now() + 5000;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`never: ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** A runs until it is cancelled; B is queued the moment A is cancelled (as the engine frees its group lock then). */
async function cancelThenNext(sameWorker: boolean) {
  const dir = await Deno.makeTempDir();
  try {
    const desktop = fakeDesktop();
    const first = await handlerSet(desktop, dir);
    const second = sameWorker ? first : await handlerSet(desktop, dir);
    const a = job("long");
    const aDone = first.alohaRun(a.input, a.ctx).then(
      () => "completed",
      (e: Error) => `failed: ${e.message}`,
    );
    await until("A's task runs", desktop.isRunning);
    a.controller.abort(new Error("cancelled by jobs cancel"));
    const b = job("short");
    const bDone = second.alohaRun(b.input, b.ctx).then(
      (r) => `completed ${(r as { state: string }).state}`,
      (e: Error) => `failed: ${e.message}`,
    );
    const aEnd = await aDone;
    const bEnd = await bDone;
    return { aEnd, bEnd, events: desktop.events };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("after a cancellation the worker holds the desktop until Aloha's task really ended: the next aloha.run waits, then completes", async () => {
  const { aEnd, bEnd, events } = await cancelThenNext(true);
  assert.match(aEnd, /^failed: cancelled/);
  assert.equal(bEnd, "completed completed", events.join(" | "));
  // B's task was sent only once A's had really ended, never refused.
  assert.deepEqual(events, [
    "task started: long",
    "stop asked",
    "task ended",
    "task started: short",
    "task ended",
  ]);
});

Deno.test("negative control: without a shared hold (two workers on one desktop) the next aloha.run meets 409 busy", async () => {
  const { bEnd, events } = await cancelThenNext(false);
  assert.match(
    bEnd,
    /^failed: Cannot start Aloha task: a task is already running/,
  );
  assert.ok(events.includes("run_task refused: busy"), events.join(" | "));
});
