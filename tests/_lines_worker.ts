/**
 * A Hatchet worker for the `jobs logs --follow` test: one task whose body
 * sends its lines through lib/worker's own path (jobContextOf, jobLinesOf:
 * the SDK's task log, redacted, numbered), writing "first", sleeping
 * `LINES_SLEEP_MS`, then "second" and lines holding the Playwright ws path and
 * the token in base64 (which must arrive redacted). Once ready it enqueues one run and prints
 * `job_id=<id>` on stdout. Stops on SIGTERM.
 * @module
 */
// deno-lint-ignore-file no-console
import { loadConfig, secretsOf } from "../lib/config/mod.ts";
import { connectHatchet } from "../lib/hatchet/mod.ts";
import { Logger } from "../lib/log/mod.ts";
import { jobContextOf, jobLinesOf } from "../lib/worker/mod.ts";

const env = Deno.env.toObject();
const config = await loadConfig({ env });
const logger = new Logger({
  write: (l) => console.error(l),
  secrets: secretsOf(config),
});
const hatchet = await connectHatchet(config, logger, "test");
const sleepMs = Number(env.LINES_SLEEP_MS ?? "4000");
const task = hatchet.task({
  name: `test.lines`,
  executionTimeout: "60s",
  retries: 0,
  fn: async (_input, ctx) => {
    const lines = jobLinesOf(jobContextOf(ctx), {
      logger,
      redactor: logger.redactor,
    });
    lines.line("stdout", "first");
    await lines.flush();
    console.error(`msg="first sent" t=${Date.now()}`);
    await new Promise((r) => setTimeout(r, sleepMs));
    lines.line("stdout", "second");
    lines.line("stderr", `ws ${env.WIN_AUTOMATION_PLAYWRIGHT_WS_PATH}`);
    lines.line("stderr", `token ${btoa(env.WIN_AUTOMATION_HATCHET_TOKEN!)}`);
    await lines.flush();
    console.error(`msg="body done" t=${Date.now()}`);
    return { ok: true };
  },
});
const worker = await hatchet.worker("test-lines", {
  slots: 1,
  workflows: [task],
  handleKill: false,
});
const done = worker.start();
await worker.waitUntilReady(30_000);
console.error('msg="worker ready"');
const ref = await hatchet.runNoWait(task, {});
console.log(`job_id=${await ref.getWorkflowRunId()}`);
Deno.addSignalListener("SIGTERM", async () => {
  await worker.stop();
  Deno.exit(0);
});
await done;
