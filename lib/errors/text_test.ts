import { assert } from "@test/assert";
import { errorLine, oneLine, quote, truncate } from "./text.ts";

Deno.test("quote() JSON-quotes a value cut to 120 characters with …", () => {
  assert.equal(quote("a\nb"), '"a\\nb"');
  const long = quote("x".repeat(1_500_000));
  assert.equal(long, JSON.stringify("x".repeat(119) + "…"));
  assert.equal(quote("short"), '"short"');
  assert.equal(quote(42), "42");
});

Deno.test("oneLine() drops stack lines, flattens control characters and caps the length", () => {
  const text = oneLine("Cannot x: y\n    at f (file:///a.ts:1:2)\nmore\r\n\tz");
  assert.equal(text, "Cannot x: y more z");
  assert.equal([...oneLine("y".repeat(5000))].length, 600);
  assert.equal(truncate("abc", 3), "abc");
  assert.equal(truncate("abcd", 3), "ab…");
});

Deno.test("errorLine() is an error's message on one line, never its stack", () => {
  const error = new Error("boom\nsecond");
  assert.ok(error.stack?.includes("    at "));
  assert.equal(errorLine(error), "boom second");
  assert.equal(errorLine("plain"), "plain");
});
