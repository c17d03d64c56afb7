import { assert, rejects } from "@test/assert";
import { DependencyError } from "../errors/mod.ts";
import { type ProgramFs, resolveProgram } from "./program.ts";

const file = (
  uid: number,
  mode: number,
): Deno.FileInfo => ({
  isFile: true,
  isDirectory: false,
  uid,
  mode,
} as Deno.FileInfo);
const dir = (
  uid: number,
  mode: number,
): Deno.FileInfo => ({
  isFile: false,
  isDirectory: true,
  uid,
  mode,
} as Deno.FileInfo);

function fakeFs(entries: Record<string, Deno.FileInfo>): ProgramFs {
  return {
    stat: (p) =>
      entries[p]
        ? Promise.resolve(entries[p]!)
        : Promise.reject(new Deno.errors.NotFound(p)),
    realPath: (p) => Promise.resolve(p),
  };
}

Deno.test("resolveProgram() returns the first root-owned executable on PATH, by absolute path", async () => {
  const fs = fakeFs({
    "/usr/bin/ssh": file(0, 0o100755),
    "/usr/bin": dir(0, 0o40755),
  });
  assert.equal(
    await resolveProgram("ssh", { searchPath: "relative:/opt/x:/usr/bin", fs }),
    "/usr/bin/ssh",
  );
});

Deno.test("resolveProgram() skips a user-owned or group-writable ssh and says why when none is left", async () => {
  const fs = fakeFs({
    "/home/u/bin/ssh": file(1000, 0o100755),
    "/opt/ssh/ssh": file(0, 0o100775),
    "/home/u/bin": dir(1000, 0o40755),
    "/opt/ssh": dir(0, 0o40755),
  });
  const error = await rejects(() =>
    resolveProgram("ssh", { searchPath: "/home/u/bin:/opt/ssh", fs })
  );
  assert.ok(error instanceof DependencyError);
  assert.match((error as Error).message, /owned by uid 1000, not root/);
  assert.match((error as Error).message, /writable by group or others/);
  const none = await rejects(() =>
    resolveProgram("ssh", { searchPath: "/nowhere", fs })
  );
  assert.match((none as Error).message, /not found on PATH/);
});

Deno.test("resolveProgram() finds this machine's real ssh", async () => {
  const path = await resolveProgram("ssh", { searchPath: "/usr/bin:/bin" });
  assert.ok(path.startsWith("/"));
  const info = await Deno.stat(path);
  assert.equal(info.uid, 0);
});
