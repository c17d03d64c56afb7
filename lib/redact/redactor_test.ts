import { assert } from "@test/assert";
import { REDACTED, Redactor } from "./redactor.ts";

const SECRET = 'eyJhbGciOi.JFUzI1NiJ9+/sec?ret&x="y"';
const WS = "ws-path-7f3a9c1e2b";

function b64(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes));
}
function utf16(text: string): Uint8Array {
  const out = new Uint8Array(text.length * 2);
  for (let i = 0; i < text.length; i++) out[2 * i] = text.charCodeAt(i);
  return out;
}
const enc = (t: string) => new TextEncoder().encode(t);

/** Each planted form, as it would reach a sink. */
function planted(secret: string): Record<string, string> {
  return {
    plain: `a ${secret} b ${secret} c`,
    json: JSON.stringify({ v: secret }),
    url: `http://h/?t=${encodeURIComponent(secret)}`,
    base64: `x ${b64(enc(secret))} y`,
    base64_shift1: b64(enc(`A${secret}ZZ`)),
    base64_shift2: b64(enc(`AB${secret}Z`)),
    base64_url: b64(enc(`${secret}`)).replaceAll("+", "-").replaceAll(
      "/",
      "_",
    ),
    utf16_base64: b64(utf16(`$p = '${secret}'`)),
    truncated: `Cannot connect to "${secret.slice(0, 14)}…"`,
  };
}

Deno.test("Redactor.redact() removes every occurrence of every form of each secret", () => {
  const r = new Redactor([SECRET, WS]);
  for (const secret of [SECRET, WS]) {
    for (const [form, text] of Object.entries(planted(secret))) {
      // Negative control: the planted text does carry the secret.
      assert.notEqual(r.redact(text), text, `${form} was planted`);
      const out = r.redact(text);
      assert.ok(out.includes(REDACTED), `${form}: ${out}`);
      assert.ok(!out.includes(secret.slice(0, 10)), `${form}: ${out}`);
      if (form === "plain") {
        assert.equal(out, `a ${REDACTED} b ${REDACTED} c`);
      }
    }
  }
});

Deno.test("Redactor.redact() leaves other text alone, and does nothing without secrets", () => {
  const text = "state=ok url=http://h/x?y=1 data=aGVsbG8gd29ybGQ= cut…";
  assert.equal(new Redactor([SECRET, WS]).redact(text), text);
  assert.equal(new Redactor([]).redact(`a ${SECRET}`), `a ${SECRET}`);
  assert.equal(new Redactor([""]).active, false);
});

Deno.test("Redactor.redactBytes() and redactJson() cover bytes, keys and nested values", () => {
  const r = new Redactor([WS]);
  const bytes = new Uint8Array([0xff, ...enc(`p=${WS};`), 0x80]);
  const out = r.redactBytes(bytes);
  assert.deepEqual([...out], [0xff, ...enc(`p=${REDACTED};`), 0x80]);
  const clean = enc("nothing here");
  assert.equal(r.redactBytes(clean), clean);
  assert.deepEqual(
    r.redactJson({ [WS]: [1, { s: `x${WS}` }], n: null }),
    { [REDACTED]: [1, { s: `x${REDACTED}` }], n: null },
  );
});
