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

async function handlersWith(runner: ProcessRunner, dir: string) {
  const config = await loadConfig({
    env: {
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
