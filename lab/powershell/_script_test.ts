import assert from "node:assert/strict";
import { Unsupported } from "../windows/mod.ts";
import { parseRequest, type Pins, scriptKind } from "./_script.ts";
import {
  shippedBodies,
  shippedPins,
  TEST_NONCE,
  v2Stdin,
} from "./_v2_request.ts";

const SAMPLES: Record<string, unknown> = {
  exec: { command: "echo hi", run_id: "run-1" },
  kill: { run_id: "run-1" },
  reboot: { request_id: "req-1", delay_s: 5 },
  version: {},
  firewall_rule: { name: "Aloha-1" },
  firewall_add: { name: "Aloha-1", port: 7887, remote_addresses: ["10.0.0.1"] },
  firewall_repair: {
    name: "Aloha-1",
    port: 7887,
    remote_addresses: ["10.0.0.1"],
  },
  task_run: { name: "WinAutomation-Playwright" },
  port_listening: { port: 7887 },
  desktop: {},
  task_exists: { name: "t" },
  file_size: { path: "C:\\x.txt" },
  playwright_prereq: {},
  playwright_install: {
    ws_path: "s3cret-path-0123456789-ABCDEFGHIJKL",
    port: 9323,
    node_path: "C:\\Program Files\\nodejs\\node.exe",
    channel: "msedge",
    executable_path: "",
    restart: false,
    bind_host: "127.0.0.1",
    allow_from: [],
  },
  root_lock: {},
  acl_check: { path: "C:\\ProgramData\\win-automation" },
  log_follow: {
    path: "C:\\x.log",
    offset: 0,
    marker: "done",
    timeout_ms: 1000,
  },
  artifact_dir: { job_id: "0e5e0a3c-1f7e-4a58-9d2b-5b1f0c6e8a11" },
  aloha_tasks: { server_cmd: "s", client_cmd: "c", user: "u" },
  run_start: { command: "echo hi", run_id: "r1" },
  run_follow: {
    run_id: "r1",
    stdout_offset: 0,
    stderr_offset: 12,
    wait_ms: 1000,
    timeout_ms: 0,
  },
  run_list: {},
  run_gc: { days: 7, dry_run: true },
};

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

Deno.test("parseRequest() reads every kind the tool ships, with its pinned body", () => {
  const pins = shippedPins();
  for (const kind of Object.keys(shippedBodies())) {
    const input = SAMPLES[kind];
    assert.ok(input !== undefined, `no sample for kind ${kind}`);
    const parsed = parseRequest(text(v2Stdin(kind, input)), pins);
    assert.deepEqual(
      { kind: parsed.kind, input: parsed.input, nonce: parsed.nonce },
      { kind, input, nonce: TEST_NONCE },
    );
    assert.equal(scriptKind(parsed.script), kind);
  }
});

Deno.test("parseRequest() rejects unknown fields, bad values, unpinned bodies and bad framing", () => {
  const pins = shippedPins();
  const unpinned: Pins = {
    ...pins,
    bodies: { ...pins.bodies, version: "TODO" },
  };
  const bad: [string, Pins][] = [
    [text(v2Stdin("exec", { command: "x", run_id: "a b" })), pins],
    [text(v2Stdin("port_listening", { port: 70000 })), pins],
    [text(v2Stdin("version", { extra: 1 })), pins],
    ...[
      { bind_host: "localhost", allow_from: [] },
      { bind_host: "0.0.0.0", allow_from: "10.0.0.1" },
      { bind_host: "0.0.0.0", allow_from: [""] },
    ].map((
      bind,
    ) =>
      [
        text(v2Stdin("playwright_install", {
          ...(SAMPLES.playwright_install as object),
          ...bind,
        })),
        pins,
      ] as [string, Pins]
    ),
    [text(v2Stdin("version", {}, { body: "changed" })), pins],
    [text(v2Stdin("version", {})), unpinned],
    [text(v2Stdin("version", {}, { nonce: "0123" })), pins],
    [text(v2Stdin("version", {})).replace("\n", "\r\n"), pins],
    [text(v2Stdin("version", {})) + "\n", pins],
    ["# something else\n", pins],
  ];
  for (const [stdin, p] of bad) {
    assert.throws(() => parseRequest(stdin, p), Unsupported, stdin);
  }
});
