/**
 * Reads the entries of a zip file (stored or deflated), enough to look inside
 * a Playwright trace in tests.
 * @module
 */

/** Every entry of a zip archive: name and uncompressed bytes. */
export async function unzip(
  bytes: Uint8Array,
): Promise<Array<{ name: string; data: Uint8Array }>> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let end = bytes.length - 22;
  while (end >= 0 && view.getUint32(end, true) !== 0x06054b50) end--;
  if (end < 0) throw new Error("Cannot read zip: no end of central directory");
  const count = view.getUint16(end + 10, true);
  let at = view.getUint32(end + 16, true);
  const out: Array<{ name: string; data: Uint8Array }> = [];
  for (let i = 0; i < count; i++) {
    if (view.getUint32(at, true) !== 0x02014b50) {
      throw new Error("Cannot read zip: bad central directory entry");
    }
    const method = view.getUint16(at + 10, true);
    const size = view.getUint32(at + 20, true);
    const nameLength = view.getUint16(at + 28, true);
    const skip = nameLength + view.getUint16(at + 30, true) +
      view.getUint16(at + 32, true);
    const local = view.getUint32(at + 42, true);
    const name = new TextDecoder().decode(
      bytes.subarray(at + 46, at + 46 + nameLength),
    );
    const start = local + 30 + view.getUint16(local + 26, true) +
      view.getUint16(local + 28, true);
    const raw = bytes.subarray(start, start + size);
    const data = method === 0 ? raw : new Uint8Array(
      await new Response(
        new Blob([raw.slice()]).stream().pipeThrough(
          new DecompressionStream("deflate-raw"),
        ),
      ).arrayBuffer(),
    );
    out.push({ name, data });
    at += 46 + skip;
  }
  return out;
}
