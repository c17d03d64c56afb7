import assert from "node:assert/strict";
import { oemDecode, oemEncode } from "./_oem_codepage.ts";

const ALL_BYTES = Uint8Array.from({ length: 256 }, (_, i) => i);

Deno.test("oemDecode() then oemEncode() gives back every byte (437 and 850)", () => {
  for (const cp of [437, 850] as const) {
    const text = oemDecode(ALL_BYTES, cp);
    assert.equal(text.length, 256);
    assert.deepEqual(oemEncode(text, cp), ALL_BYTES);
  }
});

Deno.test("oemEncode() maps by the code page and writes ? for what it lacks", () => {
  assert.deepEqual(oemEncode("é", 437), new Uint8Array([0x82]));
  assert.deepEqual(oemEncode("Ø", 850), new Uint8Array([0x9d]));
  assert.deepEqual(oemEncode("Ø", 437), new Uint8Array([0x3f]));
  assert.deepEqual(oemEncode("a…", 437), new Uint8Array([0x61, 0x3f]));
  assert.equal(oemDecode(new Uint8Array([0x9d]), 437), "¥");
  assert.equal(oemDecode(new Uint8Array([0x9d]), 850), "Ø");
});
