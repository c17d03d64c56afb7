import { assert } from "@test/assert";
import { BOOTSTRAP } from "./_bootstrap.ts";
import { buildScript, encodeStdin, REMOTE_COMMAND } from "./envelope.ts";

function decodeUtf16le(b64: string): string {
  const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  let s = "";
  for (let i = 0; i < bytes.length; i += 2) {
    s += String.fromCharCode(bytes[i]! | (bytes[i + 1]! << 8));
  }
  return s;
}

Deno.test("REMOTE_COMMAND carries only the fixed bootstrap, as -EncodedCommand", () => {
  const b64 = REMOTE_COMMAND.split(" ").pop()!;
  assert.equal(decodeUtf16le(b64), BOOTSTRAP);
  assert.ok(
    REMOTE_COMMAND.startsWith("powershell -NoLogo -NoProfile -NonInteractive"),
  );
});

Deno.test("buildScript() puts the input as one JSON line in a here-string, quoting-proof", () => {
  const command = `echo 'it''s' "x" \n'@\nexit 9 $env:PATH`;
  const script = buildScript("exec", { command, run_id: "r1" });
  const lines = script.split("\n");
  assert.equal(lines[0], "# win-automation script: exec v1");
  assert.equal(lines[1], "$in = @'");
  assert.deepEqual(JSON.parse(lines[2]!), { command, run_id: "r1" });
  assert.equal(lines[3], "'@ | ConvertFrom-Json");
});

Deno.test("encodeStdin() is base64 of the UTF-8 script, so secrets never reach argv", () => {
  const script = buildScript("file_size", { path: "C:\\é\\secret-value" });
  const b64 = new TextDecoder().decode(encodeStdin(script)).trim();
  const back = new TextDecoder().decode(
    Uint8Array.from(atob(b64), (c) => c.charCodeAt(0)),
  );
  assert.equal(back, script);
  assert.ok(!REMOTE_COMMAND.includes("secret-value"));
});
