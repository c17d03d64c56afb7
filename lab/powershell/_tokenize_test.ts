import assert from "node:assert/strict";
import { parseStatements, PS_VERSION_EXPR } from "./_tokenize.ts";
import { Unsupported } from "../windows/mod.ts";

function texts(source: string): string[][][] {
  return parseStatements(source).map((s) =>
    s.args.map((a) => a.map((w) => w.text))
  );
}

Deno.test("parseStatements() splits on ; and newlines outside quotes", () => {
  assert.deepEqual(texts("Write-Output hi; exit 3\nhostname"), [
    [["Write-Output"], ["hi"]],
    [["exit"], ["3"]],
    [["hostname"]],
  ]);
  assert.deepEqual(texts("echo 'a;b' \"c\nd\""), [[["echo"], ["a;b"], [
    "c\nd",
  ]]]);
});

Deno.test("parseStatements() honours single and double quote escapes", () => {
  assert.deepEqual(texts('echo \'it\'\'s\' "a`tb`n`"q`"``" "x""y"'), [
    [["echo"], ["it's"], ['a\tb\n"q"`'], ['x"y']],
  ]);
});

Deno.test("parseStatements() groups comma-separated words into one argument", () => {
  assert.deepEqual(texts("Start-Process x -ArgumentList '--port','80', y"), [
    [["Start-Process"], ["x"], ["-ArgumentList"], ["--port", "80", "y"]],
  ]);
  assert.deepEqual(texts("x -ArgumentList --port,80"), [
    [["x"], ["-ArgumentList"], ["--port", "80"]],
  ]);
});

Deno.test("parseStatements() marks quoted words and keeps backslashes", () => {
  const [s] = parseStatements("Get-Content C:\\a\\b.txt '-x'");
  assert.deepEqual(s?.args, [
    [{ text: "Get-Content", quoted: false }],
    [{ text: "C:\\a\\b.txt", quoted: false }],
    [{ text: "-x", quoted: true }],
  ]);
});

Deno.test("parseStatements() knows the PSVersion expression", () => {
  assert.deepEqual(texts(PS_VERSION_EXPR), [[[PS_VERSION_EXPR]]]);
});

Deno.test("parseStatements() rejects pipes, redirections, variables, comments", () => {
  for (
    const bad of [
      "echo hi | Out-Null",
      "echo hi > f",
      "echo $x",
      'echo "a $x"',
      "# comment",
      "@(1,2)",
      "echo (1)",
      "echo 'open",
      "echo a,",
    ]
  ) {
    assert.throws(() => parseStatements(bad), Unsupported, bad);
  }
});

Deno.test("parseStatements() allows a literal $ before a non-name character", () => {
  assert.deepEqual(texts("echo \"5$\" '$x'"), [[["echo"], ["5$"], ["$x"]]]);
});
