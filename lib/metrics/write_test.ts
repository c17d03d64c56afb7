import { assert } from "@test/assert";
import { writeMetricsFile } from "./write.ts";

Deno.test("writeMetricsFile() replaces the file atomically and never writes through a planted <path>.tmp symlink", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/metrics.txt`;
    const victim = `${dir}/victim.txt`;
    await Deno.writeTextFile(victim, "untouched");
    // The name the old code wrote to first: an attacker's symlink.
    await Deno.symlink(victim, `${path}.tmp`);
    await writeMetricsFile(path, ["metric=a value=1", "metric=b value=2"]);
    assert.equal(
      await Deno.readTextFile(path),
      "metric=a value=1\nmetric=b value=2\n",
    );
    assert.equal(await Deno.readTextFile(victim), "untouched");
    assert.equal((await Deno.lstat(path)).isFile, true);
    assert.equal((await Deno.stat(path)).mode! & 0o777, 0o644);
    const names: string[] = [];
    for await (const e of Deno.readDir(dir)) names.push(e.name);
    assert.deepEqual(names.sort(), [
      "metrics.txt",
      "metrics.txt.tmp",
      "victim.txt",
    ]);
    // negative control: writing through the symlink would have hit the victim
    await Deno.writeTextFile(`${path}.tmp`, "through");
    assert.equal(await Deno.readTextFile(victim), "through");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
