import { assert } from "@test/assert";
import { parseReply } from "./reply.ts";
import { decodeOem, decodeWindowsText } from "./oem.ts";

const NONCE = "0123456789abcdef0123456789abcdef";
const utf8 = (s: string) => new TextEncoder().encode(s);

Deno.test("parseReply() takes the exit code from the trailer, not from the process", () => {
  const reply = parseReply({
    stdout: utf8(`wa:${NONCE}:begin\r\nok\r\nwa:${NONCE}:exit=3\r\n`),
    stderr: utf8(""),
  }, NONCE);
  assert.equal(reply.exitCode, 3);
  assert.equal(reply.stdout, "ok\n");
});

Deno.test("parseReply() drops a profile's output before the begin marker and keeps it apart", () => {
  const reply = parseReply({
    stdout: utf8(
      `Loading personal and system profiles took 812ms.\r\nwa:${NONCE}:begin\r\nhi\r\nwa:${NONCE}:exit=0\r\n`,
    ),
    stderr: utf8(""),
  }, NONCE);
  assert.equal(reply.stdout, "hi\n");
  assert.equal(
    reply.preamble,
    "Loading personal and system profiles took 812ms.\n",
  );
});

Deno.test("parseReply() ignores a forged trailer with another nonce", () => {
  const reply = parseReply({
    stdout: utf8(
      `wa:${NONCE}:begin\r\nwa:ffffffffffffffffffffffffffffffff:exit=0\r\n`,
    ),
    stderr: utf8(""),
  }, NONCE);
  assert.equal(reply.exitCode, null);
  assert.equal(reply.stdout, "wa:ffffffffffffffffffffffffffffffff:exit=0\n");
});

Deno.test("parseReply() finds a trailer written right after text with no newline", () => {
  const reply = parseReply({
    stdout: utf8(`wa:${NONCE}:begin\r\npartial linewa:${NONCE}:exit=124\r\n`),
    stderr: utf8(""),
  }, NONCE);
  assert.equal(reply.exitCode, 124);
  assert.equal(reply.stdout, "partial line");
});

Deno.test("parseReply() reads the trailer from the tail when stdout was cut", () => {
  const reply = parseReply({
    stdout: utf8(`wa:${NONCE}:begin\r\nxxxxxxxx`),
    stdoutTail: utf8(`xxxx\r\nwa:${NONCE}:exit=0\r\n`),
    stderr: utf8(""),
  }, NONCE);
  assert.equal(reply.exitCode, 0);
});

Deno.test("parseReply() keeps UTF-8 intact and reads OEM lines as code page 437", () => {
  const oem = new Uint8Array([0x68, 0x82, 0x6c, 0x6c, 0x6f, 0x0d, 0x0a]); // "héllo" in 437
  const stderr = new Uint8Array([...utf8("#< CLIXML\r\n"), ...oem]);
  const reply = parseReply({
    stdout: utf8(`wa:${NONCE}:begin\r\nhéllo ✓\r\nwa:${NONCE}:exit=0\r\n`),
    stderr,
  }, NONCE);
  assert.equal(reply.stdout, "héllo ✓\n");
  assert.equal(reply.stderr, "héllo\n");
});

Deno.test("decodeOem() maps every byte, and 850 differs from 437 where it should", () => {
  const all = Uint8Array.from({ length: 256 }, (_, i) => i);
  assert.equal(decodeOem(all, 437).length, 256);
  assert.equal(decodeOem(new Uint8Array([0x9b]), 437), "¢");
  assert.equal(decodeOem(new Uint8Array([0x9b]), 850), "ø");
  assert.equal(decodeWindowsText(utf8("a\nb"), 437), "a\nb");
});
