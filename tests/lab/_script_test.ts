import assert from "node:assert/strict";
import {
  buildScript,
  type ScriptInputs,
  type ScriptKind,
} from "../../lib/powershell/mod.ts";
import { parseScript, scriptKind } from "./_script.ts";
import { Unsupported } from "./_errors.ts";

const SAMPLES: { [K in ScriptKind]: ScriptInputs[K] } = {
  exec: { command: "echo hi", run_id: "run-1" },
  kill: { run_id: "run-1" },
  version: {},
  firewall_rule: { name: "Aloha-1" },
  firewall_add: { name: "Aloha-1", port: 7887 },
  firewall_repair: { name: "Aloha-1", port: 7887 },
  task_run: { name: "WinAutomation-Playwright" },
  port_listening: { port: 7887 },
  desktop: {},
  task_exists: { name: "t" },
  file_size: { path: "C:\\x.txt" },
  playwright_prereq: {},
  playwright_install: {
    ws_path: "s3cret-path-0123456789",
    port: 9323,
    node_path: "C:\\Program Files\\nodejs\\node.exe",
    channel: "msedge",
    executable_path: "",
    restart: false,
  },
  log_follow: {
    path: "C:\\x.log",
    offset: 0,
    marker: "done",
    timeout_ms: 1000,
  },
  artifact_dir: { job_id: "0e5e0a3c-1f7e-4a58-9d2b-5b1f0c6e8a11" },
};

Deno.test("parseScript() reads every kind the tool builds", () => {
  for (const [kind, input] of Object.entries(SAMPLES)) {
    const script = buildScript(kind as ScriptKind, input as never);
    assert.equal(scriptKind(script), kind);
    assert.deepEqual(parseScript(script), { kind, input });
  }
});

Deno.test("parseScript() rejects unknown fields, bad values and broken envelopes", () => {
  const bad = [
    buildScript("exec", { command: "x", run_id: "a b" }),
    buildScript("port_listening", { port: 70000 }),
    buildScript("playwright_install", {
      ...SAMPLES.playwright_install,
      restart: "yes" as never,
    }),
    buildScript("version", {}).replace("{}", '{"extra":1}'),
    buildScript("version", {}).replace("$in = @'", '$in = @"'),
    buildScript("version", {}).replace("{}", "{oops"),
    "# something else\n",
  ];
  for (const script of bad) {
    assert.throws(() => parseScript(script), Unsupported, script);
  }
});
