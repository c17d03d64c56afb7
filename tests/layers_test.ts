/**
 * The levels of CONVENTIONS.md, kept: every import under lib/, commands/ and
 * main.ts is read (as std's `_tools/check_circular_package_dependencies.ts`
 * reads its packages) and the build fails on (a) a cycle between folders,
 * (b) an import of another folder's file that is not its `mod.ts`, or of a
 * `_private.ts` file from outside its folder, (c) an import that goes up
 * the levels. One allowance: a command group folder (`commands/<group>/`)
 * uses the shared files of `commands/` (`_io.ts`, `_flags.ts`,
 * `_with_context.ts`...) as its own, so an import from a subfolder into its
 * parent on the same level is neither a private reach nor a folder edge.
 * The check runs against a planted tree too (negative control).
 * @module
 */
import { assert } from "@test/assert";
import { dirname, join, normalize, relative } from "node:path";

/**
 * The levels, lowest first: a folder may import its own level and any level
 * below, never one above. The one table of them.
 */
export const LEVELS: readonly (readonly string[])[] = [
  // base
  [
    "lib/errors",
    "lib/log",
    "lib/ids",
    "lib/duration",
    "lib/retry",
    "lib/process",
    "lib/redact",
    "lib/fs",
    "lib/version",
    "lib/metrics",
    "lib/page_url",
    "lib/cli",
    "lib/fleet",
  ],
  // transport
  ["lib/ssh", "lib/http", "lib/powershell"],
  // Windows
  ["lib/windows"],
  // services
  [
    "lib/config",
    "lib/aloha",
    "lib/playwright",
    "lib/artifacts",
    "lib/hatchet",
  ],
  // orchestration
  ["lib/worker", "lib/doctor", "lib/supervisor"],
  // commands/ and its command groups (commands/<group>/mod.ts routes,
  // commands/<group>/<cmd>.ts implementations)
  [
    "commands",
    "commands/windows",
    "commands/aloha",
    "commands/playwright",
    "commands/jobs",
    "commands/artifacts",
    "commands/config",
    "commands/supervisor",
    "commands/targets",
  ],
  ["."], // main.ts
];

/** One import between two files of the tree, by path from the root. */
export interface Edge {
  from: string;
  to: string;
}

