import { assert } from "@test/assert";
import { runProcess } from "./run.ts";

Deno.test("runProcess() caps stdout and marks it truncated", async () => {
  const r = await runProcess("sh", ["-c", "head -c 100000 /dev/zero"], {
    maxOutputBytes: 10,
  });
  assert.equal(r.code, 0);
  assert.equal(r.stdout.length, 10);
  assert.equal(r.truncated, true);
});

Deno.test("runProcess() passes stdin and returns the exit code", async () => {
  const r = await runProcess("sh", ["-c", "cat; exit 7"], {
    stdin: new TextEncoder().encode("hi"),
  });
  assert.equal(r.code, 7);
  assert.equal(new TextDecoder().decode(r.stdout), "hi");
  assert.equal(r.truncated, false);
});

Deno.test("runProcess() kills the process on abort without waiting for pipes held elsewhere", async () => {
  const pidFile = await Deno.makeTempFile();
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 300);
  // A grandchild keeps stdout open, as an ssh multiplexing master would.
  const r = await runProcess("sh", [
    "-c",
    `sh -c 'echo $$ > ${pidFile}; exec sleep 30' & exec sleep 30`,
  ], {
    signal: controller.signal,
  });
  assert.equal(r.aborted, true);
  const pid = Number((await Deno.readTextFile(pidFile)).trim());
  // Returned while the holder of the pipe is still alive.
  Deno.kill(pid, "SIGKILL");
});

Deno.test("runProcess() gives the child only the env it is passed, never this process's", async () => {
  const env = Deno.env.toObject();
  // Negative control: this process does have variables a child would inherit.
  assert.ok(Object.keys(env).length > 0);
  const r = await runProcess("/usr/bin/env", [], { env: { ONLY: "this" } });
  assert.equal(new TextDecoder().decode(r.stdout), "ONLY=this\n");
  const none = await runProcess("/usr/bin/env", []);
  assert.equal(new TextDecoder().decode(none.stdout), "");
});
