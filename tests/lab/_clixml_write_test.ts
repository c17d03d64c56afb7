import assert from "node:assert/strict";
import { clixmlErrors, decodeClixmlString } from "./_clixml_read.ts";
import {
  clixmlErrorLines,
  encodeClixmlString,
  writeClixml,
} from "./_clixml_write.ts";

Deno.test("encodeClixmlString() escapes control characters, surrogates, _x and XML specials", () => {
  assert.equal(encodeClixmlString("boom\r\n"), "boom_x000D__x000A_");
  assert.equal(encodeClixmlString("a\tb\x7f\x9f"), "a_x0009_b_x007F__x009F_");
  assert.equal(encodeClixmlString("_x _X _y x_"), "_x005F_x _x005F_X _y x_");
  assert.equal(encodeClixmlString("😀"), "_xD83D__xDE00_");
  assert.equal(encodeClixmlString('<a & "b">'), '&lt;a &amp; "b"&gt;');
  assert.equal(encodeClixmlString("plain é"), "plain é");
});

Deno.test("writeClixml() writes the tag line, then one Objs document without a line end", () => {
  assert.equal(
    clixmlErrorLines(["boom", "x_x"]),
    "#< CLIXML\r\n" +
      '<Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04">' +
      '<S S="Error">boom_x000D__x000A_</S>' +
      '<S S="Error">x_x005F_x_x000D__x000A_</S>' +
      "</Objs>",
  );
  assert.equal(
    writeClixml([{ stream: "warning", text: "w" }]).split("\r\n")[1],
    '<Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04"><S S="warning">w</S></Objs>',
  );
});

Deno.test("clixmlErrors() reads back what writeClixml() wrote, skipping progress records", () => {
  const text = "a_b <c> & _x 😀\u0001";
  const block = clixmlErrorLines([text]);
  const doc = block.slice(block.indexOf("\r\n") + 2);
  assert.deepEqual(clixmlErrors(doc), [`${text}\r\n`]);
  assert.equal(decodeClixmlString(encodeClixmlString(text)), text);
  const withProgress = doc.replace(
    "<S S=",
    '<Obj S="progress" RefId="0"><TN RefId="0"><T>x</T></TN><MS><PR N="Record"><AV>Preparing modules for first use.</AV></PR></MS></Obj><S S=',
  );
  assert.deepEqual(clixmlErrors(withProgress), [`${text}\r\n`]);
});

Deno.test("clixmlErrors() refuses records and documents the lab does not model", () => {
  const open =
    '<Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04">';
  assert.throws(() => clixmlErrors(`${open}<S S="warning">w</S></Objs>`));
  assert.throws(() => clixmlErrors(`${open}<S S="Error">e</S></Objs>trailing`));
  assert.throws(() => clixmlErrors("plain text"));
  assert.deepEqual(clixmlErrors(`${open}</Objs>`), []);
});
