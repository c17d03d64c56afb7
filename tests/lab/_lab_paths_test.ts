import assert from "node:assert/strict";
import {
  alohaStartCommand,
  envExports,
  labDir,
  labPaths,
  shellQuote,
} from "./_lab_paths.ts";

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
