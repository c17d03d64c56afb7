/** What a secret is replaced with. */
export const REDACTED = "<redacted>";

/** The shortest encoded fragment worth matching (shorter ones are noise). */
const MIN_FRAGMENT = 8;

const encoder = new TextEncoder();

function base64(bytes: Uint8Array): string {
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin);
}

function utf16le(text: string): Uint8Array {
  const out = new Uint8Array(text.length * 2);
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    out[2 * i] = code & 0xff;
    out[2 * i + 1] = code >> 8;
  }
  return out;
}

/**
 * The base64 text of `bytes` wherever they sit inside a longer base64 blob:
 * for each of the three byte alignments, the characters that depend only on
 * the secret's own bytes (the groups shared with neighbouring bytes are
 * dropped), plus the standalone encoding with its padding.
 */
function base64Forms(bytes: Uint8Array): string[] {
  const forms = [base64(bytes)];
  for (let shift = 0; shift < 3; shift++) {
    const padded = new Uint8Array(shift + bytes.length);
    padded.set(bytes, shift);
    const whole = Math.floor(padded.length / 3) * 3;
    const text = base64(padded.subarray(0, whole));
    const core = shift === 0 ? text : text.slice(4);
    if (core.length >= MIN_FRAGMENT) forms.push(core);
  }
  const urlSafe = forms.map((f) =>
    f.replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "")
  );
  return [...forms, ...urlSafe];
}

/**
 * Every form in which a secret may be written: as is, JSON-escaped,
 * URL-encoded, and base64 (of its UTF-8 and of its UTF-16LE, the encoding of
 * PowerShell's `-EncodedCommand`), standard and URL-safe, at any alignment.
 */
export function secretForms(secret: string): string[] {
  if (secret === "") return [];
  const forms = new Set<string>([
    secret,
    JSON.stringify(secret).slice(1, -1),
    encodeURIComponent(secret),
    encodeURI(secret),
    ...base64Forms(encoder.encode(secret)),
    ...base64Forms(utf16le(secret)),
  ]);
  forms.delete("");
  return [...forms];
}

/**
 * Replaces secrets in text wherever they appear: every occurrence of every
 * form ({@linkcode secretForms}), and a cut-off start of one (at least 8
 * characters) that ends at a truncation mark `…`, so a value shortened
 * before it reached the redactor still does not leak its beginning. Apply it
 * before truncating whenever possible.
 */
export class Redactor {
  readonly #forms: string[];

  /** Builds the redactor for `secrets`; empty strings are ignored. */
  constructor(secrets: readonly string[] = []) {
    const forms = new Set<string>();
    for (const s of secrets) for (const f of secretForms(s)) forms.add(f);
    // Longest first, so a form is never half-replaced by a shorter one.
    this.#forms = [...forms].sort((a, b) => b.length - a.length);
  }

  /** Whether there is anything to redact. */
  get active(): boolean {
    return this.#forms.length > 0;
  }

  /** `text` with every secret form replaced by `<redacted>`. */
  redact(text: string): string {
    if (this.#forms.length === 0 || text === "") return text;
    let out = text;
    for (const form of this.#forms) {
      if (out.includes(form)) out = out.replaceAll(form, REDACTED);
    }
    return out.includes("…") ? this.#cutPrefixes(out) : out;
  }

  #cutPrefixes(text: string): string {
    let out = text;
    let at = out.indexOf("…");
    while (at >= 0) {
      let cut = 0;
      for (const form of this.#forms) {
        for (let k = Math.min(form.length - 1, at); k >= MIN_FRAGMENT; k--) {
          if (k <= cut) break;
          if (out.startsWith(form.slice(0, k), at - k)) {
            cut = k;
            break;
          }
        }
      }
      if (cut > 0) {
        out = out.slice(0, at - cut) + REDACTED + out.slice(at);
        at = at - cut + REDACTED.length;
      }
      at = out.indexOf("…", at + 1);
    }
    return out;
  }

  /**
   * `bytes` with every secret form replaced (byte-wise: the forms are
   * matched as their UTF-8 bytes); the same array when nothing matched.
   */
  redactBytes(bytes: Uint8Array): Uint8Array {
    if (this.#forms.length === 0 || bytes.length === 0) return bytes;
    let bin = "";
    for (let i = 0; i < bytes.length; i += 8192) {
      bin += String.fromCharCode(...bytes.subarray(i, i + 8192));
    }
    let changed = false;
    for (const form of this.#forms) {
      let formBin = "";
      for (const b of encoder.encode(form)) formBin += String.fromCharCode(b);
      if (bin.includes(formBin)) {
        bin = bin.replaceAll(formBin, REDACTED);
        changed = true;
      }
    }
    if (!changed) return bytes;
    const out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  }

  /** A copy of a JSON-like value with every string (keys too) redacted. */
  redactJson<T>(value: T): T {
    if (this.#forms.length === 0) return value;
    const walk = (v: unknown): unknown => {
      if (typeof v === "string") return this.redact(v);
      if (Array.isArray(v)) return v.map(walk);
      if (v !== null && typeof v === "object") {
        const out: Record<string, unknown> = {};
        for (const [k, item] of Object.entries(v)) {
          out[this.redact(k)] = walk(item);
        }
        return out;
      }
      return v;
    };
    return walk(value) as T;
  }
}
