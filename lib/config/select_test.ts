import fc from "fast-check";
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

Deno.test("selectTargets() takes @group, all and !exclusions: union of inclusions minus union of exclusions", async () => {
  const config = await load({
    ...FLEET,
    // "win-01" is a target and a group: the bare name is the target.
    groups: { ...FLEET.groups, "win-01": ["db-01"] },
  });
  const all = ["win-01", "win-02", "db-01"];
  assert.deepEqual(selectTargets(config, "all"), all);
  assert.deepEqual(selectTargets(config, "@web"), ["win-01", "win-02"]);
  assert.deepEqual(selectTargets(config, "win-01"), ["win-01"]);
  assert.deepEqual(selectTargets(config, "@win-01"), ["db-01"]);
  assert.deepEqual(selectTargets(config, "all,!win-02"), ["win-01", "db-01"]);
  assert.deepEqual(selectTargets(config, "!win-02"), ["win-01", "db-01"]);
  assert.deepEqual(selectTargets(config, "!@web"), ["db-01"]);
  assert.deepEqual(selectTargets(config, "!tag:lab"), ["db-01"]);
  assert.deepEqual(selectTargets(config, "db-01,!win-*"), ["db-01"]);
  // Order does not matter: an exclusion wins over an inclusion after it.
  assert.deepEqual(selectTargets(config, "!win-02,web"), ["win-01"]);
  assert.deepEqual(selectTargets(config, "web,!win-02"), ["win-01"]);
  assert.deepEqual(selectTargets(config, " all , !db-01 "), [
    "win-01",
    "win-02",
  ]);
});

Deno.test("selectTargets() refuses an exclusion that names nothing, a pattern that leaves nothing, and malformed items", async () => {
  const config = await load(FLEET);
  for (const bad of ["!win-03", "all,!nope", "!@nope", "@win-01", "!tag:x"]) {
    const error = throws(() => selectTargets(config, bad));
    assert.ok(error instanceof ConfigError, `${bad}: ${error}`);
    assert.match(
      error.message,
      /names no target \(targets: win-01, win-02, db-01; groups: web, edge\)/,
    );
    assert.ok(error.message.includes(JSON.stringify(bad.split(",").at(-1))));
  }
  for (const empty of ["!all", "web,!win-*", "!win-01,!win-02,!db-01"]) {
    const error = throws(() => selectTargets(config, empty));
    assert.ok(error instanceof ConfigError, `${empty}: ${error}`);
    assert.match(error.message, /leaves no target \(targets: win-01/);
  }
  for (
    const malformed of ["!", "!!win-01", "@", "@web*", "tag:", "win-01,,win-02"]
  ) {
    const error = throws(() => selectTargets(config, malformed));
    assert.ok(error instanceof ConfigError, `${malformed}: ${error}`);
    assert.match(error.message, /--targets must be target names/);
  }
});

// The reference model: the same rules written as set algebra over plain
// arrays, with a recursive glob matcher instead of a regular expression.
const POOL = ["a", "b", "ab", "ba", "a-1", "b-2"];
const TAGS = ["x", "y"];

function globMatch(glob: string, name: string): boolean {
  if (glob === "") return name === "";
  if (glob[0] === "*") {
    for (let i = 0; i <= name.length; i++) {
      if (globMatch(glob.slice(1), name.slice(i))) return true;
    }
    return false;
  }
  return name !== "" && (glob[0] === "?" || glob[0] === name[0]) &&
    globMatch(glob.slice(1), name.slice(1));
}

interface Model {
  targets: string[];
  tags: Record<string, string[]>;
  groups: Record<string, string[]>;
}

function modelItem(m: Model, item: string): string[] {
  if (item === "all") return m.targets;
  if (item[0] === "@") return m.groups[item.slice(1)] ?? [];
  if (item.slice(0, 4) === "tag:") {
    return m.targets.filter((t) => m.tags[t]!.indexOf(item.slice(4)) >= 0);
  }
  if (item.includes("*") || item.includes("?")) {
    return m.targets.filter((t) => globMatch(item, t));
  }
  return m.targets.indexOf(item) >= 0 ? [item] : m.groups[item] ?? [];
}

/** The model's answer: the targets, or "error" (an item names nothing, or none left). */
function model(m: Model, items: string[]): string[] | "error" {
  const sets = items.map((i) => ({
    not: i[0] === "!",
    found: modelItem(m, i.replace(/^!/, "")),
  }));
  if (sets.some((s) => s.found.length === 0)) return "error";
  const plus = sets.filter((s) => !s.not).flatMap((s) => s.found);
  const minus = sets.filter((s) => s.not).flatMap((s) => s.found);
  const base = sets.some((s) => !s.not) ? plus : m.targets;
  const out = m.targets.filter((t) => base.includes(t) && !minus.includes(t));
  return out.length === 0 ? "error" : out;
}

const fleetArb = fc.uniqueArray(fc.constantFrom(...POOL), {
  minLength: 1,
  maxLength: POOL.length,
}).chain((targets) =>
  fc.record({
    targets: fc.constant(targets),
    tags: fc.record(
      Object.fromEntries(
        targets.map((t) => [t, fc.subarray(TAGS)]),
      ) as Record<string, fc.Arbitrary<string[]>>,
    ),
    groups: fc.dictionary(
      fc.constantFrom("a", "g", "h", "b-2"),
      fc.subarray(targets),
    ),
  })
);

const itemArb = fc.tuple(
  fc.boolean(),
  fc.oneof(
    fc.constantFrom(...POOL, "all", "g", "zz"),
    fc.constantFrom("@g", "@h", "@a", "@b-2", "@zz"),
    fc.constantFrom(...TAGS, "z").map((t) => `tag:${t}`),
    fc.constantFrom("*", "a*", "?", "??", "*-?", "b*", "*a", "q*"),
  ),
).map(([not, item]) => (not ? "!" : "") + item);

Deno.test("selectTargets() agrees with a set-algebra model over generated configs and patterns", () => {
  let chosen = 0;
  let refused = 0;
  fc.assert(
    fc.property(
      fleetArb,
      fc.array(itemArb, { minLength: 1, maxLength: 5 }),
      (m, items) => {
        const config = {
          targets: Object.fromEntries(
            m.targets.map((t) => [t, { tags: m.tags[t]! }]),
          ),
          groups: m.groups,
        } as unknown as Parameters<typeof selectTargets>[0];
        const want = model(m, items);
        let got: string[] | "error";
        try {
          got = selectTargets(config, items.join(","));
        } catch (error) {
          assert.ok(error instanceof ConfigError, String(error));
          got = "error";
        }
        assert.deepEqual(got, want, items.join(","));
        if (got === "error") refused++;
        else chosen++;
      },
    ),
    { numRuns: 500 },
  );
  // Both outcomes were exercised: the agreement is not all errors (or none).
  assert.ok(chosen > 50 && refused > 50, `chosen=${chosen} refused=${refused}`);
});

Deno.test("the model comparison can fail: a resolver without exclusions disagrees (negative control)", () => {
  const m: Model = {
    targets: ["a", "b"],
    tags: { a: [], b: [] },
    groups: {},
  };
  const withoutExclusion = ["a", "b"];
  assert.notDeepEqual(model(m, ["all", "!a"]), withoutExclusion);
  assert.deepEqual(model(m, ["all", "!a"]), ["b"]);
  assert.equal(model(m, ["!a", "!b"]), "error");
  assert.equal(model(m, ["a", "zz"]), "error");
  assert.equal(globMatch("a*", "ab"), true);
  assert.equal(globMatch("?", "ab"), false);
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
