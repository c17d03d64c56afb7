/**
 * Test support: v2 requests built from what lib/powershell ships (the wire),
 * and the pins of those texts for the emulator's own unit tests
 * (`WIN_LAB_TEST_PINS`). The emulator itself never imports lib/.
 * @module
 */
import {
  BOOTSTRAP,
  encodeUtf16leBase64,
  REMOTE_COMMAND,
  RUNNER,
  SCRIPT_BODIES,
} from "../../lib/powershell/mod.ts";
import type { Pins } from "./_script.ts";
import { sha256Hex } from "./_script.ts";

/** Every body a test request may carry: lib's. */
export function shippedBodies(): Record<string, string> {
  return { ...(SCRIPT_BODIES as Record<string, string>) };
}

/** The shipped bootstrap text. */
export const SHIPPED_BOOTSTRAP: string = BOOTSTRAP;

/** The argv the client sends, for a bootstrap text. */
export function bootstrapArgs(bootstrap = SHIPPED_BOOTSTRAP): string[] {
  // The shipped command line's switches, with this bootstrap as its text.
  const shipped = REMOTE_COMMAND.split(" ").slice(1, -1);
  return [...shipped, encodeUtf16leBase64(bootstrap)];
}

/** The pins of the shipped texts (for the emulator's unit tests only). */
export function shippedPins(): Pins {
  const bodies: Record<string, string> = {};
  for (const [kind, body] of Object.entries(shippedBodies())) {
    bodies[kind] = sha256Hex(body);
  }
  return {
    bootstrap: sha256Hex(SHIPPED_BOOTSTRAP),
    bodies,
    runner: sha256Hex(RUNNER),
  };
}

const b64 = (text: string) => {
  const bytes = new TextEncoder().encode(text);
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
};

/** Options of {@linkcode v2Stdin}. */
export interface V2StdinOptions {
  /** @default a fixed 32-hex nonce */
  nonce?: string;
  /** The body to send. @default the shipped body of the kind */
  body?: string;
}

/** The nonce tests use unless they pass one. */
export const TEST_NONCE = "0123456789abcdef0123456789abcdef";

/** The two stdin lines of a v2 request. */
export function v2Stdin(
  kind: string,
  input: unknown,
  options: V2StdinOptions = {},
): Uint8Array {
  const { nonce = TEST_NONCE, body = shippedBodies()[kind] ?? "" } = options;
  const script = `# win-automation script: ${kind} v2\n${body}`;
  const data = JSON.stringify({ nonce, input });
  return new TextEncoder().encode(`${b64(script)}\n${b64(data)}\n`);
}
