import { assert } from "@test/assert";
import { JOB_TYPES } from "../../lib/hatchet/mod.ts";
import { TYPES } from "./mod.ts";

Deno.test("jobs --type offers exactly the job types lib/hatchet declares", () => {
  assert.deepEqual([...TYPES], [...JOB_TYPES]);
});
