import { BOOTSTRAP } from "./_bootstrap.ts";
import {
  SCRIPT_BODIES,
  type ScriptInputs,
  type ScriptKind,
} from "./scripts.ts";

/** First line of every script: names its kind and protocol version. */
export const SCRIPT_HEADER_PREFIX = "# win-automation script: ";

/** The protocol version in every script header. */
export const SCRIPT_VERSION = "v2";

/** Encodes text as base64 of its UTF-16LE bytes, as `-EncodedCommand` wants. */
export function encodeUtf16leBase64(text: string): string {
  const bytes = new Uint8Array(text.length * 2);
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    bytes[i * 2] = code & 0xff;
    bytes[i * 2 + 1] = code >> 8;
  }
  return bytesToBase64(bytes);
}

/** Encodes bytes as standard base64. */
export function bytesToBase64(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

/**
 * The command line that ssh asks the Windows side to run. It is the same for
 * every script: the fixed bootstrap, never data, never a secret.
 */
export const REMOTE_COMMAND = [
  "powershell",
  "-NoLogo",
  "-NoProfile",
  "-NonInteractive",
  "-ExecutionPolicy",
  "Bypass",
  "-OutputFormat",
  "Text",
  "-EncodedCommand",
  encodeUtf16leBase64(BOOTSTRAP),
].join(" ");

/**
 * The full PowerShell text of one script kind: a header line, then the kind's
 * fixed body. It holds no data: the same kind always compiles the same text.
 */
export function scriptText(kind: ScriptKind): string {
  return `${SCRIPT_HEADER_PREFIX}${kind} ${SCRIPT_VERSION}\n${
    SCRIPT_BODIES[kind]
  }`;
}

/** What one script run sends, and the nonce its answer is framed with. */
export interface ScriptRequest {
  /** What ssh writes to the bootstrap's stdin: two base64 lines. */
  stdin: Uint8Array;
  /** 32 hex digits that frame this run's answer on stdout. */
  nonce: string;
}

/** Options for {@linkcode buildRequest}. */
export interface BuildRequestOptions {
  /** The answer's framing nonce. @default 16 random bytes as hex */
  nonce?: string;
}

/**
 * Builds the stdin of one run: line 1 the script, line 2 the data
 * (`{"nonce", "input"}`), each base64 of UTF-8.
 */
export function buildRequest<K extends ScriptKind>(
  kind: K,
  input: ScriptInputs[K],
  options: BuildRequestOptions = {},
): ScriptRequest {
  const nonce = options.nonce ?? randomNonce();
  if (!/^[0-9a-f]{32}$/.test(nonce)) {
    throw new RangeError(`nonce must be 32 lowercase hex digits: "${nonce}"`);
  }
  const utf8 = new TextEncoder();
  const script = bytesToBase64(utf8.encode(scriptText(kind)));
  const data = bytesToBase64(
    utf8.encode(JSON.stringify({ nonce, input })),
  );
  return { stdin: utf8.encode(`${script}\n${data}\n`), nonce };
}

function randomNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}
