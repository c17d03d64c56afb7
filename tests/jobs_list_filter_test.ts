/**
 * `jobs list --target` is a filter on the jobs' metadata, not the command's
 * target: a name the config no longer has is still listed (here it gets as
 * far as asking Hatchet, which is not there: exit 3). Negative control: the
 * same name as `jobs enqueue --target` chooses a target and is refused
 * (exit 2) before Hatchet is asked.
 * @module
 */
import { assert, assertIncludes } from "@test/assert";
import { runCli } from "./_cli.ts";

const dir = await Deno.makeTempDir({ prefix: "wa-list-filter-" });
const config = `${dir}/config.json`;
await Deno.writeTextFile(
  config,
  JSON.stringify({
    targets: {
      a: { windows: { ssh_host: "10.0.0.1" } },
      b: { windows: { ssh_host: "10.0.0.2" } },
    },
    hatchet: {
      grpc_address: "127.0.0.1:1",
      http_url: "http://127.0.0.1:1",
      tls_strategy: "none",
    },
  }),
);
const b64url = (value: unknown) =>
  btoa(JSON.stringify(value)).replace(/=+$/, "").replace(/\+/g, "-")
    .replace(/\//g, "_");
/** A token of the right shape for an engine that is not there. */
const TOKEN = [
  b64url({ alg: "HS256", typ: "JWT" }),
  b64url({
    sub: "707d0855-80ab-4e1f-a156-f1c4546cbf52",
    server_url: "http://127.0.0.1:1",
    grpc_broadcast_address: "127.0.0.1:1",
  }),
  "c2ln",
].join(".");
const env = {
  WIN_AUTOMATION_HATCHET_TOKEN: TOKEN,
  WIN_AUTOMATION_STATE_DIR: `${dir}/state`,
};

Deno.test("jobs list --target filters on any name; jobs enqueue --target refuses an unknown one", async () => {
  const list = await runCli(
    ["--config", config, "jobs", "list", "--target", "gone"],
    env,
  );
  assert.equal(list.code, 3, list.stderr);
  assertIncludes(
    list.stderr,
    "Cannot list jobs: Hatchet at 127.0.0.1:1 is unreachable",
  );
  assert.ok(!list.stderr.includes("unknown target"), list.stderr);

  const enqueue = await runCli(
    [
      "--config",
      config,
      "jobs",
      "enqueue",
      "--target",
      "gone",
      "--type",
      "windows.exec",
      "--cmd",
      "x",
    ],
    env,
  );
  assert.equal(enqueue.code, 2, enqueue.stderr);
  assertIncludes(enqueue.stderr, 'unknown target "gone"');
});
