/**
 * A bare Hatchet SDK worker with the labels given as JSON in argv[0], for
 * tests of what reads Hatchet's worker list (`doctor`'s `worker` check,
 * `targets list`). It registers one task of its own that does nothing and
 * runs until SIGTERM. Run with the lab's `WIN_AUTOMATION_HATCHET_*` env.
 * @module
 */
import { HatchetClient } from "@hatchet-dev/typescript-sdk";

const [labelsJson, name] = Deno.args;
const env = (k: string) => Deno.env.get(`WIN_AUTOMATION_HATCHET_${k}`) ?? "";
const hatchet = HatchetClient.init({
  token: env("TOKEN"),
  host_port: env("GRPC_ADDRESS"),
  api_url: env("HTTP_URL"),
  tls_config: { tls_strategy: "none" },
  namespace: env("NAMESPACE") || "default",
  log_level: "ERROR",
});
const noop = hatchet.task({ name: "fleet-test-noop", fn: () => ({}) });
const worker = await hatchet.worker(name!, {
  workflows: [noop],
  labels: JSON.parse(labelsJson!),
  slots: 3,
});
await worker.start();
