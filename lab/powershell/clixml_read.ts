/**
 * What Windows PowerShell 5.1 does with a native command's stderr that starts
 * with a `#< CLIXML` line (`ProcessStreamReader.ReadXml` in PowerShell/PowerShell
 * `src/System.Management.Automation/engine/NativeCommandProcessor.cs` at
 * 3998ce06ba): it deserializes the records instead of reading text. A string
 * on the `Error` stream becomes a `NativeCommandError` record of that string;
 * a `progress` record goes to the host's progress display (the console window,
 * not a redirected stream). The lab understands only those two; any other
 * record, or text that is not one `<Objs>` document, is refused.
 * @module
 */
import { CLIXML_HEADER } from "./clixml_write.ts";
import { Unsupported } from "../windows/mod.ts";

/** Decodes `_xHHHH_` escapes and the XML entities PowerShell writes. */
export function decodeClixmlString(text: string): string {
  return text
    .replace(/&(lt|gt|amp|quot|apos|#x[0-9A-Fa-f]+|#\d+);/g, (_, name) => {
      const named: Record<string, string> = {
        lt: "<",
        gt: ">",
        amp: "&",
        quot: '"',
        apos: "'",
      };
      if (named[name]) return named[name]!;
      const code = name.startsWith("#x")
        ? parseInt(name.slice(2), 16)
        : parseInt(name.slice(1), 10);
      return String.fromCodePoint(code);
    })
    .replace(
      /_x([0-9A-Fa-f]{4})_/g,
      (_, hex) => String.fromCharCode(parseInt(hex, 16)),
    );
}

/** Index just past the `</Obj>` that closes the `<Obj` at `start`. */
function objEnd(xml: string, start: number): number {
  const tags = /<Obj\b[^>]*?(\/?)>|<\/Obj>/g;
  tags.lastIndex = start;
  let depth = 0;
  for (let match = tags.exec(xml); match; match = tags.exec(xml)) {
    if (match[0] === "</Obj>") depth--;
    else if (match[1] !== "/") depth++;
    if (depth === 0) return tags.lastIndex;
  }
  throw new Unsupported(
    `an unclosed <Obj> in CLIXML: ${xml.slice(start, start + 80)}`,
  );
}

/**
 * The error strings of a CLIXML stderr stream (`text` holds everything
 * after the `#< CLIXML` line), in order.
 */
export function clixmlErrors(text: string): string[] {
  const xml = text.trim();
  const open =
    /^<Objs Version="1\.1\.0\.1" xmlns="http:\/\/schemas\.microsoft\.com\/powershell\/2004\/04">/
      .exec(xml);
  if (!open || !xml.endsWith("</Objs>")) {
    throw new Unsupported(
      `stderr after ${CLIXML_HEADER} is not one <Objs> document`,
    );
  }
  const body = xml.slice(open[0].length, -"</Objs>".length);
  const errors: string[] = [];
  let i = 0;
  while (i < body.length) {
    const rest = body.slice(i);
    const string = /^<S S="Error">([^<]*)<\/S>/.exec(rest);
    if (string) {
      errors.push(decodeClixmlString(string[1]!));
      i += string[0].length;
      continue;
    }
    if (/^<Obj S="progress"[\s>]/.test(rest)) {
      i = objEnd(body, i);
      continue;
    }
    throw new Unsupported(
      `a CLIXML record the lab does not model: ${rest.slice(0, 80)}`,
    );
  }
  return errors;
}
