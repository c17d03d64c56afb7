import { assert, assertExcludes } from "@test/assert";
import { ConfigError } from "../errors/mod.ts";
import { checkWsPath, scrubMessage, wsEndpoint } from "./endpoint.ts";

const SECRET = "s3cret-ws-path-0123456789-ABCDEFGHIJ";

Deno.test("wsEndpoint() builds ws://host:port/<ws_path>, brackets IPv6 hosts", () => {
  assert.equal(
    wsEndpoint({ host: "127.0.0.1", port: 9323, wsPath: SECRET }),
    `ws://127.0.0.1:9323/${SECRET}`,
  );
  assert.equal(
    wsEndpoint({ host: "::1", port: 9323, wsPath: SECRET }),
    `ws://[::1]:9323/${SECRET}`,
  );
});

Deno.test("checkWsPath() refuses a weak ws path (exit 2), naming the variable, never the value", () => {
  const weak = {
    "unset": "",
    "short": "short",
    "31 characters": "abcdefghijklmnopqrstuvwxyz01234",
    "a space": "has space in it 0123456789abcdefghij",
    "a slash": "a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p/q",
    "a dot": "abcdefghijklmnopqrstuvwxyz0123456.",
    "a tilde": "abcdefghijklmnopqrstuvwxyz0123456~",
    "one character repeated": "a".repeat(64),
    "15 distinct": "abcdefghijklmno".repeat(4),
  };
  for (const [what, bad] of Object.entries(weak)) {
    let error: unknown;
    try {
      checkWsPath(bad);
    } catch (e) {
      error = e;
    }
    assert.ok(error instanceof ConfigError, `rejects ${what}`);
    assert.equal(error.exitCode, 2);
    assert.match(error.message, /WIN_AUTOMATION_PLAYWRIGHT_WS_PATH/);
    assert.ok(!error.message.includes("\n"), what);
    if (bad) assertExcludes(error.message, bad);
  }
  assert.match(
    (() => {
      try {
        checkWsPath("abcdefghijklmno".repeat(4));
      } catch (e) {
        return (e as Error).message;
      }
      return "";
    })(),
    /got 15 distinct/,
  );
  // The edges that pass: 32 characters, exactly 16 distinct; the whole set.
  for (
    const good of [
      SECRET,
      "abcdefghijklmnop".repeat(2),
      "0123456789abcdef0123456789abcdef",
      "AZaz09_-".repeat(4) + "bcdefghi",
      "x".repeat(240) + "abcdefghijklmno",
    ]
  ) assert.equal(checkWsPath(good), good);
});

Deno.test("scrubMessage() keeps the first line, drops colours and the ws path", () => {
  const text =
    `browserType.connect: WebSocket error: ws://h:1/${SECRET} 400 Bad Request\n\x1b[2m  - <ws connecting> ws://h:1/${SECRET}\x1b[22m`;
  const line = scrubMessage(text, SECRET);
  assert.equal(
    line,
    "browserType.connect: WebSocket error: ws://h:1/<redacted> 400 Bad Request",
  );
});
