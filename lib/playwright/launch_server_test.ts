import { assert, assertExcludes } from "@test/assert";
import { PLAYWRIGHT_ASSETS } from "./assets.ts";

const WS_PATH = "ws-launch-test-ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";

/**
 * A stand-in playwright-core: records what launch-server.js gave it (the
 * options without the secret, the ws environment at load time, and where a
 * bare require from inside it would look) and exits.
 */
const FAKE_CORE = `
const fs = require("node:fs");
const path = require("node:path");
const atLoad = {
  WS_NO_BUFFER_UTIL: process.env.WS_NO_BUFFER_UTIL ?? null,
  WS_NO_UTF_8_VALIDATE: process.env.WS_NO_UTF_8_VALIDATE ?? null,
  lookups: require.resolve.paths("bufferutil"),
};
exports.chromium = {
  launchServer: async (options) => {
    const { wsPath, ...rest } = options;
    fs.writeFileSync(path.join(__dirname, "seen.json"), JSON.stringify({ ...atLoad, options: rest, wsPathLength: wsPath.length }));
    setTimeout(() => process.exit(0), 10);
    return { close: async () => {} };
  },
};
`;

async function serverDir(
  config: Record<string, unknown> = {},
  wsPath = WS_PATH,
): Promise<{ outer: string; dir: string }> {
  const outer = await Deno.makeTempDir({ prefix: "wa-launch-" });
  const dir = `${outer}/pw`;
  const core = `${dir}/node_modules/playwright-core`;
  await Deno.mkdir(core, { recursive: true });
  await Deno.writeTextFile(`${core}/index.js`, FAKE_CORE);
  await Deno.writeTextFile(
    `${core}/package.json`,
    JSON.stringify({ name: "playwright-core", version: "1.61.1" }),
  );
  await Deno.writeTextFile(
    `${dir}/launch-server.js`,
    PLAYWRIGHT_ASSETS["launch-server.js"]!,
  );
  await Deno.writeTextFile(`${dir}/ws_path.txt`, wsPath);
  await Deno.writeTextFile(
    `${dir}/server.json`,
    JSON.stringify({
      host: "127.0.0.1",
      port: 1,
      channel: "msedge",
      executable_path: "",
      ...config,
    }),
  );
  return { outer, dir };
}

async function launch(dir: string, env: Record<string, string> = {}) {
  const out = await new Deno.Command("node", {
    args: [`${dir}/launch-server.js`],
    cwd: dir,
    env: { NODE_PATH: "", ...env },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const seen = await Deno.readTextFile(
    `${dir}/node_modules/playwright-core/seen.json`,
  ).then(JSON.parse, () => null);
  const log = await Deno.readTextFile(`${dir}/launch-server.log`).catch(() =>
    ""
  );
  return { code: out.code, seen, log };
}

Deno.test("launch-server.js sandboxes Chromium, turns off ws's optional native modules before playwright-core loads, and looks up modules only in its folder", async () => {
  const { outer, dir } = await serverDir();
  try {
    const r = await launch(dir);
    assert.equal(r.code, 0, r.log);
    assert.equal(r.seen.options.chromiumSandbox, true);
    assert.equal(r.seen.WS_NO_BUFFER_UTIL, "1");
    assert.equal(r.seen.WS_NO_UTF_8_VALIDATE, "1");
    assert.equal(r.seen.wsPathLength, WS_PATH.length);
    assert.ok(r.seen.lookups.length > 0);
    for (const p of r.seen.lookups as string[]) {
      assert.ok(p.startsWith(`${dir}/`), `looks outside its folder: ${p}`);
    }
    assert.match(r.log, /sandbox=true/);
    assertExcludes(r.log, WS_PATH);
  } finally {
    await Deno.remove(outer, { recursive: true });
  }
});

Deno.test("launch-server.js turns the sandbox off only for the lab's lab_no_sandbox", async () => {
  const { outer, dir } = await serverDir({ lab_no_sandbox: true });
  try {
    const r = await launch(dir);
    assert.equal(r.code, 0, r.log);
    assert.equal(r.seen.options.chromiumSandbox, false);
  } finally {
    await Deno.remove(outer, { recursive: true });
  }
});

Deno.test("launch-server.js refuses to start (exit 2, saying why) with a node_modules above its folder, NODE_PATH set or a weak ws path", async () => {
  const cases: Array<
    [string, (outer: string) => Promise<void>, object, RegExp]
  > = [
    [
      "node_modules above",
      (outer) => Deno.mkdir(`${outer}/node_modules`),
      {},
      /node_modules exists: Node would look for modules there/,
    ],
    [
      "NODE_PATH",
      () => Promise.resolve(),
      { NODE_PATH: "/x" },
      /NODE_PATH is set/,
    ],
  ];
  for (const [what, plant, env, why] of cases) {
    const { outer, dir } = await serverDir();
    try {
      await plant(outer);
      const r = await launch(dir, env as Record<string, string>);
      assert.equal(r.code, 2, `${what}: ${r.log}`);
      assert.match(r.log, why);
      assert.equal(r.seen, null, `${what}: playwright-core was loaded`);
    } finally {
      await Deno.remove(outer, { recursive: true });
    }
  }
  const weak = await serverDir({}, "a".repeat(40));
  try {
    const r = await launch(weak.dir);
    assert.equal(r.code, 2);
    assert.match(r.log, /does not hold a valid ws path/);
    assertExcludes(r.log, "a".repeat(40));
  } finally {
    await Deno.remove(weak.outer, { recursive: true });
  }
});
