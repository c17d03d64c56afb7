import assert from "node:assert/strict";
import { LineSplitter } from "./_line_splitter.ts";

function split(chunks: string[]): string[] {
  const splitter = new LineSplitter();
  const lines = chunks.flatMap((c) =>
    splitter.push(new TextEncoder().encode(c))
  );
  return [...lines, ...splitter.end()].map((l) => new TextDecoder().decode(l));
}

Deno.test("LineSplitter ends lines at CR, LF and CRLF, as ReadLine does", () => {
  assert.deepEqual(split(["a\r\nb\nc\rd"]), ["a", "b", "c", "d"]);
  assert.deepEqual(split(["a\r", "\nb\r", "\r\n"]), ["a", "b", ""]);
  assert.deepEqual(split(["\n\n"]), ["", ""]);
  assert.deepEqual(split([""]), []);
  assert.deepEqual(split(["no end"]), ["no end"]);
});
