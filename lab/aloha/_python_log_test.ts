import assert from "node:assert/strict";
import { pythonLogLine } from "./_python_log.ts";

Deno.test("pythonLogLine() uses Python logging's asctime format", () => {
  const at = new Date(2025, 0, 2, 3, 4, 5, 6);
  assert.equal(
    pythonLogLine("hello", at),
    "2025-01-02 03:04:05,006 - INFO - hello",
  );
});
