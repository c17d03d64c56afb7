import assert from "node:assert/strict";
import {
  clixmlErrorLines,
  clixmlEscape,
  clixmlProgress,
  clixmlStreamString,
  writeClixml,
} from "./clixml_write.ts";
import { clixmlErrors, decodeClixmlString } from "./clixml_read.ts";
import { ConsoleHost } from "./_console_host.ts";

Deno.test("clixmlEscape() escapes controls, surrogates, a literal _x and XML specials", () => {
  assert.equal(clixmlEscape("a\r\nb"), "a_x000D__x000A_b");
  assert.equal(
    clixmlEscape("_x and _X but _y"),
    "_x005F_x and _x005F_X but _y",
  );
  assert.equal(clixmlEscape("<a & b>"), "&lt;a &amp; b&gt;");
  assert.equal(clixmlEscape("😀"), "_xD83D__xDE00_");
  assert.equal(clixmlEscape("héllo ✓"), "héllo ✓", "printable non-ASCII stays");
});

Deno.test("clixmlStreamString() and clixmlProgress() give 5.1's shapes", () => {
  assert.equal(
    clixmlStreamString("Error", "boom\r\n"),
    '<S S="Error">boom_x000D__x000A_</S>',
  );
  assert.equal(
    clixmlProgress(0, "Preparing modules for first use."),
    '<Obj S="progress" RefId="0"><TN RefId="0"><T>System.Management.Automation.PSCustomObject</T>' +
      '<T>System.Object</T></TN><MS><I64 N="SourceId">1</I64><PR N="Record"><AV>Preparing modules for first use.</AV>' +
      "<AI>0</AI><Nil /><PI>-1</PI><PC>-1</PC><T>Completed</T><SR>-1</SR><SD> </SD></PR></MS></Obj>",
  );
});

function capture(stderrRedirected: boolean) {
  const out: number[] = [];
  const err: number[] = [];
  const host = new ConsoleHost({
    stdout: (b) => (out.push(...b), Promise.resolve()),
    stderr: (b) => (err.push(...b), Promise.resolve()),
    stderrRedirected,
  });
  const text = (bytes: number[]) => String.fromCharCode(...bytes);
  return { host, out: () => text(out), err: () => text(err) };
}

Deno.test("ConsoleHost writes CLIXML only when stderr is redirected", async () => {
  const piped = capture(true);
  await piped.host.start();
  await piped.host.write({ kind: "warning", message: "w" });
  await piped.host.write({ kind: "output", text: "o" });
  await piped.host.close();
  assert.match(
    piped.err(),
    /^#< CLIXML\r\n<Objs [^>]+><Obj S="progress".*<S S="warning">w<\/S><\/Objs>$/,
  );
  assert.equal(piped.out(), "o\r\n");
  const terminal = capture(false);
  await terminal.host.start();
  await terminal.host.write({ kind: "warning", message: "w" });
  await terminal.host.close();
  assert.equal(terminal.err(), "", "a terminal gets no CLIXML");
  assert.equal(terminal.out(), "WARNING: w\r\n");
});

Deno.test("ConsoleHost writes Write-Host to stdout and, redirected, an information record", async () => {
  const piped = capture(true);
  await piped.host.write({ kind: "information", message: "hi" });
  await piped.host.close();
  assert.equal(piped.out(), "hi\r\n");
  assert.match(
    piped.err(),
    /<Obj S="information" RefId="0">.*<ToString>hi<\/ToString>.*<S>PSHOST<\/S>/,
  );
});

Deno.test("clixmlEscape() escapes control characters, surrogates, _x and XML specials", () => {
  assert.equal(clixmlEscape("boom\r\n"), "boom_x000D__x000A_");
  assert.equal(clixmlEscape("a\tb\x7f\x9f"), "a_x0009_b_x007F__x009F_");
  assert.equal(clixmlEscape("_x _X _y x_"), "_x005F_x _x005F_X _y x_");
  assert.equal(clixmlEscape("😀"), "_xD83D__xDE00_");
  assert.equal(clixmlEscape('<a & "b">'), '&lt;a &amp; "b"&gt;');
  assert.equal(clixmlEscape("plain é"), "plain é");
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
  assert.equal(decodeClixmlString(clixmlEscape(text)), text);
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
