/**
 * A Hatchet worker for the routing test's retry check: it serves the target
 * `ROUTE_TARGET` (the label `target.<name>`, as `worker --target` registers
 * it) with one task, `test.routing-retry`, declared with the job tasks' own
 * options but without the backoff: on Hatchet-lite v0.105.0 a retry with a
 * backoff is queued and never assigned (see docs/CONTEXT.md, "Fleet
 * routing"). Its attempts 0 and 1 fail, attempt 2 completes; each attempt
 * logs `msg="attempt" target=<name> job_id=<id> attempt=<n>` on stderr.
 * Stops on SIGTERM.
 * @module
 */
// deno-lint-ignore-file no-console
import { loadConfig } from "../lib/config/mod.ts";
import {
  connectHatchet,
  taskOptions,
  workerLabels,
} from "../lib/hatchet/mod.ts";
import { Logger } from "../lib/log/mod.ts";

const env = Deno.env.toObject();
const target = env.ROUTE_TARGET!;
const config = await loadConfig({ env });
const hatchet = await connectHatchet(
  config,
  new Logger({ write: (l) => console.error(l) }),
  "test",
);
const { backoff: _backoff, ...options } = taskOptions(config);
const task = hatchet.task({
  name: "test.routing-retry",
  ...options,
  retries: 2,
  fn: (_input, ctx) => {
    const attempt = ctx.retryCount();
    console.error(
      `msg="attempt" target=${target} job_id=${ctx.workflowRunId()} attempt=${attempt}`,
    );
    if (attempt < 2) throw new Error(`attempt ${attempt} fails on purpose`);
    return Promise.resolve({ target });
  },
});
const worker = await hatchet.worker(`test-routing-${target}`, {
  slots: 5,
  workflows: [task],
  labels: workerLabels([target], "test"),
  handleKill: false,
});
const done = worker.start();
await worker.waitUntilReady(30_000);
console.error(`msg="worker ready" target=${target}`);
Deno.addSignalListener("SIGTERM", async () => {
  await worker.stop();
  Deno.exit(0);
});
await done;
