import { assert } from "@test/assert";
import { hashFile } from "./hash.ts";
import { hashWhileWriting } from "./_tail_hash.ts";

Deno.test("hashWhileWriting() hashes a file while a writer appends to it, in one pass", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/f`;
  const digest = await hashWhileWriting(path, async () => {
    using f = await Deno.open(path, { write: true, createNew: true });
    for (let i = 0; i < 40; i++) {
      await f.write(new Uint8Array(64 * 1024).fill(i));
      if (i % 8 === 0) await new Promise((r) => setTimeout(r, 3));
    }
    return true;
  });
  assert.deepEqual(digest, await hashFile(path));
  assert.equal(digest?.size, 40 * 64 * 1024);
});

Deno.test("hashWhileWriting() gives undefined when the writer fails", async () => {
  const dir = await Deno.makeTempDir();
  assert.equal(
    await hashWhileWriting(`${dir}/none`, () => Promise.resolve(false)),
    undefined,
  );
});
