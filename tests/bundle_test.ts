/**
 * The bundle `deno task compile` builds the binary from (scripts/bundle.ts)
 * behaves as the sources do: same help, same outputs, same exit codes (an
 * error class thrown in a command's chunk is still recognised by main.js's
 * one error mapping), and a lab command runs through it.
 * @module
 */
import { assert } from "@test/assert";
import { bundle, bundled, EXTERNAL } from "../scripts/bundle.ts";
import { commandModules } from "../scripts/compile.ts";
import { runCli } from "./_cli.ts";
import { labOnly, targetEnv } from "./_target.ts";

const ROOT = new URL("..", import.meta.url).pathname;
const OUT = `dist/bundle-test-${Deno.pid}`;
const entry = `${ROOT}${bundled("main.ts", OUT)}`;

let built: Promise<void> | undefined;
const ready = () => built ??= bundle(OUT);

async function both(args: string[], env: Record<string, string> = {}) {
  await ready();
  return {
    sources: await runCli(args, env),
    bundle: await runCli(args, env, { entry }),
  };
}

Deno.test("the bundle has main.js and an entry for every command module, and leaves the SDKs out", async () => {
  await ready();
  for (const path of ["main.ts", ...commandModules()]) {
    const stat = await Deno.stat(`${ROOT}${bundled(path, OUT)}`);
    assert.ok(stat.isFile, path);
  }
  for await (const e of Deno.readDir(`${ROOT}${OUT}`)) {
    if (!e.isFile) continue;
    const text = await Deno.readTextFile(`${ROOT}${OUT}/${e.name}`);
    for (const name of EXTERNAL) {
      assert.ok(
        !text.includes(`/${name}/`),
        `${e.name} holds ${name}'s own code`,
      );
    }
  }
});

Deno.test("help, version and usage errors read the same from the bundle as from the sources", async () => {
  for (
    const args of [
      ["--help"],
      ["windows", "exec", "--help"],
      ["version"],
      ["windows", "exce"],
      ["jobs", "status"],
    ]
  ) {
    const { sources, bundle } = await both(args);
    assert.equal(bundle.code, sources.code, args.join(" "));
    assert.equal(bundle.stdout, sources.stdout, args.join(" "));
    assert.equal(bundle.stderr, sources.stderr, args.join(" "));
  }
});

Deno.test("an error raised in a command's chunk keeps its exit code: config error 2, not 4", async () => {
  const { sources, bundle } = await both(["config", "show"], {
    WIN_AUTOMATION_WINDOWS_SSH_PORT: "0",
    HOME: "/nonexistent-home",
  });
  assert.equal(sources.code, 2);
  assert.equal(bundle.code, 2);
  assert.equal(bundle.stderr, sources.stderr);
  assert.match(bundle.stderr, /WIN_AUTOMATION_WINDOWS_SSH_PORT/);
});

Deno.test(
  labOnly("windows exec runs through the bundle against the lab"),
  async () => {
    const env = await targetEnv();
    await ready();
    const r = await runCli(
      ["windows", "exec", "--raw", "--", "echo bundled"],
      env,
      {
        entry,
      },
    );
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim(), "bundled");
  },
);

Deno.test("(cleanup) remove the test bundle", async () => {
  await Deno.remove(`${ROOT}${OUT}`, { recursive: true }).catch(() => {});
});
