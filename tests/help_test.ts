import { assert } from "@test/assert";
import { runInProcess } from "./_cli.ts";
import { ROOT } from "../commands/mod.ts";
import type { Group, Node } from "../lib/cli/mod.ts";

const DIR = new URL("./snapshots/", import.meta.url);
const UPDATE = Deno.env.get("UPDATE_SNAPSHOTS") === "1";

/** Every node users can reach (hidden commands left out), with its path. */
function nodes<C>(group: Group<C>, path: string[] = []): string[][] {
  const out = [path];
  for (const child of group.commands) {
    if (child.kind === "command" && child.hidden) continue;
    const at = [...path, child.name];
    if (child.kind === "group") out.push(...nodes(child, at));
    else out.push(at);
  }
  return out;
}

/** The leaf commands (the ones that run something) of a tree. */
function leaves<C>(group: Group<C>): string[][] {
  return nodes(group).filter((path) => kindAt(group, path) === "command");
}

function kindAt<C>(group: Group<C>, path: string[]): Node<C>["kind"] {
  let node: Node<C> = group;
  for (const name of path) {
    node = (node as Group<C>).commands.find((c) => c.name === name)!;
  }
  return node.kind;
}

/** `help_windows_exec.txt` for `windows exec`, `help_root.txt` for the root. */
const snapshotOf = (path: string[]) =>
  `help_${path.length ? path.join("_") : "root"}.txt`;

/** The leaves of `tree` without a snapshot among `files`. */
function missingSnapshots<C>(tree: Group<C>, files: Set<string>): string[] {
  return leaves(tree).filter((p) => !files.has(snapshotOf(p))).map((p) =>
    p.join(" ")
  );
}

async function snapshotFiles(): Promise<Set<string>> {
  const files = new Set<string>();
  for await (const e of Deno.readDir(DIR)) files.add(e.name);
  return files;
}

for (const path of nodes(ROOT)) {
  const file = snapshotOf(path);
  const args = [...path, "--help"];
  Deno.test(`help for "${args.join(" ")}" matches tests/snapshots/${file}`, async () => {
    const r = await runInProcess(args);
    assert.equal(r.code, 0);
    assert.equal(r.stderr, "");
    const url = new URL(file, DIR);
    if (UPDATE) await Deno.writeTextFile(url, r.stdout);
    assert.equal(
      r.stdout,
      await Deno.readTextFile(url),
      "run with UPDATE_SNAPSHOTS=1 to accept a change",
    );
  });
}

Deno.test("every leaf command has a help snapshot, and every snapshot a command", async () => {
  const files = await snapshotFiles();
  const all = leaves(ROOT).map((p) => p.join(" "));
  // Not vacuous: the jobs commands and worker are among the leaves.
  for (const name of ["jobs enqueue", "jobs status", "jobs cancel", "worker"]) {
    assert.ok(all.includes(name), name);
  }
  assert.deepEqual(missingSnapshots(ROOT, files), []);
  const expected = new Set(nodes(ROOT).map(snapshotOf));
  assert.deepEqual([...files].filter((f) => !expected.has(f)), [], "stale");
});

Deno.test("missingSnapshots() names a leaf command that has no snapshot", async () => {
  const files = await snapshotFiles();
  const extra: Group<unknown> = {
    ...ROOT,
    commands: [...ROOT.commands, {
      kind: "command",
      name: "frobnicate",
      description: "a command nobody snapshotted",
      flags: {},
      loader: Object.assign(() => Promise.reject(new Error("never loaded")), {
        path: "never-loaded.ts",
      }),
    }],
  } as Group<unknown>;
  assert.deepEqual(missingSnapshots(extra, files), ["frobnicate"]);
});

Deno.test("--help lists --config", async () => {
  const r = await runInProcess(["--help"]);
  assert.ok(r.stdout.includes("--config <path>"));
});

Deno.test("help for a group given no command goes to stderr, exit 0 (as before)", async () => {
  const r = await runInProcess(["jobs"]);
  assert.equal(r.code, 0);
  assert.equal(r.stdout, "");
  assert.ok(r.stderr.startsWith("Usage: win-automation jobs"), r.stderr);
});

Deno.test("worker --help and jobs enqueue --help name every job type", async () => {
  for (const args of [["worker", "--help"], ["jobs", "enqueue", "--help"]]) {
    const r = await runInProcess(args);
    for (const type of ["windows.exec", "aloha.run", "playwright.run"]) {
      assert.ok(r.stdout.includes(type), `${args.join(" ")}: no ${type}`);
    }
  }
});
