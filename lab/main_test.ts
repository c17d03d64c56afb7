import assert from "node:assert/strict";
import { main } from "./main.ts";

Deno.test("scripts/lab refuses a host count outside 1-9 before starting anything", async () => {
  for (
    const args of [
      ["up", "--hosts", "0"],
      ["up", "--hosts", "10"],
      ["up", "--hosts"],
      ["env", "--hosts", "x"],
      ["status", "--hosts", "3"],
    ]
  ) {
    assert.equal(await main(args), 2, args.join(" "));
  }
});
