import { assert } from "@test/assert";
import { scrubDebugEnv } from "./debug_env.ts";
import { childEnv } from "./child_env.ts";

function fakeEnv(vars: Record<string, string>) {
  const map = new Map(Object.entries(vars));
  return {
    map,
    toObject: () => Object.fromEntries(map),
    delete: (name: string) => void map.delete(name),
  };
}

Deno.test("scrubDebugEnv() removes the debug and hook variables of dependencies, and nothing else", () => {
  const env = fakeEnv({
    DEBUG: "*",
    DEBUG_COLORS: "1",
    debug_depth: "9",
    DEBUG_FILE: "/tmp/pw.log",
    GRPC_TRACE: "all",
    GRPC_VERBOSITY: "DEBUG",
    GRPC_NODE_TRACE: "all",
    GRPC_NODE_VERBOSITY: "DEBUG",
    PWDEBUG: "1",
    PWDEBUGIMPL: "1",
    NODE_OPTIONS: "--require /tmp/hook.js",
    PATH: "/usr/bin",
    WIN_AUTOMATION_HATCHET_TOKEN: "t",
    DEBUGGER: "kept: not the debug package's",
  });
  const result = scrubDebugEnv(env);
  assert.deepEqual(result.refused, []);
  assert.equal(result.removed.length, 11);
  assert.deepEqual([...env.map.keys()].sort(), [
    "DEBUGGER",
    "PATH",
    "WIN_AUTOMATION_HATCHET_TOKEN",
  ]);
});

Deno.test("scrubDebugEnv() refuses a set NODE_DEBUG, which the runtime read before any code ran", () => {
  assert.deepEqual(
    scrubDebugEnv(fakeEnv({ NODE_DEBUG: "http" })).refused,
    ["NODE_DEBUG"],
  );
  assert.deepEqual(scrubDebugEnv(fakeEnv({ NODE_DEBUG: "" })).refused, []);
});

Deno.test("childEnv() keeps only what ssh and scp need", () => {
  const vars: Record<string, string> = {
    PATH: "/p",
    HOME: "/h",
    LANG: "C.UTF-8",
    USER: "u",
    LOGNAME: "u",
    SSH_AUTH_SOCK: "/s",
    WIN_AUTOMATION_HATCHET_TOKEN: "secret",
    WIN_AUTOMATION_PLAYWRIGHT_WS_PATH: "secret",
    DEBUG: "*",
    NODE_OPTIONS: "--x",
    LD_PRELOAD: "/evil.so",
  };
  assert.deepEqual(childEnv((n) => vars[n]), {
    PATH: "/p",
    HOME: "/h",
    LANG: "C.UTF-8",
    USER: "u",
    LOGNAME: "u",
    SSH_AUTH_SOCK: "/s",
  });
  assert.deepEqual(childEnv(() => undefined), { PATH: "/usr/bin:/bin" });
});
