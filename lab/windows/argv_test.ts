import assert from "node:assert/strict";
import { Unsupported } from "./errors.ts";
import {
  programName,
  programToken,
  splitCommandLine,
  windowsArgs,
  windowsArgv,
} from "./argv.ts";

Deno.test("windowsArgs() follows the examples of 'Parsing C command-line arguments'", () => {
  const cases: [string, string[]][] = [
    ['"a b c" d e', ["a b c", "d", "e"]],
    ['"ab\\"c" "\\\\" d', ['ab"c', "\\", "d"]],
    ['a\\\\\\b d"e f"g h', ["a\\\\\\b", "de fg", "h"]],
    ['a\\\\\\"b c d', ['a\\"b', "c", "d"]],
    ['a\\\\\\\\"b c" d e', ["a\\\\b c", "d", "e"]],
  ];
  for (const [line, argv] of cases) {
    assert.deepEqual(windowsArgs(line), argv, line);
  }
});

Deno.test("windowsArgs() keeps empty quoted arguments, tabs separate, an open quote runs to the end", () => {
  assert.deepEqual(windowsArgs('a "" b'), ["a", "", "b"]);
  assert.deepEqual(windowsArgs("a\tb"), ["a", "b"]);
  assert.deepEqual(windowsArgs('a "b c'), ["a", "b c"]);
  assert.deepEqual(windowsArgs("  "), []);
  assert.deepEqual(windowsArgs("C:\\dir\\ x"), ["C:\\dir\\", "x"]);
});

Deno.test("windowsArgs() refuses a doubled quote inside quotes, where Windows parsers disagree", () => {
  assert.throws(() => windowsArgs('a"b"" c d'), Unsupported);
  assert.deepEqual(windowsArgs('a"b" "" c'), ["ab", "", "c"]);
});

Deno.test("windowsArgv() reads argv[0] with quotes only, no backslash rules", () => {
  assert.deepEqual(windowsArgv('"C:\\Program Files\\x\\"y.exe a'), [
    "C:\\Program Files\\x\\y.exe",
    "a",
  ]);
  assert.deepEqual(programToken("  powershell -c x"), ["powershell", " -c x"]);
  assert.deepEqual(windowsArgv(""), []);
});

Deno.test("splitCommandLine() splits on spaces and groups double quotes", () => {
  assert.deepEqual(splitCommandLine("--port 5000"), ["--port", "5000"]);
  assert.deepEqual(splitCommandLine('--task "open notepad"  -x'), [
    "--task",
    "open notepad",
    "-x",
  ]);
  assert.deepEqual(splitCommandLine('say \\"hi\\" ""'), ["say", '"hi"', ""]);
  assert.deepEqual(splitCommandLine(""), []);
});

Deno.test("programName() drops .exe and case", () => {
  assert.equal(programName("Aloha-Server.EXE"), "aloha-server");
});
