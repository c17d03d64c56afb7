import fc from "fast-check";
import { assert } from "@test/assert";
import { encodeLine, encodeValue, parseLine } from "./logfmt.ts";

Deno.test("encodeValue() leaves plain ASCII words bare", () => {
  assert.equal(encodeValue("windows.exec"), "windows.exec");
  assert.equal(encodeValue("C:\\x"), '"C:\\\\x"');
});

Deno.test("encodeValue() quotes and escapes spaces, quotes, newlines, tabs, = and unicode", () => {
  assert.equal(encodeValue("a b"), '"a b"');
  assert.equal(encodeValue('say "hi"'), '"say \\"hi\\""');
  assert.equal(encodeValue("l1\nl2\tx"), '"l1\\nl2\\tx"');
  assert.equal(encodeValue("k=v"), '"k=v"');
  assert.equal(encodeValue("é"), '"\\u00e9"');
  assert.equal(encodeValue(""), '""');
});

Deno.test("encodeLine() skips undefined and rejects a bad key", () => {
  assert.equal(
    encodeLine({ a: "1", b: undefined, c: 2, d: true }),
    "a=1 c=2 d=true",
  );
  assert.throws(() => encodeLine({ "bad key": "x" }), TypeError);
});

Deno.test("parseLine() reports malformed lines", () => {
  assert.throws(() => parseLine('a="open'), SyntaxError);
  assert.throws(() => parseLine("novalue"), SyntaxError);
  assert.throws(() => parseLine('a=x"y'), SyntaxError);
});

const key = fc.stringMatching(/^[a-z_][a-z0-9_]{0,11}$/);
const value = fc.oneof(
  fc.string({ unit: "grapheme", maxLength: 30 }),
  fc.string({ unit: "binary", maxLength: 30 }),
  fc.constantFrom(
    '"',
    "\\",
    "=",
    "\n",
    "\t",
    "\r",
    " ",
    "a=b c",
    'x"="y',
    "\u0000",
    "é😀",
  ),
);

Deno.test("any map of keys and values becomes one ASCII line without tabs that parses back", () => {
  fc.assert(
    fc.property(fc.dictionary(key, value, { maxKeys: 8 }), (fields) => {
      const line = encodeLine(fields);
      assert.ok(
        !line.includes("\n") && !line.includes("\t") && !line.includes("\r"),
      );
      assert.ok(/^[\x20-\x7e]*$/.test(line), `not printable ASCII: ${line}`);
      assert.deepEqual(parseLine(line), { ...fields });
    }),
    { numRuns: 2000 },
  );
});
