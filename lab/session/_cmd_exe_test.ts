import assert from "node:assert/strict";
import { cmdCommand } from "./_cmd_exe.ts";
import { Unsupported } from "../windows/mod.ts";

Deno.test("cmdCommand() gives the program and its C-runtime argv", () => {
  assert.deepEqual(
    cmdCommand('powershell -Command "Write-Output hi; exit 3"'),
    { program: "powershell", args: ["-Command", "Write-Output hi; exit 3"] },
  );
  assert.deepEqual(
    cmdCommand("powershell -NoLogo -EncodedCommand IwAg+/="),
    { program: "powershell", args: ["-NoLogo", "-EncodedCommand", "IwAg+/="] },
  );
  assert.deepEqual(cmdCommand('powershell -c "a & b | c > d"').args, [
    "-c",
    "a & b | c > d",
  ]);
});

Deno.test("cmdCommand() refuses what cmd itself would interpret", () => {
  for (
    const line of [
      "powershell -c x & del y",
      "powershell -c x | more",
      "powershell -c x > out.txt",
      "powershell -c ^x",
      'powershell -c "%PATH%"',
      "@powershell -c x",
      "powershell -c (x)",
      "powershell -c x\r\ndel y",
      "   ",
    ]
  ) {
    assert.throws(() => cmdCommand(line), Unsupported, line);
  }
});
