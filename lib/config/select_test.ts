import { assert } from "@test/assert";
import { ConfigError } from "../errors/mod.ts";
import { loadConfig } from "./load.ts";
import { configForTarget, namesTargets, selectTargets } from "./select.ts";

function load(file: unknown) {
  const env = { HOME: "/home/u" };
  return loadConfig({
    flagPath: "/c.json",
    env,
    getEnv: (name) => env[name as keyof typeof env],
    readTextFile: () => Promise.resolve(JSON.stringify(file)),
  });
}

/** The error `fn` throws (it must throw). */
function throws(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error("expected an error");
}

const FLEET = {
  targets: {
    "win-01": { windows: { ssh_host: "10.0.0.1" }, tags: ["lab"] },
    "win-02": { windows: { ssh_host: "10.0.0.2" }, tags: ["lab", "edge"] },
    "db-01": { windows: { ssh_host: "10.0.1.1" } },
  },
  groups: { web: ["win-02", "win-01"], edge: ["win-02"] },
};

Deno.test("selectTargets() resolves names, groups, globs and tags in the config's order, each once", async () => {
  const config = await load(FLEET);
  assert.deepEqual(selectTargets(config, "win-02"), ["win-02"]);
  assert.deepEqual(selectTargets(config, "web"), ["win-01", "win-02"]);
  assert.deepEqual(selectTargets(config, "win-*"), ["win-01", "win-02"]);
  assert.deepEqual(selectTargets(config, "*-01"), ["win-01", "db-01"]);
  assert.deepEqual(selectTargets(config, "win-0?"), ["win-01", "win-02"]);
  assert.deepEqual(selectTargets(config, "tag:edge"), ["win-02"]);
  assert.deepEqual(
    selectTargets(config, "db-01,edge,win-02,tag:lab"),
    ["win-01", "win-02", "db-01"],
  );
  assert.deepEqual(selectTargets(config, "*"), ["win-01", "win-02", "db-01"]);
});

Deno.test("selectTargets() refuses an item that names nothing, naming the targets and groups", async () => {
  const config = await load(FLEET);
  for (const bad of ["win-03", "win-01,nope", "x*", "tag:none"]) {
    const error = throws(() => selectTargets(config, bad));
    assert.ok(error instanceof ConfigError, String(error));
    assert.match(
      error.message,
      /names no target \(targets: win-01, win-02, db-01; groups: web, edge\)/,
    );
  }
  const malformed = throws(() => selectTargets(config, "Win.01"));
  assert.ok(malformed instanceof ConfigError);
  assert.match(malformed.message, /--targets must be target names/);
});

Deno.test("namesTargets() is false for today's single-host config, true for a file with targets", async () => {
  assert.equal(namesTargets(await load({})), false);
  assert.equal(namesTargets(await load(FLEET)), true);
  assert.equal(
    namesTargets(await load({ targets: { "win-01": {} } })),
    true,
  );
});

Deno.test("configForTarget() gives the target's windows, aloha and playwright and keeps the rest", async () => {
  const config = await load(FLEET);
  const two = configForTarget(config, "win-02");
  assert.equal(two.target, "win-02");
  assert.equal(two.windows.sshHost, "10.0.0.2");
  assert.equal(configForTarget(config, "db-01").windows.sshHost, "10.0.1.1");
  assert.equal(two.hatchet, config.hatchet);
  const error = throws(() => configForTarget(config, "nope"));
  assert.ok(error instanceof ConfigError);
  assert.match(error.message, /known: win-01, win-02, db-01/);
});
