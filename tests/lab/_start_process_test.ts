import assert from "node:assert/strict";
import { programName, splitCommandLine } from "./_start_process.ts";

Deno.test("splitCommandLine() splits on spaces and groups double quotes", () => {
  assert.deepEqual(splitCommandLine("--port 5000"), ["--port", "5000"]);
  assert.deepEqual(splitCommandLine('--task "open notepad"  -x'), [
    "--task",
    "open notepad",
    "-x",
  ]);
  assert.deepEqual(splitCommandLine('say \\"hi\\" ""'), ["say", '"hi"', ""]);
  assert.deepEqual(splitCommandLine(""), []);
});

Deno.test("programName() drops .exe and case", () => {
  assert.equal(programName("Aloha-Server.EXE"), "aloha-server");
});
