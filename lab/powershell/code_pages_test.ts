import assert from "node:assert/strict";
import { decodeCodePage, encodeCodePage } from "./code_pages.ts";

const ALL_BYTES = Uint8Array.from({ length: 256 }, (_, i) => i);

Deno.test("decodeCodePage() then encodeCodePage() gives back every byte (437 and 850)", () => {
  for (const cp of [437, 850] as const) {
    const text = decodeCodePage(ALL_BYTES, cp);
    assert.equal(text.length, 256);
    assert.deepEqual(encodeCodePage(text, cp), ALL_BYTES);
  }
});

Deno.test("encodeCodePage() maps by the code page and writes ? for what it lacks", () => {
  assert.deepEqual(encodeCodePage("é", 437), new Uint8Array([0x82]));
  assert.deepEqual(encodeCodePage("Ø", 850), new Uint8Array([0x9d]));
  assert.deepEqual(encodeCodePage("Ø", 437), new Uint8Array([0x3f]));
  assert.deepEqual(encodeCodePage("a…", 437), new Uint8Array([0x61, 0x3f]));
  assert.equal(decodeCodePage(new Uint8Array([0x9d]), 437), "¥");
  assert.equal(decodeCodePage(new Uint8Array([0x9d]), 850), "Ø");
});
