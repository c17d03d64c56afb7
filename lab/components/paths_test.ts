import assert from "node:assert/strict";
import { listeningPorts, writeJson } from "../linux/mod.ts";
import {
  alohaStartCommand,
  envExports,
  labDir,
  labPaths,
  labPorts,
  shellQuote,
} from "./paths.ts";

Deno.test("labDir() is a short per-checkout directory under TMPDIR", () => {
  assert.match(labDir(), /^\/.*\/wa-lab-[0-9a-f]{10}$/);
  assert.equal(labDir(), labDir());
});

Deno.test("envExports() output survives eval in bash", async () => {
  const paths = labPaths("/tmp/wa-lab-0123456789");
  const env = {
    WIN_AUTOMATION_ALOHA_SERVER_START_CMD: alohaStartCommand(
      "aloha-server",
      1234,
    ),
    WIN_AUTOMATION_ALOHA_CLIENT_LOG_PATH: "C:\\aloha\\client.log",
    PATH: "ignored",
  };
  const script = envExports(env, paths) +
    'printf "%s\\n" "$WIN_AUTOMATION_ALOHA_SERVER_START_CMD" "$WIN_AUTOMATION_ALOHA_CLIENT_LOG_PATH" "${PATH%%:*}"';
  const output = await new Deno.Command("bash", { args: ["-c", script] })
    .output();
  assert.equal(
    new TextDecoder().decode(output.stdout),
    [
      "Start-Process -FilePath aloha-server -ArgumentList '--port','1234' " +
      "-RedirectStandardError 'C:\\aloha\\server.log' -WindowStyle Hidden",
      "C:\\aloha\\client.log",
      "/tmp/wa-lab-0123456789/bin",
      "",
    ].join("\n"),
  );
});

Deno.test("shellQuote() escapes single quotes", () => {
  assert.equal(shellQuote("it's"), `'it'\\''s'`);
});

Deno.test("labPorts() adds Hatchet's and the pages' ports to an older ports.json and keeps its ports", async () => {
  const dir = await Deno.makeTempDir({ prefix: "wa-lab-ports-" });
  try {
    const paths = labPaths(dir);
    const old = {
      ssh: 40001,
      aloha_server: 40002,
      aloha_client: 40003,
      playwright: 40004,
    };
    await writeJson(paths.ports, old);
    const busy = listeningPorts();
    const ports = await labPorts(paths);
    assert.deepEqual({ ...ports, ...old }, ports);
    const preferred = {
      hatchet_http: 8888,
      hatchet_grpc: 7077,
      hatchet_health: 8733,
    };
    for (const [key, port] of Object.entries(preferred)) {
      const got = ports[key as keyof typeof preferred];
      if (busy.has(port)) assert.notEqual(got, port, key);
    }
    const all = Object.values(ports);
    assert.equal(new Set(all).size, all.length);
    assert.equal(all.length, 10);
    assert.deepEqual(await labPorts(paths), ports);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
