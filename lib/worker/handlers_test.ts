import { assert } from "@test/assert";
import { AlohaClient } from "../aloha/mod.ts";
import { loadConfig } from "../config/mod.ts";
import { Logger } from "../log/mod.ts";
import { JobMetrics } from "../metrics/mod.ts";
import type { ProcessRunner } from "../process/mod.ts";
import { SshClient } from "../ssh/mod.ts";
import { createHandlers } from "./handlers.ts";

const TOKEN = `tok-${crypto.randomUUID()}`;
const WS = `ws-${crypto.randomUUID()}`;

async function handlersWith(
  runner: ProcessRunner,
  dir: string,
  extraEnv: Record<string, string> = {},
  fetch: typeof globalThis.fetch = () => Promise.reject(new Error("no net")),
) {
  const config = await loadConfig({
    env: {
      ...extraEnv,
      WIN_AUTOMATION_HATCHET_TOKEN: TOKEN,
      WIN_AUTOMATION_PLAYWRIGHT_WS_PATH: WS,
      WIN_AUTOMATION_STATE_DIR: `${dir}/s`,
      WIN_AUTOMATION_ARTIFACT_OUT: `${dir}/a`,
      WIN_AUTOMATION_HATCHET_RETRY_MAX: "0",
    },
  });
  const lines: string[] = [];
  const logger = new Logger({
    write: (l) => lines.push(l),
    secrets: [TOKEN, WS],
  });
  const ssh = new SshClient({
    host: "h",
    port: 22,
    user: "u",
    identityFile: "",
    connectTimeoutMs: 1000,
    stateDir: `${dir}/s`,
  }, { runner, retryDelaysMs: [] });
  const handlers = createHandlers({
    config,
    logger,
    metrics: new JobMetrics(),
    ssh,
    aloha: new AlohaClient({
      serverUrl: "http://127.0.0.1:1",
      clientUrl: "http://127.0.0.1:1",
      timeoutMs: 1000,
      logger,
      http: { fetch, retryDelaysMs: [] },
    }),
    inflight: new Set(),
  });
  return { handlers, lines };
}

const ctx = () => ({
  jobId: crypto.randomUUID(),
  attempt: 0,
  signal: new AbortController().signal,
});

Deno.test("a failing job sends Hatchet its message redacted, with no stack, and redacts its log line", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const leak = `Permission denied (publickey) ${TOKEN} ${btoa(WS)}`;
    const runner: ProcessRunner = () =>
      Promise.resolve({
        code: 255,
        stdout: new Uint8Array(),
        stderr: new TextEncoder().encode(leak),
        truncated: false,
        aborted: false,
      });
    const { handlers, lines } = await handlersWith(runner, dir);
    let thrown: Error | undefined;
    await handlers.windowsExec(
      { cmd: "echo", trace_id: "t1", idempotency_key: "k1" },
      ctx(),
    ).catch(
      (e) => thrown = e,
    );
    assert.ok(thrown, "the job failed");
    const sent = `${thrown.message}\n${thrown.stack}`;
    // Negative control: the failure did carry the secrets to be redacted.
    assert.ok(sent.includes("<redacted>"), sent);
    assert.ok(sent.includes("authentication failed"), sent);
    for (const s of [TOKEN, WS, btoa(WS)]) {
      assert.ok(!sent.includes(s), `sent to Hatchet: ${sent}`);
      assert.ok(!lines.join("\n").includes(s));
    }
    assert.ok(!/\n\s+at\s/.test(sent), `a stack trace: ${sent}`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("an aloha.run job without aloha.client_log_path is refused once, before anything is sent or a root is made; with it set the job does start (negative control)", async () => {
  const dir = await Deno.makeTempDir();
  try {
    let sshCalls = 0;
    let httpCalls = 0;
    const runner: ProcessRunner = () => {
      sshCalls++;
      return Promise.resolve({
        code: 255,
        stdout: new Uint8Array(),
        stderr: new TextEncoder().encode("Connection refused"),
        truncated: false,
        aborted: false,
      });
    };
    const fetch = () => {
      httpCalls++;
      return Promise.reject(new TypeError("connection refused"));
    };
    const input = { task: "open notepad", trace_id: "t1", host: "h:22" };
    const refused = await handlersWith(runner, dir, {}, fetch);
    const job = ctx();
    let thrown: Error | undefined;
    await refused.handlers.alohaRun(
      { ...input, idempotency_key: "k1" },
      job,
    ).catch((e) => thrown = e);
    assert.ok(thrown, "the job failed");
    assert.equal(thrown.name, "NonRetryableError");
    assert.match(
      thrown.message,
      /^config error: aloha\.client_log_path must be set for --wait and for aloha\.run jobs/,
    );
    assert.equal(sshCalls, 0, "no ssh call");
    assert.equal(httpCalls, 0, "nothing sent to Aloha");
    const roots = [];
    for await (const e of Deno.readDir(dir)) roots.push(e.name);
    assert.ok(!roots.includes("a"), `an artifact out_dir was made: ${roots}`);
    assert.ok(
      refused.lines.some((l) =>
        l.includes("job failed") && l.includes(job.jobId)
      ),
      refused.lines.join("\n"),
    );
    // Negative control: the same job with the setting goes on to its work
    // (the root is made and Windows is asked for the log's size).
    const allowed = await handlersWith(runner, dir, {
      WIN_AUTOMATION_ALOHA_CLIENT_LOG_PATH: "C:\\aloha\\client.log",
    }, fetch);
    const job2 = ctx();
    await allowed.handlers.alohaRun({ ...input, idempotency_key: "k2" }, job2)
      .catch(() => {});
    assert.ok(sshCalls > 0, "the allowed job reached Windows");
    await Deno.stat(`${dir}/a/${job2.jobId}/manifest.json`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
