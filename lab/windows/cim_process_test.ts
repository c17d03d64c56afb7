import assert from "node:assert/strict";
import { cimCreateProcess } from "./cim_process.ts";
import { Unsupported } from "./errors.ts";

Deno.test("cimCreateProcess() refuses a Create without CREATE_BREAKAWAY_FROM_JOB (the provider host's job is not modeled)", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await assert.rejects(
      () =>
        cimCreateProcess(dir, {
          commandLine: "powershell.exe -File x.ps1",
          currentDirectory: "C:\\",
          createFlags: 0,
        }),
      Unsupported,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
