import { assert, assertExcludes } from "@test/assert";
import { ConfigError } from "../errors/mod.ts";
import { checkWsPath, scrubMessage, wsEndpoint } from "./endpoint.ts";

const SECRET = "s3cret-ws-path-0123456789";

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

Deno.test("checkWsPath() names the variable, never the value", () => {
  for (
    const bad of ["", "short", "has space in it 0123", "a/b/c/d/e/f/g/h/i/j"]
  ) {
    let error: unknown;
    try {
      checkWsPath(bad);
    } catch (e) {
      error = e;
    }
    assert.ok(error instanceof ConfigError, `rejects ${JSON.stringify(bad)}`);
    assert.match(error.message, /WIN_AUTOMATION_PLAYWRIGHT_WS_PATH/);
    if (bad) assertExcludes(error.message, bad);
  }
  assert.equal(checkWsPath(SECRET), SECRET);
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
