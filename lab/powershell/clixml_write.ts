/**
 * Writes what Windows PowerShell 5.1's console host writes on a redirected
 * stderr when its error format is XML: `#< CLIXML`, CRLF, then one
 * `<Objs Version="1.1.0.1" ...>` document, each record appended as it is
 * written and `</Objs>` when the host exits (no line breaks inside: one line).
 *
 * Shapes: ConsoleHostUserInterface.cs (`ErrorSerializer.Serialize(value, "warning")`
 * etc.) and serialization.cs `EncodeString` (the `_xHHHH_` escapes) in
 * PowerShell/PowerShell at 60b3b304f2; the progress record's XML as public
 * reports show it (e.g. ansible/ansible#67964, PowerShell/PowerShell#18600).
 * @module
 */

/** The first line of a CLIXML stderr, without its CRLF. */
export const CLIXML_HEADER = "#< CLIXML";
/** The document's opening tag. */
export const OBJS_OPEN =
  '<Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04">';
/** The document's closing tag. */
export const OBJS_CLOSE = "</Objs>";

/**
 * PowerShell's string encoding for CLIXML: control characters (0x00-0x1F,
 * 0x7F-0x9F), each UTF-16 surrogate and a `_` followed by `x`/`X` become
 * `_xHHHH_`; then `&`, `<` and `>` are XML-escaped.
 */
export function clixmlEscape(text: string): string {
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const escape = c <= 0x1f || (c >= 0x7f && c <= 0x9f) ||
      (c >= 0xd800 && c <= 0xdfff) ||
      (c === 0x5f && /[xX]/.test(text[i + 1] ?? ""));
    if (escape) {
      out += `_x${c.toString(16).toUpperCase().padStart(4, "0")}_`;
    } else if (c === 0x26) out += "&amp;";
    else if (c === 0x3c) out += "&lt;";
    else if (c === 0x3e) out += "&gt;";
    else out += text[i];
  }
  return out;
}

/** A serialized string on a stream: `<S S="<stream>">text</S>`. */
export function clixmlStreamString(stream: string, text: string): string {
  return `<S S="${stream}">${clixmlEscape(text)}</S>`;
}

/**
 * The progress record 5.1 writes while it loads modules (the shape public
 * reports show, activity `Preparing modules for first use.`, record completed).
 */
export function clixmlProgress(refId: number, activity: string): string {
  return `<Obj S="progress" RefId="${refId}"><TN RefId="${refId}">` +
    "<T>System.Management.Automation.PSCustomObject</T><T>System.Object</T></TN>" +
    '<MS><I64 N="SourceId">1</I64><PR N="Record">' +
    `<AV>${
      clixmlEscape(activity)
    }</AV><AI>0</AI><Nil /><PI>-1</PI><PC>-1</PC>` +
    "<T>Completed</T><SR>-1</SR><SD> </SD></PR></MS></Obj>";
}

/**
 * An InformationRecord (Write-Host) serialized on the `information` stream
 * (ConsoleHostUserInterface.WriteInformation, XML branch). The lab writes the
 * type names, `ToString` and the `MessageData` property.
 */
export function clixmlInformation(refId: number, message: string): string {
  const text = clixmlEscape(message);
  return `<Obj S="information" RefId="${refId}"><TN RefId="${refId}">` +
    "<T>System.Management.Automation.InformationRecord</T><T>System.Object</T></TN>" +
    `<ToString>${text}</ToString><Props><S N="MessageData">${text}</S>` +
    '<Obj N="Tags" RefId="' + (refId + 1) + '"><TN RefId="' + (refId + 1) +
    '"><T>System.Collections.Generic.List`1[[System.String, mscorlib, Version=4.0.0.0, Culture=neutral, PublicKeyToken=b77a5c561934e089]]</T><T>System.Object</T></TN>' +
    "<LST><S>PSHOST</S></LST></Obj></Props></Obj>";
}

/**
 * A whole CLIXML stderr block holding `records` in order: `#< CLIXML` CRLF,
 * then `<Objs ...>` with one `<S S="...">` per record, then `</Objs>` (no line
 * end). `WrappedSerializer` in the 5.1-era ConsoleHost writes the tag with
 * `WriteLine`, then the document.
 */
export function writeClixml(
  records: { stream: string; text: string }[],
): string {
  const body = records.map((r) => clixmlStreamString(r.stream, r.text)).join(
    "",
  );
  return `${CLIXML_HEADER}\r\n${OBJS_OPEN}${body}${OBJS_CLOSE}`;
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
