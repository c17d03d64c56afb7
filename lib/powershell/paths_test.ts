import { assert } from "@test/assert";
import {
  PLAYWRIGHT_DIR,
  RUN_DIR,
  scpPath,
  WINDOWS_ARTIFACT_DIR,
  WINDOWS_ROOT,
} from "./paths.ts";

Deno.test("the Windows folders sit under the root, in backslash form", () => {
  assert.equal(WINDOWS_ROOT, "C:\\ProgramData\\win-automation");
  for (const dir of [RUN_DIR, WINDOWS_ARTIFACT_DIR, PLAYWRIGHT_DIR]) {
    assert.ok(dir.startsWith(`${WINDOWS_ROOT}\\`), dir);
    assert.ok(!dir.includes("/"), dir);
  }
});

Deno.test("scpPath() gives scp's forward-slash form, with parts joined below", () => {
  assert.equal(
    scpPath(WINDOWS_ARTIFACT_DIR, "j1", "ssh/stdout.txt"),
    "C:/ProgramData/win-automation/artifacts/j1/ssh/stdout.txt",
  );
  assert.equal(
    scpPath(PLAYWRIGHT_DIR, ""),
    "C:/ProgramData/win-automation/playwright/",
  );
});
