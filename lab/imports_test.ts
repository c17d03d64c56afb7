/**
 * The lab's import rules. Its programs run with `deno run --no-config`, so
 * lab code imports only `node:` modules and relative paths; it never imports
 * the CLI's lib/ (only its tests do, to compare the lab with what the CLI
 * ships). `_` files are private to their folder. Across lab folders an import
 * goes through the folder's `mod.ts`, except in `session/`: sshd starts it for
 * every ssh request, so it imports the public files it uses one by one and
 * loads no more than it needs (about 15 ms less per session than whole
 * mod.ts graphs).
 * @module
 */
import assert from "node:assert/strict";
import { dirname, join, normalize, relative } from "node:path";
import { fileURLToPath } from "node:url";

const LAB = fileURLToPath(new URL(".", import.meta.url));
/** Files only tests import, which may import lib/ as tests do. */
const TEST_SUPPORT = new Set(["powershell/_v2_request.ts"]);
/** Files outside the lab that lab code may read. */
const OUTSIDE_ALLOWED = new Set(["../deno.json", "../scripts/permissions.ts"]);
const SPECIFIER =
  /(?:^|\n)\s*(?:import|export)\b[^"';]*?from\s*"([^"]+)"|import\(\s*"([^"]+)"\s*\)/g;

async function* walk(dir: string): AsyncGenerator<string> {
  for await (const e of Deno.readDir(join(LAB, dir))) {
    const path = dir ? `${dir}/${e.name}` : e.name;
    if (e.isDirectory) yield* walk(path);
    else if (e.name.endsWith(".ts")) yield path;
  }
}

async function imports(): Promise<{ file: string; spec: string }[]> {
  const out = [];
  for await (const file of walk("")) {
    const text = await Deno.readTextFile(join(LAB, file));
    for (const m of text.matchAll(SPECIFIER)) {
      out.push({ file, spec: (m[1] ?? m[2])! });
    }
  }
  return out;
}

const isTest = (file: string) =>
  file.endsWith("_test.ts") || TEST_SUPPORT.has(file);
const folderOf = (path: string) => dirname(path) === "." ? "" : dirname(path);

Deno.test("lab code imports only node: modules and lab files, never lib/", async () => {
  const all = await imports();
  assert.ok(all.length > 100, `only ${all.length} imports found`);
  for (const { file, spec } of all) {
    if (isTest(file) || spec.startsWith("node:")) continue;
    assert.ok(spec.startsWith("."), `${file}: "${spec}" is not relative`);
    const target = normalize(join(folderOf(file), spec));
    if (!target.startsWith("..")) continue;
    assert.ok(
      OUTSIDE_ALLOWED.has(target),
      `${file}: "${spec}" is outside the lab`,
    );
  }
});

Deno.test("lab folders import each other only through mod.ts, never a _ file", async () => {
  for (const { file, spec } of await imports()) {
    if (!spec.startsWith(".")) continue;
    const target = normalize(join(folderOf(file), spec));
    if (target.startsWith("..")) continue;
    if (folderOf(target) === folderOf(file)) continue;
    assert.ok(
      !target.split("/").at(-1)!.startsWith("_"),
      `${file}: "${spec}" is private to its folder`,
    );
    if (folderOf(file) === "session" && !isTest(file)) continue;
    assert.equal(
      relative(folderOf(target), target),
      "mod.ts",
      `${file}: "${spec}" reaches into another lab folder`,
    );
  }
});
