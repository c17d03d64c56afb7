import { assert } from "@test/assert";
import { ConfigError } from "../errors/mod.ts";
import { parseFailpoint } from "./failpoint.ts";

Deno.test("parseFailpoint() accepts each check name and treats unset as none", () => {
  assert.equal(parseFailpoint(undefined), null);
  assert.equal(parseFailpoint(""), null);
  for (
    const name of [
      "ssh",
      "aloha_server",
      "aloha_client",
      "hatchet",
      "playwright",
    ]
  ) {
    assert.equal(parseFailpoint(name), name);
  }
});

Deno.test("parseFailpoint() rejects anything else with a config error naming the variable", () => {
  const error = assert.throws(() => parseFailpoint("aloha"), (e: unknown) => {
    assert.ok(e instanceof ConfigError);
    assert.equal(e.exitCode, 2);
    assert.match(
      e.message,
      /WIN_AUTOMATION_SUPERVISOR_FAILPOINT must be one of ssh\|aloha_server/,
    );
    return true;
  });
  void error;
});
