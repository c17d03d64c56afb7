import fc from "fast-check";
import { assert } from "@test/assert";
import posix from "node:path/posix";
import { basename, dirname, relative, resolve } from "./path.ts";

const segment = fc.constantFrom("a", "b", "..", ".", "", "c.d", " x", "é");
const path = fc.tuple(fc.boolean(), fc.array(segment, { maxLength: 6 }))
  .map(([abs, parts]) => (abs ? "/" : "") + parts.join("/"));

Deno.test("dirname, basename, resolve and relative give node:path/posix's results", () => {
  fc.assert(
    fc.property(path, path, (p, q) => {
      assert.equal(dirname(p), posix.dirname(p), `dirname(${p})`);
      assert.equal(basename(p), posix.basename(p), `basename(${p})`);
      assert.equal(resolve(p), posix.resolve(p), `resolve(${p})`);
      assert.equal(resolve(p, q), posix.resolve(p, q), `resolve(${p}, ${q})`);
      assert.equal(
        relative(p, q),
        posix.relative(p, q),
        `relative(${p}, ${q})`,
      );
    }),
    { numRuns: 5000 },
  );
});

Deno.test("the edge cases named: root, trailing slashes, empty", () => {
  assert.equal(dirname("/"), "/");
  assert.equal(dirname("/a/"), "/");
  assert.equal(dirname("a"), ".");
  assert.equal(dirname(""), ".");
  assert.equal(basename("/a/b/"), "b");
  assert.equal(resolve("/a", "../../b"), "/b");
  assert.equal(relative("/a/b", "/a/b"), "");
  assert.equal(relative("/a/b", "/a/c/d"), "../c/d");
});
