/**
 * The engine's floor for the jobs benchmark: a Hatchet worker whose task does
 * nothing, on the same engine, slots and SDK as win-automation's worker, and
 * declared with the same task options (timeout, retries, idempotency key), so
 * the engine does the same work per run.
 * @module
 */
// deno-lint-ignore-file no-console
import { HatchetClient } from "@hatchet-dev/typescript-sdk";
import { loadConfig } from "../../lib/config/mod.ts";
import { taskOptions, workerLabels } from "../../lib/hatchet/mod.ts";

const env = (k: string) => Deno.env.get(k) ?? "";
const hatchet = HatchetClient.init({
  token: env("WIN_AUTOMATION_HATCHET_TOKEN"),
  host_port: env("WIN_AUTOMATION_HATCHET_GRPC_ADDRESS"),
  api_url: env("WIN_AUTOMATION_HATCHET_HTTP_URL"),
  tls_config: { tls_strategy: "none" },
  // The same namespace win-automation uses (config hatchet.namespace).
  namespace: env("WIN_AUTOMATION_HATCHET_NAMESPACE") || "default",
  log_level: "WARN",
});
const config = await loadConfig({ env: Deno.env.toObject() });
const noop = hatchet.task({
  name: "bench.noop",
  ...taskOptions(config),
  fn: () => ({ ok: true }),
});
const worker = await hatchet.worker("bench-noop", {
  slots: Number(env("BENCH_SLOTS") || "5"),
  workflows: [noop],
  // The task asks for target.default (required), as the job tasks do: the
  // no-op worker serves it, or no run would ever reach it.
  labels: workerLabels(["default"], "bench"),
  handleKill: false,
});
const done = worker.start();
await worker.waitUntilReady(30_000);
console.error('msg="worker ready"');
Deno.addSignalListener("SIGTERM", async () => {
  await worker.stop();
  Deno.exit(0);
});
await done;
