import { assert } from "@test/assert";
import { JOB_TYPES } from "../../lib/hatchet/mod.ts";
import { TYPES } from "./mod.ts";

Deno.test("jobs --type offers exactly the job types lib/hatchet declares", () => {
  assert.deepEqual([...TYPES], [...JOB_TYPES]);
});

Deno.test("jobs enqueue without --type: the one work flag names the type; none or several is a usage error", async () => {
  const { jobTypeOf } = await import("./_jobs.ts");
  assert.equal(jobTypeOf({ cmd: "hostname" }), "windows.exec");
  assert.equal(jobTypeOf({ task: "open notepad" }), "aloha.run");
  assert.equal(jobTypeOf({ url: "https://example.com" }), "playwright.run");
  // --type wins, also when it disagrees (the flag checks then refuse).
  assert.equal(jobTypeOf({ type: "windows.reboot" }), "windows.reboot");
  assert.equal(
    jobTypeOf({ type: "aloha.run", cmd: "x" }),
    "aloha.run",
  );
  const none = jobTypeOf({});
  assert.ok(
    typeof none === "object" && /--type is required/.test(none.problem),
  );
  const two = jobTypeOf({ cmd: "x", url: "https://example.com" });
  assert.ok(
    typeof two === "object" && /--cmd and --url are given together/.test(
      two.problem,
    ),
  );
});
