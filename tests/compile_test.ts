import { assert } from "@test/assert";
import { buildStamp } from "../scripts/_build_version.ts";
import { commandModules, compileArgs } from "../scripts/compile.ts";
import { CLI_PERMISSIONS } from "../scripts/permissions.ts";

Deno.test("compileArgs() uses exactly the CLI's permission set, never --allow-all", () => {
  const args = compileArgs("aarch64-unknown-linux-gnu");
  const flags = args.filter((a) => a.startsWith("--allow") || a === "-A");
  assert.deepEqual(
    flags,
    CLI_PERMISSIONS.filter((a) => a.startsWith("--allow")),
  );
  assert.ok(!args.includes("-A") && !args.includes("--allow-all"));
  assert.deepEqual(args.slice(-3), [
    "--output",
    "dist/win-automation-aarch64-unknown-linux-gnu",
    "dist/bundle/main.js",
  ]);
  assert.ok(args.includes("--target"));
  assert.ok(!compileArgs().includes("--target"));
});

Deno.test("buildStamp() takes the version from a SemVer tag and refuses any other tag", () => {
  assert.deepEqual(buildStamp("v1.4.2\n", "0123456789abcdef0123"), {
    version: "1.4.2",
    commit: "0123456789ab",
  });
  assert.equal(buildStamp("v2.0.0-rc.1", "abc").version, "2.0.0-rc.1");
  assert.equal(
    buildStamp("", "0123456789abcdef").version,
    "0.0.0-dev+0123456789ab",
  );
  for (const bad of ["1.2.3", "v1.2", "v01.2.3", "release-1", "v1.2.3+x"]) {
    assert.throws(() => buildStamp(bad, "abc"), /not a SemVer release tag/);
  }
});

Deno.test("`win-automation version` prints version= from lib/version/build.json", async () => {
  const { runCli } = await import("./_cli.ts");
  const build = JSON.parse(
    await Deno.readTextFile(
      new URL("../lib/version/build.json", import.meta.url),
    ),
  ) as { version: string };
  const r = await runCli(["version"], {});
  assert.equal(r.code, 0);
  assert.ok(r.stdout.includes(`version=${build.version}`), r.stdout);
});

/** The module specifiers of `entry`'s graph, as `deno info` lists them. */
async function graphOf(entry: string): Promise<string[]> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", entry],
    cwd: new URL("..", import.meta.url).pathname,
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
  const info = JSON.parse(new TextDecoder().decode(out.stdout)) as {
    modules: { specifier: string }[];
  };
  return info.modules.map((m) => m.specifier);
}

Deno.test("compileArgs() includes every command module of the tree, each an existing file", async () => {
  const modules = commandModules();
  const args = compileArgs();
  assert.equal(new Set(modules).size, modules.length, modules.join(" "));
  assert.ok(modules.includes("commands/windows/exec.ts"));
  assert.ok(modules.includes("commands/version.ts"));
  for (const m of modules) {
    assert.match(m, /^commands\/[a-z_/]+\.ts$/);
    const js = `dist/bundle/${m.replace(/\.ts$/, ".js")}`;
    assert.ok(args.includes(js), js);
    assert.equal(args[args.indexOf(js) - 1], "--include");
    const { default: action } = await import(`../${m}`);
    assert.equal(typeof action, "function", `${m} has no default export`);
  }
});

Deno.test("everything the binary loads is in the graph of main.ts and the included command modules, so deno compile embeds it", async () => {
  const specifiers = new Set<string>();
  for (const entry of ["main.ts", ...commandModules()]) {
    for (const s of await graphOf(entry)) specifiers.add(s);
  }
  const root = new URL("..", import.meta.url).href;
  const local = new Set(
    [...specifiers].filter((s) => s.startsWith(root))
      .map((s) => s.slice(root.length)),
  );

  // The Windows-side assets, embedded through import attributes.
  assert.ok(local.has("assets/launch-server.js"));
  assert.ok(local.has("assets/install-playwright.ps1"));
  // The lazily loaded SDKs: dynamic imports of literal specifiers.
  const npm = [...specifiers].filter((s) => s.startsWith("npm:"));
  assert.ok(npm.some((s) => s.includes("@hatchet-dev/typescript-sdk@")));
  assert.ok(npm.some((s) => s.includes("playwright-core@")));
  // The parse gate's grammar and parser are for tests only (that list is not
  // empty: the two SDKs above are in it).
  assert.ok(!npm.some((s) => s.includes("tree-sitter")), npm.join(" "));
  // Every module of the CLI is reachable from those entries ...
  for (const dir of ["lib", "commands"]) {
    for await (const path of walk(dir)) {
      assert.ok(local.has(path), `${path} is not in the binary's graph`);
    }
  }
  // The lab (a workspace member of its own) and the tests stay out of the
  // binary: not one of their modules is in main.ts's graph.
  const outside = [...local].filter((p) =>
    p.startsWith("lab/") || p.startsWith("tests/")
  );
  assert.deepEqual(outside, [], "the lab or tests in main.ts's module graph");
  // ... and none but lib/cli/lazy.ts (whose modules are the includes above)
  // is loaded through a specifier deno compile cannot see.
  for (const path of local) {
    if (!path.endsWith(".ts") || path === "lib/cli/lazy.ts") continue;
    const text = await Deno.readTextFile(new URL(path, root));
    assert.doesNotMatch(
      text,
      /\bimport\((?!\s*["'])/,
      `${path}: import() of a computed specifier`,
    );
  }
});

/** A dynamic import with a literal specifier, which `deno run` walks at start-up. */
const LITERAL_IMPORT = /\bimport\(\s*["'`]/;

Deno.test("the route maps load no command through a literal import(), which deno run would walk before main.ts starts", async () => {
  // Negative control: the pattern sees the form the maps used to have.
  assert.match('loader: () => import("./exec.ts"),', LITERAL_IMPORT);
  assert.doesNotMatch(
    'loader: lazy<typeof import("./exec.ts")>(import.meta.url, "./exec.ts"),'
      .replace(/typeof import\(/g, ""),
    LITERAL_IMPORT,
  );
  const maps = ["commands/mod.ts"];
  for await (
    const e of Deno.readDir(new URL("../commands/", import.meta.url))
  ) {
    if (e.isDirectory) maps.push(`commands/${e.name}/mod.ts`);
  }
  for (const path of maps) {
    const text = await Deno.readTextFile(
      new URL(`../${path}`, import.meta.url),
    );
    assert.doesNotMatch(
      text.replace(/typeof import\(/g, ""),
      LITERAL_IMPORT,
      `${path} imports a command with a literal specifier`,
    );
  }
});

async function* walk(dir: string): AsyncGenerator<string> {
  const base = new URL(`../${dir}/`, import.meta.url);
  for await (const e of Deno.readDir(base)) {
    const path = `${dir}/${e.name}`;
    if (e.isDirectory) yield* walk(path);
    else if (e.name.endsWith(".ts") && !e.name.endsWith("_test.ts")) yield path;
  }
}
