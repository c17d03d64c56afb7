import { BOOTSTRAP } from "./_bootstrap.ts";
import {
  SCRIPT_BODIES,
  type ScriptInputs,
  type ScriptKind,
} from "./scripts.ts";

/** First line of every script: names its kind and protocol version. */
export const SCRIPT_HEADER_PREFIX = "# win-automation script: ";

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
 * Builds the full PowerShell text for one script kind: a header line, the
 * input as JSON inside a single-quoted here-string (JSON escapes every newline,
 * so no line of it can end the here-string), then the kind's fixed body.
 */
export function buildScript<K extends ScriptKind>(
  kind: K,
  input: ScriptInputs[K],
): string {
  const json = JSON.stringify(input);
  return [
    `${SCRIPT_HEADER_PREFIX}${kind} v1`,
    "$in = @'",
    json,
    "'@ | ConvertFrom-Json",
    SCRIPT_BODIES[kind],
  ].join("\n");
}

/** What ssh writes to the remote bootstrap's stdin for a script. */
export function encodeStdin(script: string): Uint8Array {
  const b64 = bytesToBase64(new TextEncoder().encode(script));
  return new TextEncoder().encode(b64 + "\n");
}