const IMPORT =
  /(?:^|\n)\s*(?:import|export)\s+(?:type\s+)?(?:[^"';]*?\s+from\s+)?["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g;

/** The relative imports of every `.ts` file (not tests) below `root`'s lib/, commands/ and main.ts. */
export async function readEdges(root: string): Promise<Edge[]> {
  const files: string[] = [];
  const walk = async (dir: string) => {
    for await (const e of Deno.readDir(join(root, dir))) {
      const rel = join(dir, e.name);
      if (e.isDirectory) await walk(rel);
      else if (e.name.endsWith(".ts") && !e.name.endsWith("_test.ts")) {
        files.push(rel);
      }
    }
  };
  for (const dir of ["lib", "commands"]) {
    if (await Deno.stat(join(root, dir)).catch(() => null)) await walk(dir);
  }
  if (await Deno.stat(join(root, "main.ts")).catch(() => null)) {
    files.push("main.ts");
  }
  const edges: Edge[] = [];
  for (const from of files) {
    const text = await Deno.readTextFile(join(root, from));
    for (const m of text.matchAll(IMPORT)) {
      const spec = m[1] ?? m[2]!;
      if (!spec.startsWith(".")) continue;
      const to = normalize(join(dirname(from), spec));
      if (to.endsWith(".ts")) edges.push({ from, to });
    }
  }
  return edges;
}

const folderOf = (file: string) => dirname(file);

function levelOf(folder: string): number {
  const level = LEVELS.findIndex((l) => l.includes(folder));
  return level;
}

/** Whether `a` is a subfolder of `b` on `b`'s level (a command group and commands/). */
function usesParent(a: string, b: string): boolean {
  return a.startsWith(`${b}/`) && levelOf(a) >= 0 &&
    levelOf(a) === levelOf(b);
}

/** Every breach of the three rules, one line each; empty when the tree keeps them. */
export function layerProblems(edges: Edge[]): string[] {
  const problems: string[] = [];
  const deps = new Map<string, Set<string>>();
  for (const { from, to } of edges) {
    const a = folderOf(from);
    const b = folderOf(to);
    if (a === b || usesParent(a, b)) continue;
    if (!(deps.get(a) ?? deps.set(a, new Set()).get(a)!).has(b)) {
      deps.get(a)!.add(b);
    }
    const name = to.split("/").pop()!;
    if (name.startsWith("_")) {
      problems.push(`${from} imports ${to}: a private file of another folder`);
    } else if (name !== "mod.ts" && b !== ".") {
      problems.push(`${from} imports ${to}: not ${b}/mod.ts`);
    }
    const la = levelOf(a);
    const lb = levelOf(b);
    if (la < 0) problems.push(`${a}: not in the level table (${from})`);
    if (lb < 0) problems.push(`${b}: not in the level table (${to})`);
    if (la >= 0 && lb > la) {
      problems.push(`${from} imports ${to}: ${b} is above ${a}`);
    }
  }
  // Cycles between folders: a depth-first search over the folder graph.
  const state = new Map<string, "open" | "done">();
  const stack: string[] = [];
  const visit = (folder: string) => {
    state.set(folder, "open");
    stack.push(folder);
    for (const next of [...(deps.get(folder) ?? [])].sort()) {
      if (state.get(next) === "open") {
        const cycle = [...stack.slice(stack.indexOf(next)), next];
        problems.push(`cycle between folders: ${cycle.join(" -> ")}`);
      } else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(folder, "done");
  };
  for (const folder of [...deps.keys()].sort()) {
    if (!state.has(folder)) visit(folder);
  }
  return [...new Set(problems)];
}

const ROOT = relative(Deno.cwd(), new URL("..", import.meta.url).pathname) ||
  ".";

Deno.test("lib/, commands/ and main.ts keep the levels: no folder cycle, only mod.ts across folders, no import upwards", async () => {
  const edges = await readEdges(ROOT);
  // Not vacuous: the tree was read and crosses folders.
  assert.ok(edges.length > 200, `only ${edges.length} imports read`);
  assert.ok(edges.some((e) => e.from === "main.ts"));
  assert.ok(edges.some((e) => e.from.startsWith("lib/worker/")));
  assert.ok(edges.some((e) => e.from.startsWith("commands/jobs/")));
  assert.deepEqual(layerProblems(edges), []);
});

Deno.test("every lib/ folder and command group folder is in the level table", async () => {
  const folders: string[] = [];
  for (const dir of ["lib", "commands"]) {
    for await (const e of Deno.readDir(join(ROOT, dir))) {
      if (e.isDirectory) folders.push(`${dir}/${e.name}`);
    }
  }
  assert.ok(folders.length > 20);
  assert.ok(folders.includes("lib/cli") && folders.includes("commands/jobs"));
  for (const folder of folders) {
    assert.ok(levelOf(folder) >= 0, `${folder} has no level in LEVELS`);
  }
});

Deno.test("the layers check fails on a planted cycle, an upward import, a private file and a non-mod import", async () => {
  const root = await Deno.makeTempDir({ prefix: "wa-layers-" });
  try {
    const put = async (path: string, text: string) => {
      await Deno.mkdir(join(root, dirname(path)), { recursive: true });
      await Deno.writeTextFile(join(root, path), text);
    };
    // A clean tree first: the check passes it.
    await put("lib/errors/mod.ts", "export const E = 1;\n");
    await put("lib/ssh/mod.ts", 'import { E } from "../errors/mod.ts";\n');
    await put("main.ts", 'import "./lib/ssh/mod.ts";\n');
    // A command group uses commands/' shared files; commands/ routes to it.
    await put("commands/_io.ts", "export type Io = 1;\n");
    await put("commands/mod.ts", 'import "./jobs/mod.ts";\n');
    await put("commands/jobs/mod.ts", 'import "../_io.ts";\n');
    assert.deepEqual(layerProblems(await readEdges(root)), []);
    // Then each breach, planted.
    await put(
      "lib/errors/mod.ts",
      'import { S } from "../ssh/mod.ts";\nexport const E = 1;\n',
    );
    await put("lib/ssh/_private.ts", "export const P = 1;\n");
    await put("lib/ssh/client.ts", "export const C = 1;\n");
    await put(
      "lib/windows/mod.ts",
      'import { P } from "../ssh/_private.ts";\nimport { C } from "../ssh/client.ts";\n',
    );
    // The allowance is for a group and commands/ only: not between groups,
    // not from commands/ down into a group's files.
    await put("commands/jobs/_jobs.ts", "export const J = 1;\n");
    await put("commands/aloha/run.ts", 'import "../jobs/_jobs.ts";\n');
    await put("commands/doctor.ts", 'import "./jobs/_jobs.ts";\n');
    const problems = layerProblems(await readEdges(root));
    const has = (part: string) =>
      assert.ok(
        problems.some((p) => p.includes(part)),
        `expected a problem with ${JSON.stringify(part)}: ${
          problems.join("\n")
        }`,
      );
    has("cycle between folders: lib/ssh -> lib/errors -> lib/ssh");
    has(
      "lib/errors/mod.ts imports lib/ssh/mod.ts: lib/ssh is above lib/errors",
    );
    has("lib/windows/mod.ts imports lib/ssh/_private.ts: a private file");
    has("lib/windows/mod.ts imports lib/ssh/client.ts: not lib/ssh/mod.ts");
    has("commands/aloha/run.ts imports commands/jobs/_jobs.ts: a private file");
    has("commands/doctor.ts imports commands/jobs/_jobs.ts: a private file");
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
