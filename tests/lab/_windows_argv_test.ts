import assert from "node:assert/strict";
import { Unsupported } from "./_errors.ts";
import { programToken, windowsArgs, windowsArgv } from "./_windows_argv.ts";

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
