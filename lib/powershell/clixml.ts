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

/** One message: the text of one record. */
interface Message {
  stream: ClixmlStream;
  text: string;
}

/**
 * Reads one element (`<S ...>...</S>` or `<Obj ...>...</Obj>`, or a
 * self-closing one) at `at`. Returns its message (null for progress and other
 * records without text) and where it ends, or null when it is incomplete.
 */
function readElement(
  text: string,
  at: number,
): { message: Message | null; end: number } | null {
  const tag = /^<(S|Obj)\b([^>]*?)(\/?)>/.exec(text.slice(at, at + 4096));
  if (!tag) return null;
  const [whole, name, attrs = "", selfClosing] = tag;
  const contentStart = at + whole.length;
  if (selfClosing) return { message: null, end: contentStart };
  const close = closingIndex(text, name!, contentStart);
  if (close < 0) return null;
  const end = close + `</${name}>`.length;
  const stream = /\bS="([^"]*)"/.exec(attrs)?.[1]?.toLowerCase() ?? "";
  if (!STREAMS.has(stream)) return { message: null, end };
  const inner = text.slice(contentStart, close);
  const raw = name === "S"
    ? inner
    : /<ToString>([\s\S]*?)<\/ToString>/.exec(inner)?.[1];
  if (raw === undefined) return { message: null, end };
  return {
    message: { stream: stream as ClixmlStream, text: unescapeClixml(raw) },
    end,
  };
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

function render({ stream, text }: Message): string {
  const body = text.replace(/\r?\n$/, "");
  return body.split(/\r?\n/).map((line) => PREFIX[stream] + line).join("\n") +
    "\n";
}

const HEADER = /^#< CLIXML\r?(\n|$)/;
const OPEN = "<Objs ";
const CLOSE = "</Objs>";

/**
 * Turns stderr text into readable lines. The `#< CLIXML` header line is
 * dropped. An `<Objs>` document may span lines and hold plain text between
 * its records: the console host opens it at its first record and closes it
 * when it exits, while `[Console]::Error` writes and native stderr land
 * wherever they come. Each record becomes its message (warnings as
 * `WARNING: ...`, verbose as `VERBOSE: ...`, one line per line), progress is
 * dropped, and all plain text is kept where it stood, including text on the
 * same line as `<Objs` or `</Objs>`. An incomplete record (a stream cut short)
 * is kept raw rather than lost. Lines end in `\n`; CR before LF is removed.
 */
export function decodeClixml(text: string): string {
  const input = text.replace(/\r\n/g, "\n");
  let out = "";
  const emit = (piece: string, own = false) => {
    if (own && out !== "" && !out.endsWith("\n")) out += "\n";
    out += piece;
  };
  let inDoc = false;
  let at = 0;
  while (at < input.length) {
    const lineStart = at === 0 || input[at - 1] === "\n";
    if (!inDoc && lineStart && HEADER.test(input.slice(at, at + 12))) {
      const nl = input.indexOf("\n", at);
      at = nl < 0 ? input.length : nl + 1;
      continue;
    }
    if (!inDoc) {
      const open = input.indexOf(OPEN, at);
      if (open < 0) {
        emit(input.slice(at));
        break;
      }
      const tagEnd = input.indexOf(">", open);
      if (tagEnd < 0 || !/Version="/.test(input.slice(open, tagEnd))) {
        emit(input.slice(at, open + OPEN.length));
        at = open + OPEN.length;
        continue;
      }
      emit(input.slice(at, open));
      inDoc = true;
      at = tagEnd + 1;
      continue;
    }
    const next = input.indexOf("<", at);
    if (next < 0) {
      emit(input.slice(at));
      break;
    }
    emit(input.slice(at, next));
    if (input.startsWith(CLOSE, next)) {
      inDoc = false;
      at = next + CLOSE.length;
      // The line break after `</Objs>` is the document's own, unless text
      // shares its line.
      if (input[at] === "\n" && (out === "" || out.endsWith("\n"))) at++;
      continue;
    }
    const element = readElement(input, next);
    if (!element) {
      emit(input.slice(next));
      break;
    }
    if (element.message) emit(render(element.message), true);
    at = element.end;
  }
  return out === "" || out.endsWith("\n") ? out : out + "\n";
}
