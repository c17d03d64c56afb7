/**
 * Decodes the CLIXML that Windows PowerShell 5.1 writes to a redirected
 * stderr: a `#< CLIXML` line, then one `<Objs ...>...</Objs>` line holding
 * error, warning, verbose, debug, information and progress records
 * (../shared/windows-facts.md, "CLIXML on stderr"; PowerShell issue #5912,
 * PR #8115). Every message is kept as text, progress is dropped, no XML is
 * ever returned, and text that is not CLIXML passes through untouched.
 * @module
 */

/** The stream a decoded CLIXML message came from. */
export type ClixmlStream =
  | "error"
  | "warning"
  | "verbose"
  | "debug"
  | "information";

const PREFIX: Record<ClixmlStream, string> = {
  error: "",
  warning: "WARNING: ",
  verbose: "VERBOSE: ",
  debug: "DEBUG: ",
  information: "",
};

const STREAMS = new Set<string>(Object.keys(PREFIX));

/** Undoes XML entities, then PowerShell's `_xHHHH_` escapes. */
export function unescapeClixml(text: string): string {
  const xml = text.replace(
    /&(lt|gt|amp|quot|apos|#x[0-9a-fA-F]+|#[0-9]+);/g,
    (_m, name: string) => {
      switch (name) {
        case "lt":
          return "<";
        case "gt":
          return ">";
        case "amp":
          return "&";
        case "quot":
          return '"';
        case "apos":
          return "'";
      }
      const code = name.startsWith("#x")
        ? parseInt(name.slice(2), 16)
        : parseInt(name.slice(1), 10);
      return String.fromCodePoint(code);
    },
  );
  return xml.replace(
    /_x([0-9a-fA-F]{4})_/g,
    (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)),
  );
}

/** One message: the text of consecutive records of one stream. */
interface Message {
  stream: ClixmlStream;
  text: string;
}

/**
 * The messages in one `<Objs>` document, in order. Top-level `<S S="...">`
 * elements are messages (a long one is split over several elements, each
 * ending in CRLF); a top-level `<Obj S="...">` other than progress yields its
 * `<ToString>`. Consecutive records of one stream are joined: each ends in
 * CRLF, so their lines stay apart. Returns null when the text is not a
 * complete document.
 */
export function parseObjs(doc: string): Message[] | null {
  if (!doc.startsWith("<Objs") || !doc.endsWith("</Objs>")) return null;
  const open = doc.indexOf(">");
  if (open < 0) return null;
  const body = doc.slice(open + 1, doc.length - "</Objs>".length);
  const messages: Message[] = [];
  let at = 0;
  while (at < body.length) {
    const start = body.indexOf("<", at);
    if (start < 0) break;
    const tag = /^<(S|Obj)\b([^>]*?)(\/?)>/.exec(body.slice(start));
    if (!tag) return null;
    const [whole, name, attrs = "", selfClosing] = tag;
    const stream = /\bS="([^"]*)"/.exec(attrs)?.[1]?.toLowerCase() ?? "";
    const contentStart = start + whole.length;
    if (selfClosing) {
      at = contentStart;
      continue;
    }
    const end = closingIndex(body, name!, contentStart);
    if (end < 0) return null;
    const inner = body.slice(contentStart, end);
    at = end + `</${name}>`.length;
    let text: string | undefined;
    if (name === "S") text = inner;
    else if (stream !== "progress") {
      text = /<ToString>([\s\S]*?)<\/ToString>/.exec(inner)?.[1];
    }
    if (text === undefined || !STREAMS.has(stream)) continue;
    const decoded = unescapeClixml(text);
    const last = messages.at(-1);
    if (last && last.stream === stream) last.text += decoded;
    else messages.push({ stream: stream as ClixmlStream, text: decoded });
  }
  return messages;
}

/** Finds the `</name>` that closes an element opened before `from`. */
function closingIndex(body: string, name: string, from: number): number {
  let depth = 1;
  const pattern = new RegExp(`<(/?)${name}\\b[^>]*?(/?)>`, "g");
  pattern.lastIndex = from;
  for (let m = pattern.exec(body); m; m = pattern.exec(body)) {
    if (m[1]) depth--;
    else if (!m[2]) depth++;
    if (depth === 0) return m.index;
  }
  return -1;
}

function render(messages: Message[]): string[] {
  const lines: string[] = [];
  for (const { stream, text } of messages) {
    const body = text.replace(/\r?\n$/, "");
    for (const line of body.split(/\r?\n/)) lines.push(PREFIX[stream] + line);
  }
  return lines;
}

/**
 * Turns stderr text into readable lines. The `#< CLIXML` header (written once,
 * before the first record) is dropped; each `<Objs>` document becomes its
 * messages (warnings as `WARNING: ...`, verbose as `VERBOSE: ...`), progress
 * is dropped, and text after `</Objs>` on the same line is kept. Plain lines
 * (`[Console]::Error` writes, native stderr) are kept as they are, wherever
 * they sit between header and records. A document that does not parse is
 * kept raw rather than lost. Lines end in `\n`; a trailing `\r` is removed.
 */
export function decodeClixml(text: string): string {
  const lines = text.split("\n").map((l) => l.replace(/\r$/, ""));
  if (lines.at(-1) === "") lines.pop();
  const out: string[] = [];
  for (const line of lines) {
    if (line === "#< CLIXML") continue;
    let rest = line;
    while (rest.startsWith("<Objs")) {
      const close = rest.indexOf("</Objs>");
      if (close < 0) break;
      const messages = parseObjs(rest.slice(0, close + "</Objs>".length));
      if (messages === null) break;
      out.push(...render(messages));
      rest = rest.slice(close + "</Objs>".length);
    }
    if (rest !== "" || rest === line) out.push(rest);
  }
  return out.length === 0 ? "" : out.join("\n") + "\n";
}
