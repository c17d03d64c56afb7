import { assert } from "@test/assert";
import { headroomProblem } from "./_hatchet_pg.ts";

Deno.test("headroomProblem() lets an engine start only when its whole budget fits", () => {
  assert.equal(headroomProblem({ usable: 97, others: 50 }, 45), null);
  assert.equal(headroomProblem({ usable: 97, others: 52 }, 45), null);
  const problem = headroomProblem({ usable: 97, others: 53 }, 45);
  assert.ok(problem?.includes("44 of 97 connections free"), problem ?? "null");
  assert.ok(problem?.includes("needs up to 45"), problem ?? "null");
  assert.ok(problem?.includes("max_connections"), problem ?? "null");
});
