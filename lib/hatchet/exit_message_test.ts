import { assert } from "@test/assert";
import { exitCodeOf, exitMessage } from "./exit_message.ts";

Deno.test("exitCodeOf reads back what exitMessage wrote", () => {
  for (const code of [0, 1, 2, 3010, 1641, -1, -1073741510, 4294967295]) {
    assert.equal(exitCodeOf(exitMessage(code)), code);
    assert.equal(exitCodeOf(`NonRetryableError: ${exitMessage(code)}`), code);
  }
});

Deno.test("exitCodeOf finds no code in other failures", () => {
  for (
    const text of [
      null,
      undefined,
      "",
      "remote command exited 3",
      "remote command exited with code ",
      "remote command exited with code 3 after a retry",
      "ssh: connect to host x port 22: Connection refused",
      'no worker serving target "a" took the job',
    ]
  ) assert.equal(exitCodeOf(text), undefined, String(text));
});
