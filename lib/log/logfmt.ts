/** A value a log field may hold; `undefined` fields are left out. */
export type FieldValue = string | number | boolean | null | undefined;

/** A map of log fields. */
export type Fields = Record<string, FieldValue>;

const KEY = /^[A-Za-z_][A-Za-z0-9_.]*$/;
const BARE = /^[\x21\x23-\x3c\x3e-\x5b\x5d-\x7e]+$/;

/**
 * Encodes one value: printable ASCII without space, `"`, `=` or `\` is written
 * as is; anything else is double-quoted with `\n`, `\r`, `\t`, `\"`, `\\` and
 * `\uXXXX` escapes, so the result is always ASCII without tabs.
 */
export function encodeValue(value: string): string {
  if (BARE.test(value)) return value;
  let out = '"';
  for (let i = 0; i < value.length; i++) {
    const ch = value[i]!;
    const code = value.charCodeAt(i);
    if (ch === '"') out += '\\"';
    else if (ch === "\\") out += "\\\\";
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (code < 0x20 || code > 0x7e) {
      out += "\\u" + code.toString(16).padStart(4, "0");
    } else out += ch;
  }
  return out + '"';
}

/** Encodes fields as one key=value line (no trailing newline). */
export function encodeLine(fields: Fields): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    if (!KEY.test(key)) {
      throw new TypeError(`Cannot encode log field: invalid key "${key}"`);
    }
    parts.push(`${key}=${encodeValue(value === null ? "" : String(value))}`);
  }
  return parts.join(" ");
}

/**
 * Parses one key=value line back into a map of strings. Throws a
 * `SyntaxError` naming the position on anything it cannot read.
 */
export function parseLine(line: string): Record<string, string> {
  const out: Record<string, string> = {};
  let i = 0;
  const fail = (why: string): never => {
    throw new SyntaxError(`Cannot parse log line: ${why} at ${i}`);
  };
  while (i < line.length) {
    if (line[i] === " ") {
      i++;
      continue;
    }
    const eq = line.indexOf("=", i);
    if (eq < 0) fail("missing '='");
    const key = line.slice(i, eq);
    if (!KEY.test(key)) fail(`invalid key "${key}"`);
    i = eq + 1;
    let value = "";
    if (line[i] === '"') {
      i++;
      for (;;) {
        if (i >= line.length) fail("unterminated quote");
        const ch = line[i]!;
        if (ch === '"') {
          i++;
          break;
        }
        if (ch === "\\") {
          const esc = line[i + 1];
          if (esc === "n") value += "\n";
          else if (esc === "r") value += "\r";
          else if (esc === "t") value += "\t";
          else if (esc === '"') value += '"';
          else if (esc === "\\") value += "\\";
          else if (esc === "u") {
            const hex = line.slice(i + 2, i + 6);
            if (!/^[0-9a-f]{4}$/i.test(hex)) fail("bad \\u escape");
            value += String.fromCharCode(parseInt(hex, 16));
            i += 4;
          } else fail("bad escape");
          i += 2;
          continue;
        }
        value += ch;
        i++;
      }
      if (i < line.length && line[i] !== " ") fail("text after quote");
    } else {
      const end = line.indexOf(" ", i);
      value = end < 0 ? line.slice(i) : line.slice(i, end);
      if (value.includes('"')) fail("stray quote");
      i = end < 0 ? line.length : end;
    }
    out[key] = value;
  }
  return out;
}
