/**
 * Locks that cannot drift: deno.lock is frozen in deno.json (so every deno
 * task, scripts/test, scripts/demo, the compile task and the workflows refuse
 * an import the lock does not hold), scripts/lab freezes it too, and the
 * Deno that scripts and workflows install is pinned with integrity hashes in
 * scripts/deno-pin/.
 * @module
 */
import { assert } from "@test/assert";

const ROOT = new URL("..", import.meta.url);
const read = (path: string) => Deno.readTextFile(new URL(path, ROOT));
const decode = (b: Uint8Array) => new TextDecoder().decode(b);

Deno.test("deno.json freezes deno.lock for every command that reads the config", async () => {
  const config = JSON.parse(await read("deno.json")) as {
    lock?: { path?: string; frozen?: boolean };
    tasks: Record<string, string>;
  };
  assert.deepEqual(config.lock, { path: "./deno.lock", frozen: true });
  for (const [name, task] of Object.entries(config.tasks)) {
    assert.doesNotMatch(task, /--no-lock|--frozen(-lockfile)?=false/, name);
  }
});

Deno.test("scripts that run deno without the config still pass the lock, frozen", async () => {
  let seen = 0;
  for (const name of ["lab", "demo", "test", "_lib.sh"]) {
    const text = await read(`scripts/${name}`);
    assert.doesNotMatch(text, /--no-lock|--frozen(-lockfile)?=false/, name);
    for (const line of text.split("\n")) {
      if (!line.includes("--no-config") || /^\s*#/.test(line)) continue;
      seen++;
      assert.match(line, /--lock="\$ROOT\/deno\.lock" --frozen /, line);
    }
  }
  // Not vacuous: scripts/lab runs the lab with --no-config.
  assert.ok(seen > 0);
});

/** A throwaway copy of the project with one new, unlocked remote import. */
async function copyWithNewImport(url: string): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "wa-frozen-" });
  for (const f of ["deno.json", "deno.lock"]) {
    await Deno.copyFile(new URL(f, ROOT), `${dir}/${f}`);
  }
  await Deno.writeTextFile(
    `${dir}/new.ts`,
    `import { x } from "${url}";\nconsole.log(x);\n`,
  );
  return dir;
}

Deno.test("a throwaway copy refuses an unlocked new import and leaves deno.lock as it was", async () => {
  // The new module comes from loopback, so the check needs no network.
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    () =>
      new Response("export const x = 42;\n", {
        headers: { "content-type": "application/typescript" },
      }),
  );
  const host = `127.0.0.1:${server.addr.port}`;
  const dir = await copyWithNewImport(`http://${host}/mod.ts`);
  const run = (extra: string[]) =>
    new Deno.Command(Deno.execPath(), {
      args: ["run", `--allow-import=${host}`, ...extra, "new.ts"],
      cwd: dir,
      env: { DENO_DIR: `${dir}/.deno_dir`, NO_COLOR: "1" },
      stdout: "piped",
      stderr: "piped",
    }).output();
  try {
    const before = await Deno.readFile(`${dir}/deno.lock`);
    const refused = await run([]);
    assert.notEqual(refused.code, 0, decode(refused.stdout));
    assert.match(decode(refused.stderr), /lockfile is out of date/);
    assert.match(decode(refused.stderr), new RegExp(`${host}/mod\\.ts`));
    assert.deepEqual(await Deno.readFile(`${dir}/deno.lock`), before);
    // Negative control: the same copy unfrozen runs and records the import,
    // so the refusal above came from the frozen lock, not a broken import.
    const allowed = await run(["--frozen=false"]);
    assert.equal(allowed.code, 0, decode(allowed.stderr));
    assert.equal(decode(allowed.stdout).trim(), "42");
    assert.match(
      await Deno.readTextFile(`${dir}/deno.lock`),
      new RegExp(`"http://${host}/mod\\.ts"`),
    );
  } finally {
    await server.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("scripts/deno-pin pins DENO_VERSION exactly, every package with an integrity hash", async () => {
  const version = (await read("scripts/_lib.sh")).match(
    /^DENO_VERSION="(.*)"$/m,
  )?.[1];
  assert.ok(version, "DENO_VERSION in scripts/_lib.sh");
  const manifest = JSON.parse(await read("scripts/deno-pin/package.json")) as {
    dependencies: Record<string, string>;
  };
  assert.deepEqual(manifest.dependencies, { deno: version });
  const lock = JSON.parse(await read("scripts/deno-pin/package-lock.json")) as {
    packages: Record<string, { version?: string; integrity?: string }>;
  };
  const pkgs = Object.entries(lock.packages).filter(([k]) => k !== "");
  assert.ok(pkgs.some(([k]) => k === "node_modules/deno"));
  // The platform packages scripts/_lib.sh takes the binary from.
  assert.ok(pkgs.some(([k]) => k === "node_modules/@deno/linux-x64-glibc"));
  assert.ok(pkgs.some(([k]) => k === "node_modules/@deno/linux-arm64-glibc"));
  for (const [name, p] of pkgs) {
    assert.equal(p.version, version, name);
    assert.match(p.integrity ?? "", /^sha512-[A-Za-z0-9+/]+=*$/, name);
  }
  const lib = await read("scripts/_lib.sh");
  assert.match(lib, /npm ci --ignore-scripts/);
  assert.doesNotMatch(lib, /npm install [^\n]*deno@/);
});
