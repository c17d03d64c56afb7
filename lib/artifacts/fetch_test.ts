import { assert } from "@test/assert";
import { fetchArtifacts } from "./fetch.ts";
import { JobArtifacts } from "./job_artifacts.ts";

const ID = "0e5e0a3c-1f7e-4a58-9d2b-5b1f0c6e8a11";

async function finishedJob() {
  const out = await Deno.makeTempDir();
  const art = await JobArtifacts.begin({
    outDir: out,
    jobId: ID,
    traceId: "t",
  });
  await art.put("ssh/stdout.txt", "hello\n");
  await art.put("playwright/screenshot.png", new Uint8Array(3000).fill(7));
  await art.finish("completed");
  return { out, root: art.root, dest: await Deno.makeTempDir() };
}

Deno.test("fetchArtifacts() copies every file with its manifest when all match", async () => {
  const { out, dest } = await finishedJob();
  const r = await fetchArtifacts({ outDir: out, jobId: ID, out: dest });
  assert.equal(r.state, "ok");
  assert.deepEqual(r.files, ["playwright/screenshot.png", "ssh/stdout.txt"]);
  assert.equal(
    await Deno.readTextFile(`${dest}/${ID}/ssh/stdout.txt`),
    "hello\n",
  );
  assert.ok((await Deno.stat(`${dest}/${ID}/manifest.json`)).isFile);
});

Deno.test("fetchArtifacts() is partial for a deleted file and a tampered one, and lands neither", async () => {
  const { out, root, dest } = await finishedJob();
  await Deno.remove(`${root}/playwright/screenshot.png`);
  await Deno.writeTextFile(`${root}/ssh/stdout.txt`, "hellO\n");
  const r = await fetchArtifacts({ outDir: out, jobId: ID, out: dest });
  assert.equal(r.state, "partial");
  assert.deepEqual(r.missing, ["playwright/screenshot.png"]);
  assert.deepEqual(r.mismatched, ["ssh/stdout.txt"]);
  assert.deepEqual(r.files, []);
  const left = [...Deno.readDirSync(`${dest}/${ID}/ssh`)];
  assert.deepEqual(left, [], "no unverified or temp file left");
});

Deno.test("fetchArtifacts() pulls a file missing on Linux from Windows and verifies it", async () => {
  const { out, root, dest } = await finishedJob();
  const saved = await Deno.readFile(`${root}/playwright/screenshot.png`);
  await Deno.remove(`${root}/playwright/screenshot.png`);
  const asked: string[] = [];
  const r = await fetchArtifacts({
    outDir: out,
    jobId: ID,
    out: dest,
    download: async (remote, local) => {
      asked.push(remote);
      await Deno.writeFile(local, saved);
      return true;
    },
  });
  assert.equal(r.state, "ok");
  assert.deepEqual(asked, [
    `C:/ProgramData/win-automation/artifacts/${ID}/playwright/screenshot.png`,
  ]);
  assert.deepEqual(r.fromWindows, ["playwright/screenshot.png"]);
});

Deno.test("fetchArtifacts() refuses a job root that is a symlink, and reports not_found for no manifest", async () => {
  const out = await Deno.makeTempDir();
  const elsewhere = await Deno.makeTempDir();
  const dest = await Deno.makeTempDir();
  const other = "1e5e0a3c-1f7e-4a58-9d2b-5b1f0c6e8a11";
  assert.equal(
    (await fetchArtifacts({ outDir: out, jobId: other, out: dest })).state,
    "not_found",
  );
  await Deno.symlink(elsewhere, `${out}/${ID}`);
  await assert.rejects(
    () => fetchArtifacts({ outDir: out, jobId: ID, out: dest }),
    Error,
    "symlinks are not followed",
  );
});
