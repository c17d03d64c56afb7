import assert from "node:assert/strict";
import { Unsupported } from "../windows/mod.ts";
import {
  nativeCommandErrorLines,
  nativeCommandErrorMessageLines,
  positionMessage,
} from "./_native_error_view.ts";
import { parseOuterCommand } from "./_outer_command.ts";

Deno.test("nativeCommandErrorLines() renders the 5.1 error view of a native stderr line", () => {
  const command = parseOuterCommand('powershell -Command "Write-Error boom"');
  assert.deepEqual(nativeCommandErrorLines("boom", command), [
    "powershell : boom",
    "At line:1 char:1",
    '+ powershell -Command "Write-Error boom"',
    "+ ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~",
    "    + CategoryInfo          : NotSpecified: (boom:String) [], RemoteException",
    "    + FullyQualifiedErrorId : NativeCommandError",
    " ",
  ]);
});

Deno.test("nativeCommandErrorLines() shortens a long target and a long source line", () => {
  const b64 = "A".repeat(200);
  const command = parseOuterCommand(`  PowerShell.exe -EncodedCommand ${b64}`);
  const message = "x".repeat(20) + "y".repeat(30);
  const lines = nativeCommandErrorLines(message, command);
  assert.equal(lines[0], `PowerShell.exe : ${message}`);
  assert.equal(lines[1], "At line:1 char:3");
  const source = `  PowerShell.exe -EncodedCommand ${b64}`;
  assert.equal(lines[2], `+ ${source.slice(0, 69)} ...`);
  assert.equal(lines[3], `+   ${"~".repeat(67)}`);
  assert.equal(
    lines[4],
    `    + CategoryInfo          : NotSpecified: (${"x".repeat(15)}...${
      "y".repeat(15)
    }:String) [], RemoteException`,
  );
});

Deno.test("positionMessage() cuts a line over 69 characters to 69 around the command", () => {
  const b64 = "A".repeat(200);
  const command = parseOuterCommand(`powershell -EncodedCommand ${b64}`);
  const text = `powershell -EncodedCommand ${b64}`;
  assert.equal(
    positionMessage(command),
    `At line:1 char:1\r\n+ ${text.slice(0, 69)} ...\r\n+ ${"~".repeat(69)}`,
  );
});

Deno.test("nativeCommandErrorMessageLines() writes the rest of stderr as is, skipping empty lines", () => {
  assert.deepEqual(nativeCommandErrorMessageLines("second"), ["second"]);
  assert.deepEqual(nativeCommandErrorMessageLines(""), []);
});

Deno.test("parseOuterCommand() passes plain arguments and refuses the rest", () => {
  assert.deepEqual(
    parseOuterCommand(
      `powershell -NoProfile -Command "schtasks /Run /TN x" 'C:\\a b'`,
    ).args,
    ["-NoProfile", "-Command", "schtasks /Run /TN x", "C:\\a b"],
  );
  for (
    const line of [
      "Write-Output hi",
      "cmd /c echo hi",
      'powershell -Command "$x"',
      "powershell -c x; whoami",
      "powershell -c x | more",
      "powershell ''",
      `powershell 'a"b'`,
      `powershell "a b\\"`,
      "powershell\t-c x",
      "'powershell' -c x",
      'powershell -c "x"y',
    ]
  ) {
    assert.throws(() => parseOuterCommand(line), Unsupported, line);
  }
});
