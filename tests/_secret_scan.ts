/**
 * Finds secrets in what a sink holds, independently of lib/redact (so the
 * two never agree by construction): as is, JSON-escaped, after URL-decoding,
 * and inside every base64-looking run (standard or URL-safe, at any of the
 * four character offsets, read as UTF-8/Latin-1 and as UTF-16LE).
 * @module
 */

/** Where a secret was found: `<secret name>:<how it was encoded>`. */
export type Finding = string;

const B64_RUN = /[A-Za-z0-9+/_-]{12,}={0,2}/g;

function decodeB64(run: string): Uint8Array | null {
  let whole = run.replaceAll("-", "+").replaceAll("_", "/").replace(/=+$/, "");
  if (whole.length % 4 === 1) whole = whole.slice(0, -1);
  while (whole.length % 4 !== 0) whole += "=";
  try {
    return Uint8Array.from(atob(whole), (c) => c.charCodeAt(0));
  } catch {
    return null;
  }
}

function latin1(bytes: Uint8Array): string {
  let out = "";
  for (let i = 0; i < bytes.length; i += 8192) {
    out += String.fromCharCode(...bytes.subarray(i, i + 8192));
  }
  return out;
}

function utf16(bytes: Uint8Array, from: number): string {
  let out = "";
  for (let i = from; i + 1 < bytes.length; i += 2) {
    out += String.fromCharCode(bytes[i]! | (bytes[i + 1]! << 8));
  }
  return out;
}

function urlDecoded(text: string): string {
  return text.replace(/(%[0-9A-Fa-f]{2})+/g, (m) => {
    try {
      return decodeURIComponent(m);
    } catch {
      return m;
    }
  });
}

function jsonUnescaped(text: string): string {
  return text.replace(
    /\\u([0-9a-fA-F]{4})|\\(["\\/])/g,
    (_, hex, ch) => hex ? String.fromCharCode(parseInt(hex, 16)) : ch,
  );
}

/** The texts base64 runs in `text` decode to. */
function base64Texts(text: string): string[] {
  const out: string[] = [];
  for (const match of text.matchAll(B64_RUN)) {
    for (let offset = 0; offset < 4; offset++) {
      const bytes = decodeB64(match[0].slice(offset));
      if (!bytes || bytes.length < 6) continue;
      out.push(latin1(bytes), utf16(bytes, 0), utf16(bytes, 1));
    }
  }
  return out;
}

/** Every way `secrets` (name to value) appear in `text`. */
export function findSecrets(
  text: string,
  secrets: Record<string, string>,
): Finding[] {
  const found = new Set<Finding>();
  const views: [string, string[]][] = [
    ["plain", [text]],
    ["json", [jsonUnescaped(text)]],
    ["url", [urlDecoded(text), urlDecoded(urlDecoded(text))]],
    ["base64", base64Texts(text)],
    ["url+base64", base64Texts(urlDecoded(text))],
  ];
  for (const [name, value] of Object.entries(secrets)) {
    if (value === "") continue;
    for (const [how, texts] of views) {
      if (texts.some((t) => t.includes(value))) found.add(`${name}:${how}`);
    }
  }
  return [...found];
}

/** Every way `secrets` appear in a file's bytes (and in a zip's entries, when given). */
export function findSecretsInBytes(
  bytes: Uint8Array,
  secrets: Record<string, string>,
): Finding[] {
  return findSecrets(latin1(bytes), secrets);
}
