/**
 * Writes what Windows PowerShell 5.1's console host writes to a redirected
 * stderr when its error format is XML (`-EncodedCommand`, non-interactive):
 * a `#< CLIXML` line, then one `<Objs>` document with no line end after it.
 * Sources (PowerShell/PowerShell at 3998ce06ba, the 5.1-era import):
 * `src/Microsoft.PowerShell.ConsoleHost/host/msh/Serialization.cs`
 * (`WrappedSerializer`: the tag via `WriteLine`, then the document) and
 * `src/System.Management.Automation/engine/serialization.cs`
 * (`EncodeString`: the `_xHHHH_` escapes).
 * @module
 */

/** The namespace and version of every `<Objs>` PowerShell 5.1 writes. */
export const CLIXML_OBJS_OPEN =
  '<Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04">';

/** The line the host writes (with CRLF) before the first serialized record. */
export const CLIXML_TAG = "#< CLIXML";

/** One string record on a host stream: `Error`, `warning`, `verbose`, ... */
export interface ClixmlString {
  /** The `S` attribute: the stream name as the host writes it. */
  stream: string;
  /** The text, unescaped. */
  text: string;
}

/**
 * Escapes text as `EncodeString` does (each UTF-16 code unit that is a control
 * character, 0x00-0x1F or 0x7F-0x9F, or a surrogate, becomes `_xHHHH_` in
 * upper-case hex; `_` before `x` or `X` becomes `_x005F_`), then as XML text
 * (`&`, `<`, `>`).
 */
export function encodeClixmlString(text: string): string {
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    const next = text[i + 1];
    const control = unit <= 0x1f || (unit >= 0x7f && unit <= 0x9f);
    const surrogate = unit >= 0xd800 && unit <= 0xdfff;
    if (
      control || surrogate || (unit === 0x5f && (next === "x" || next === "X"))
    ) {
      out += `_x${unit.toString(16).toUpperCase().padStart(4, "0")}_`;
    } else if (text[i] === "&") out += "&amp;";
    else if (text[i] === "<") out += "&lt;";
    else if (text[i] === ">") out += "&gt;";
    else out += text[i];
  }
  return out;
}

/**
 * The bytes-to-be of a CLIXML stderr block holding `records` in order:
 * `#< CLIXML` CRLF, then `<Objs ...>` with one `<S S="...">` per record, then
 * `</Objs>` (no line end).
 */
export function writeClixml(records: ClixmlString[]): string {
  const body = records.map((r) =>
    `<S S="${r.stream}">${encodeClixmlString(r.text)}</S>`
  ).join("");
  return `${CLIXML_TAG}\r\n${CLIXML_OBJS_OPEN}${body}</Objs>`;
}

/**
 * A CLIXML block of error lines as the host's `WriteErrorLine` serializes
 * them: each line is one `<S S="Error">` record of the line plus CRLF.
 */
export function clixmlErrorLines(lines: string[]): string {
  return writeClixml(
    lines.map((line) => ({ stream: "Error", text: `${line}\r\n` })),
  );
}
