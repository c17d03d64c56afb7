import { assert } from "@test/assert";
import { BOOTSTRAP } from "./_bootstrap.ts";
import { buildRequest, REMOTE_COMMAND, scriptText } from "./envelope.ts";
import { RUNNER, SCRIPT_BODIES } from "./scripts.ts";

function decodeUtf16le(b64: string): string {
  const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  let s = "";
  for (let i = 0; i < bytes.length; i += 2) {
    s += String.fromCharCode(bytes[i]! | (bytes[i + 1]! << 8));
  }
  return s;
}

function decodeUtf8Base64(b64: string): string {
  return new TextDecoder().decode(
    Uint8Array.from(atob(b64), (c) => c.charCodeAt(0)),
  );
}

Deno.test("REMOTE_COMMAND carries only the fixed bootstrap, as -EncodedCommand", () => {
  const b64 = REMOTE_COMMAND.split(" ").pop()!;
  assert.equal(decodeUtf16le(b64), BOOTSTRAP);
  assert.ok(
    REMOTE_COMMAND.startsWith("powershell -NoLogo -NoProfile -NonInteractive"),
  );
});

Deno.test("buildRequest() sends the script and its data as two separate base64 lines", () => {
  const command = `echo 'it''s' "x" \n'@\nexit 9 $env:PATH é`;
  const request = buildRequest("exec", { command, run_id: "r1" }, {
    nonce: "0123456789abcdef0123456789abcdef",
  });
  const lines = new TextDecoder().decode(request.stdin).split("\n");
  assert.equal(lines.length, 3);
  assert.equal(lines[2], "");
  assert.equal(decodeUtf8Base64(lines[0]!), scriptText("exec"));
  assert.deepEqual(JSON.parse(decodeUtf8Base64(lines[1]!)), {
    nonce: "0123456789abcdef0123456789abcdef",
    input: { command, run_id: "r1" },
  });
});

Deno.test("scriptText() holds no data: the compiled text never contains an input or a secret", () => {
  const secret = "ws-secret-Zq9xY7wV6uT5sR4qP3oN2mL1";
  const request = buildRequest("playwright_install", {
    ws_path: secret,
    port: 9323,
    node_path: "C:\\node.exe",
    channel: "msedge",
    executable_path: "",
    restart: false,
    bind_host: "127.0.0.1",
    allow_from: [],
  });
  const [scriptLine, dataLine] = new TextDecoder().decode(request.stdin).split(
    "\n",
  );
  assert.ok(!decodeUtf8Base64(scriptLine!).includes(secret));
  assert.ok(decodeUtf8Base64(dataLine!).includes(secret)); // negative control
  assert.ok(!REMOTE_COMMAND.includes(secret));
  assert.ok(!BOOTSTRAP.includes(secret));
});

Deno.test("buildRequest() uses a fresh 32-hex nonce per run and refuses a malformed one", () => {
  const a = buildRequest("version", {});
  const b = buildRequest("version", {});
  assert.match(a.nonce, /^[0-9a-f]{32}$/);
  assert.notEqual(a.nonce, b.nonce);
  assert.throws(() => buildRequest("version", {}, { nonce: "x" }), RangeError);
});

Deno.test("no body calls exit: the in-band trailer must always be written", () => {
  for (const [kind, body] of Object.entries(SCRIPT_BODIES)) {
    // run_start carries the runner's text as data in a here-string: the
    // runner is a program of its own (-File), whose exit sets its status.
    const code = body.replace(/\n\$WaRunner = @'\n[\s\S]*?\n'@\n/, "\n");
    assert.ok(!/(^|[\s;{}])exit(\s|$)/m.test(code), `${kind} calls exit`);
  }
  assert.ok(SCRIPT_BODIES.run_start.includes(RUNNER)); // what was cut is the runner
  assert.ok(/(^|[\s;{}])exit(\s|$)/m.test("if ($x) { exit 1 }")); // control
});
