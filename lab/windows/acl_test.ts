import assert from "node:assert/strict";
import {
  effectiveAcl,
  LOCKED_ROOT,
  plantAcl,
  RIGHTS,
  rightsOf,
  ROOT,
} from "./acl.ts";
import { Unsupported } from "./errors.ts";

const PW = `${ROOT}\\playwright`;
const LS = "S-1-5-19";

async function lab(fn: (dir: string) => Promise<void>) {
  const dir = await Deno.makeTempDir({ prefix: "wa-acl-" });
  await Deno.mkdir(`${dir}/state`);
  await Deno.mkdir(`${dir}/fs/C:/ProgramData/win-automation/playwright`, {
    recursive: true,
  });
  await Deno.writeTextFile(
    `${dir}/fs/C:/ProgramData/win-automation/playwright/ws_path.txt`,
    "x",
  );
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

const installed = {
  owner: "S-1-5-32-544",
  protected: false,
  rules: [{
    sid: LS,
    rights: RIGHTS.readAndExecute,
    inheritance: 3,
    propagation: 0,
  }],
};

Deno.test("rightsOf(): LOCAL SERVICE reads ws_path.txt through the folder's inherited rule, not through a file with its own protected ACL", async () => {
  await lab(async (dir) => {
    await plantAcl(dir, ROOT, LOCKED_ROOT);
    await plantAcl(dir, PW, installed);
    const file = `${PW}\\ws_path.txt`;
    assert.equal(await rightsOf(dir, file, LS) & 0x1, 0x1);
    assert.equal(await rightsOf(dir, file, LS) & 0x2, 0, "read only");
    // What older versions left: SYSTEM and Administrators only, protected.
    await plantAcl(dir, file, { ...LOCKED_ROOT, rules: LOCKED_ROOT.rules });
    assert.equal(await rightsOf(dir, file, LS) & 0x1, 0);
  });
});

Deno.test("effectiveAcl(): a root made by someone else inherits ProgramData's rules (Users create, the creator owns); a locked one does not", async () => {
  await lab(async (dir) => {
    const weak = await effectiveAcl(dir, ROOT);
    assert.equal(weak?.protected, false);
    assert.ok(
      weak?.rules.some((r) =>
        r.sid === "S-1-5-32-545" && r.inherited && (r.rights & 0x6) === 0x6
      ),
    );
    assert.equal(await rightsOf(dir, PW, "S-1-5-21-9-9-9-1002") & 0x2, 0x2);
    await plantAcl(dir, ROOT, LOCKED_ROOT);
    assert.equal(await rightsOf(dir, PW, "S-1-5-21-9-9-9-1002"), 0);
    await Deno.mkdir(`${dir}/fs/D:/elsewhere`, { recursive: true });
    await assert.rejects(() => effectiveAcl(dir, "D:\\elsewhere"), Unsupported);
  });
});
