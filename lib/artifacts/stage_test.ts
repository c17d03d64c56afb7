import { assert } from "@test/assert";
import { stageTree } from "./stage.ts";

async function tree(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (at: string, rel: string) => {
    for await (const e of Deno.readDir(at)) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      const info = await Deno.lstat(`${at}/${e.name}`);
      out.push(`${r}${info.isDirectory ? "/" : info.isSymlink ? "@" : ""}`);
      if (info.isDirectory) await walk(`${at}/${e.name}`, r);
    }
  };
  await walk(dir, "");
  return out.sort();
}

Deno.test("stageTree() copies real files and directories only: symlinks at any depth are skipped and recorded", async () => {
  const base = await Deno.makeTempDir();
  const outside = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${outside}/secret.txt`, "do not upload");
    const root = `${base}/job`;
    await Deno.mkdir(`${root}/ssh/deep`, { recursive: true });
    await Deno.writeTextFile(`${root}/manifest.json`, "{}");
    await Deno.writeTextFile(`${root}/ssh/stdout.txt`, "out");
    await Deno.writeTextFile(`${root}/.running`, "{}");
    await Deno.symlink(`${outside}/secret.txt`, `${root}/top-link`);
    await Deno.symlink(`${outside}/secret.txt`, `${root}/ssh/deep/link.txt`);
    await Deno.symlink(outside, `${root}/ssh/dirlink`);
    // negative control: the tree really holds the symlinks staging leaves out
    assert.ok((await tree(root)).includes("ssh/deep/link.txt@"));

    const staged = await stageTree(root, { exclude: [".running"] });
    try {
      assert.deepEqual(await tree(staged.dir), [
        "manifest.json",
        "ssh/",
        "ssh/deep/",
        "ssh/stdout.txt",
      ]);
      assert.deepEqual(staged.skipped.sort(), [
        "ssh/deep/link.txt",
        "ssh/dirlink",
        "top-link",
      ]);
      assert.deepEqual(
        staged.entries.map((e) => e.slice(staged.dir.length + 1)),
        ["manifest.json", "ssh"],
      );
      assert.equal(
        await Deno.readTextFile(`${staged.dir}/ssh/stdout.txt`),
        "out",
      );
    } finally {
      await Deno.remove(staged.dir, { recursive: true });
    }
  } finally {
    await Deno.remove(base, { recursive: true });
    await Deno.remove(outside, { recursive: true });
  }
});
