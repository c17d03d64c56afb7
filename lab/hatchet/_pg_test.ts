import assert from "node:assert/strict";
import { databaseUrl, headroomProblem, labDatabase } from "./_pg.ts";

Deno.test("headroomProblem() lets an engine start only when its whole budget fits", () => {
  assert.equal(headroomProblem({ usable: 97, others: 50 }, 45), null);
  assert.equal(headroomProblem({ usable: 97, others: 52 }, 45), null);
  const problem = headroomProblem({ usable: 97, others: 53 }, 45);
  assert.ok(problem?.includes("44 of 97 connections free"), problem ?? "null");
  assert.ok(problem?.includes("needs up to 45"), problem ?? "null");
  assert.ok(problem?.includes("max_connections"), problem ?? "null");
});

Deno.test("labDatabase() reuses the lab directory's hash", () => {
  assert.equal(labDatabase("/tmp/wa-lab-0123456789"), "wa_lab_0123456789");
  assert.match(labDatabase("/somewhere/else"), /^wa_lab_[0-9a-f]{10}$/);
  assert.equal(
    databaseUrl(
      "postgresql://postgres@127.0.0.1:5432/postgres?sslmode=disable",
      "wa_lab_0123456789",
    ),
    "postgresql://postgres@127.0.0.1:5432/wa_lab_0123456789?sslmode=disable",
  );
});
