import { assert } from "@test/assert";

const ROOT = new URL("..", import.meta.url).pathname;

interface Dep {
  code?: { specifier: string };
  type?: { specifier: string };
  isDynamic?: boolean;
}

Deno.test("main.ts loads no npm package that reads debug variables before it scrubs them: the SDK and playwright-core are imported only dynamically", async () => {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", `${ROOT}main.ts`],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
  const info = JSON.parse(new TextDecoder().decode(out.stdout)) as {
    roots: string[];
    modules: { specifier: string; dependencies?: Dep[] }[];
  };
  const bySpec = new Map(info.modules.map((m) => [m.specifier, m]));
  const statics = new Set<string>();
  const dynamicNpm = new Set<string>();
  const queue = [...info.roots];
  while (queue.length > 0) {
    const spec = queue.shift()!;
    if (statics.has(spec)) continue;
    statics.add(spec);
    for (const dep of bySpec.get(spec)?.dependencies ?? []) {
      const target = dep.code?.specifier;
      if (!target) continue;
      if (!dep.isDynamic) queue.push(target);
    }
  }
  // Everything the program may load, static or not.
  for (const m of info.modules) {
    if (m.specifier.startsWith("npm:")) dynamicNpm.add(m.specifier);
  }
  const staticNpm = [...statics].filter((s) => s.startsWith("npm:"))
    .map((s) => s.replace(/^npm:\/?/, "").replace(/@[^@/]+$/, "")).sort();
  // The command tree is the project's own router (lib/cli): no npm package
  // at all loads before the scrub.
  assert.deepEqual(staticNpm, []);
  // Negative control: the graph does hold the heavy packages, behind dynamic imports.
  const dyn = [...dynamicNpm].join(" ");
  assert.ok(dyn.includes("@hatchet-dev/typescript-sdk"), dyn);
  assert.ok(dyn.includes("playwright-core"), dyn);
});
