import { assert } from "@test/assert";
import { copyHashing, hashFile, sha256Hex, sha256Stream } from "./hash.ts";

// FIPS 180-2, appendix B.1: sha256("abc").
const ABC = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

Deno.test('sha256Hex (WebCrypto) and sha256Stream (node:crypto) give the published digest of "abc"', async () => {
  const abc = new TextEncoder().encode("abc");
  assert.equal(await sha256Hex(abc), ABC);
  const s = await sha256Stream();
  s.update(abc.subarray(0, 1));
  s.update(abc.subarray(1));
  assert.equal(s.hex(), ABC);
});

Deno.test("hashFile and copyHashing give the same digest in memory and streamed, for every size around the chunk", async () => {
  const dir = await Deno.makeTempDir();
  try {
    for (const size of [0, 1, 1024 * 1024 - 1, 1024 * 1024 + 7]) {
      const bytes = new Uint8Array(size).map((_, i) => (i * 31 + 7) & 255);
      const src = `${dir}/f${size}`;
      await Deno.writeFile(src, bytes);
      const whole = await hashFile(src, { smallBytes: Infinity });
      const streamed = await hashFile(src, { smallBytes: -1 });
      assert.deepEqual(whole, streamed);
      assert.equal(whole.size, size);
      assert.equal(whole.sha256, await sha256Hex(bytes));
      const copied = await copyHashing(src, `${dir}/c${size}`, {
        smallBytes: -1,
      });
      const copiedWhole = await copyHashing(src, `${dir}/w${size}`);
      assert.deepEqual(copied, whole);
      assert.deepEqual(copiedWhole, whole);
      assert.deepEqual(await Deno.readFile(`${dir}/c${size}`), bytes);
      assert.deepEqual(await Deno.readFile(`${dir}/w${size}`), bytes);
    }
    // Negative control: one changed byte changes the digest.
    await Deno.writeFile(`${dir}/x`, new Uint8Array([1, 2, 3]));
    await Deno.writeFile(`${dir}/y`, new Uint8Array([1, 2, 4]));
    assert.notEqual(
      (await hashFile(`${dir}/x`)).sha256,
      (await hashFile(`${dir}/y`)).sha256,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
