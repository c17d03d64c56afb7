import { assert } from "@test/assert";
import { decodeClixml, unescapeClixml } from "./clixml.ts";

const NS =
  'Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04"';
const PROGRESS =
  '<Obj S="progress" RefId="0"><TN RefId="0"><T>System.Management.Automation.PSCustomObject</T><T>System.Object</T></TN><MS><I64 N="SourceId">1</I64><PR N="Record"><AV>Preparing modules for first use.</AV><AI>0</AI><Nil /><PI>-1</PI><PC>-1</PC><T>Completed</T><SR>-1</SR><SD> </SD></PR></MS></Obj>';

Deno.test("decodeClixml() keeps an error's text, drops progress, shows no XML", () => {
  const text =
    `#< CLIXML\r\n<Objs ${NS}>${PROGRESS}<S S="Error">boom_x000D__x000A_</S></Objs>`;
  assert.equal(decodeClixml(text), "boom\n");
});

Deno.test("decodeClixml() joins an error split over several elements, one per wrapped line", () => {
  const text =
    `#< CLIXML\r\n<Objs ${NS}><S S="Error">first part_x000D__x000A_</S>` +
    `<S S="Error">second part_x000D__x000A_</S></Objs>\r\n`;
  assert.equal(decodeClixml(text), "first part\nsecond part\n");
});

Deno.test("decodeClixml() prefixes warnings and verbose as the console host would", () => {
  const text =
    `#< CLIXML\n<Objs ${NS}><S S="warning">careful_x000D__x000A_</S>` +
    `<S S="verbose">details_x000D__x000A_</S><S S="debug">dbg_x000D__x000A_</S></Objs>`;
  assert.equal(
    decodeClixml(text),
    "WARNING: careful\nVERBOSE: details\nDEBUG: dbg\n",
  );
});

Deno.test("decodeClixml() keeps plain lines between the header and a record, and text after </Objs>", () => {
  const text = `#< CLIXML\r\nplain native line\r\n<Objs ${NS}>` +
    `<S S="Error">bad_x000D__x000A_</S></Objs>tail text\r\nlast\r\n`;
  assert.equal(
    decodeClixml(text),
    "plain native line\nbad\ntail text\nlast\n",
  );
});

Deno.test("decodeClixml() decodes several documents and leaves text without CLIXML alone", () => {
  const doc = (m: string) =>
    `<Objs ${NS}><S S="Error">${m}_x000D__x000A_</S></Objs>`;
  assert.equal(
    decodeClixml(`#< CLIXML\n${doc("a")}\n${doc("b")}\n`),
    "a\nb\n",
  );
  assert.equal(decodeClixml("just text\nmore\n"), "just text\nmore\n");
  assert.equal(decodeClixml(""), "");
});

Deno.test("unescapeClixml() undoes XML entities and _xHHHH_, including an escaped _x", () => {
  assert.equal(
    unescapeClixml("a &lt;b&gt; &amp; &quot;c&quot;"),
    'a <b> & "c"',
  );
  assert.equal(unescapeClixml("tab_x0009_here"), "tab\there");
  assert.equal(unescapeClixml("lit_x005F_x0041_"), "lit_x0041_");
  assert.equal(unescapeClixml("h&#233;llo &#x2713;"), "héllo ✓");
});

Deno.test("decodeClixml() reads a document that stays open while plain text is written into it", () => {
  // The host opens <Objs> at its first record (here progress) and closes it
  // when it exits; [Console]::Error lines land inside it.
  const text = `#< CLIXML\r\n<Objs ${NS}>${PROGRESS}boom\r\nsecond\r\n` +
    `<S S="warning">w_x000D__x000A_</S>after</Objs>\r\n`;
  assert.equal(decodeClixml(text), "boom\nsecond\nWARNING: w\nafter\n");
});

Deno.test("decodeClixml() keeps an incomplete record raw instead of losing it", () => {
  const text = `#< CLIXML\n<Objs ${NS}><S S="Error">cut sho`;
  assert.equal(decodeClixml(text), `<S S="Error">cut sho\n`);
});
