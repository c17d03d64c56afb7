import assert from "node:assert/strict";
import { mapWindowsPath } from "./win_path.ts";
import { Unsupported } from "./errors.ts";

Deno.test("mapWindowsPath() maps backslash and slash paths under fs/<DRIVE>:", () => {
  assert.equal(mapWindowsPath("/l", "C:\\a\\b.txt"), "/l/fs/C:/a/b.txt");
  assert.equal(mapWindowsPath("/l", "c:/a/b.txt"), "/l/fs/C:/a/b.txt");
  assert.equal(mapWindowsPath("/l", "D:\\"), "/l/fs/D:");
  assert.equal(mapWindowsPath("/l", "C:\\dir\\"), "/l/fs/C:/dir");
});

Deno.test("mapWindowsPath() keeps .. inside the drive", () => {
  assert.equal(
    mapWindowsPath("/l", "C:\\..\\..\\etc\\passwd"),
    "/l/fs/C:/etc/passwd",
  );
});

Deno.test("mapWindowsPath() rejects relative paths", () => {
  assert.throws(() => mapWindowsPath("/l", "foo\\bar"), Unsupported);
  assert.throws(() => mapWindowsPath("/l", "/etc/passwd"), Unsupported);
});
