import { assert } from "@test/assert";
import {
  booleanFlag,
  defaultedFlag,
  type Group,
  InvalidArgumentError,
  ParseError,
  requiredFlag,
  route,
  valueFlag,
} from "./mod.ts";

const never = Object.assign(
  () => Promise.reject(new Error("not loaded in these tests")),
  { path: "not-loaded.ts" },
);
const tree: Group<unknown> = {
  kind: "group",
  name: "prog",
  description: "a test program",
  flags: {
    config: valueFlag("--config <path>", "config file"),
    debug: booleanFlag("--debug", "verbose"),
  },
  commands: [{
    kind: "group",
    name: "box",
    description: "a group",
    flags: {},
    commands: [{
      kind: "command",
      name: "run",
      description: "a command",
      argument: { name: "words", description: "what to run", variadic: true },
      flags: {
        raw: booleanFlag("--raw", "raw output"),
        count: defaultedFlag(
          valueFlag("--count <n>", "how many", (v) => {
            if (!/^\d+$/.test(v)) {
              throw new InvalidArgumentError("not a number");
            }
            return Number(v);
          }),
          3,
        ),
        name: requiredFlag(valueFlag("--name <name>", "a name")),
      },
      loader: never,
    }],
  }],
};

const refused = (args: string[]) => {
  try {
    route(tree, args);
  } catch (error) {
    if (error instanceof ParseError) return error.message;
    throw error;
  }
  throw new Error(`accepted: ${args.join(" ")}`);
};

Deno.test("route() takes the root's flags only before the subcommand and a command's anywhere up to --", () => {
  const r = route(tree, [
    "--config",
    "c.json",
    "box",
    "run",
    "a",
    "--name=x",
    "--raw",
    "--",
    "--count",
    "-h",
  ]);
  assert.equal(r.kind, "run");
  if (r.kind !== "run") return;
  assert.deepEqual(r.path, ["box", "run"]);
  assert.deepEqual(r.globals, { config: "c.json" });
  assert.deepEqual(r.options, { name: "x", raw: true, count: 3 });
  assert.deepEqual(r.words, ["a", "--count", "-h"]);
  // The root's flag after the subcommand is not the root's.
  assert.equal(
    refused(["box", "run", "--name", "x", "--config", "c", "w"]),
    "unknown option '--config'",
  );
});

Deno.test("route() keeps the last value of a repeated flag and parses each", () => {
  const r = route(tree, ["box", "run", "--name", "a", "--name", "b", "w"]);
  assert.ok(r.kind === "run" && r.options.name === "b");
  assert.equal(
    refused(["box", "run", "--name", "a", "--count", "x", "w"]),
    "option '--count <n>' argument 'x' is invalid. not a number",
  );
});

Deno.test("route() refuses input with commander's wording", () => {
  assert.equal(refused(["nope"]), "unknown command 'nope'");
  assert.equal(refused(["bx"]), "unknown command 'bx' (Did you mean box?)");
  assert.equal(
    refused(["box", "run", "--nme", "x", "w"]),
    "required option '--name <name>' not specified",
  );
  assert.equal(
    refused(["box", "run", "--name", "x", "--rw", "w"]),
    "unknown option '--rw' (Did you mean --raw?)",
  );
  assert.equal(
    refused(["box", "run", "--name"]),
    "option '--name <name>' argument missing",
  );
  assert.equal(
    refused(["box", "run", "--name", "x"]),
    "missing required argument 'words'",
  );
  assert.equal(refused(["--nope", "box"]), "unknown option '--nope'");
  assert.equal(
    refused(["--debug=1"]),
    "unknown option '--debug=1' (Did you mean --debug?)",
  );
});

Deno.test("route() answers help: asked for on stdout, a group without a command on stderr", () => {
  const help = (args: string[]) => {
    const r = route(tree, args);
    assert.equal(r.kind, "help", args.join(" "));
    return r.kind === "help" ? [r.path.join(" "), r.toStderr] : [];
  };
  assert.deepEqual(help([]), ["", true]);
  assert.deepEqual(help(["box"]), ["box", true]);
  assert.deepEqual(help(["--help", "box"]), ["", false]);
  assert.deepEqual(help(["box", "run", "-h"]), ["box run", false]);
  assert.deepEqual(help(["box", "run", "--nope", "--help"]), [
    "box run",
    false,
  ]);
  assert.deepEqual(help(["help", "box"]), ["box", false]);
  assert.deepEqual(help(["help", "zzz"]), ["", true]);
  // Negative control: -h after -- is a word, not a help flag.
  const r = route(tree, ["box", "run", "--name", "x", "--", "-h"]);
  assert.equal(r.kind, "run");
});
