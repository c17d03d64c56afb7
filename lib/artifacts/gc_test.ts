import { assert } from "@test/assert";
import { gcArtifacts, RUNNING_GRACE_MS } from "./gc.ts";
import { writeManifest } from "./manifest.ts";
import { writeMarker } from "./marker.ts";

const DAY = 86_400_000;
const NOW = Date.parse("2026-03-01T00:00:00Z");
const id = (n: number) =>
  `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;

async function job(out: string, n: number, ageDays: number) {
  const root = `${out}/${id(n)}`;
  await Deno.mkdir(root);
  await writeManifest(root, {
    job_id: id(n),
    trace_id: "t",
    created_at: new Date(NOW - ageDays * DAY).toISOString(),
    state: "completed",
    artifacts: [],
  });
  return root;
}

Deno.test("gcArtifacts() deletes only job dirs past retention; keeps running jobs, symlinks and other names", async () => {
  const out = await Deno.makeTempDir();
  const outside = await Deno.makeTempDir();
  await Deno.writeTextFile(`${outside}/keep.txt`, "precious");
  await job(out, 1, 30);
  await job(out, 2, 2);
  const running = await job(out, 3, 30);
  (await writeMarker(running, {
    host: "here",
    pid: 4242,
    started_at: new Date(NOW - 30 * DAY).toISOString(),
  })).close();
  const dead = await job(out, 4, 30);
  (await writeMarker(dead, {
    host: "here",
    pid: 999999,
    started_at: new Date(NOW - 30 * DAY).toISOString(),
  })).close();
  const remote = await job(out, 5, 30);
  (await writeMarker(remote, {
    host: "elsewhere",
    pid: 1,
    started_at: new Date(NOW - RUNNING_GRACE_MS / 2).toISOString(),
  })).close();
  const bare = `${out}/${id(6)}`;
  await Deno.mkdir(bare);
  await Deno.utime(bare, (NOW - 40 * DAY) / 1000, (NOW - 40 * DAY) / 1000);
  await Deno.symlink(outside, `${out}/${id(7)}`);
  await Deno.mkdir(`${out}/not-a-job`);
  const options = {
    outDir: out,
    days: 7,
    now: () => NOW,
    hostname: "here",
    isHeld: (root: string) => Promise.resolve(root.endsWith(id(3))),
  };
  const dry = await gcArtifacts({ ...options, dryRun: true });
  const actions = (r: typeof dry) =>
    Object.fromEntries(r.entries.map((e) => [e.jobId.slice(-1), e.action]));
  assert.deepEqual(actions(dry), {
    1: "would_delete",
    2: "kept",
    3: "running",
    4: "would_delete",
    5: "running",
    6: "would_delete",
  });
  assert.deepEqual(dry.ignored, [id(7), "not-a-job"]);
  assert.equal([...Deno.readDirSync(out)].length, 8, "dry run deletes nothing");
  const real = await gcArtifacts(options);
  assert.equal(real.entries.find((e) => e.jobId === id(6))?.ageFrom, "mtime");
  const left = [...Deno.readDirSync(out)].map((e) => e.name).sort();
  assert.deepEqual(left, [id(2), id(3), id(5), id(7), "not-a-job"]);
  assert.equal(await Deno.readTextFile(`${outside}/keep.txt`), "precious");
});

Deno.test("gcArtifacts() never follows a symlink inside a job dir it deletes", async () => {
  const out = await Deno.makeTempDir();
  const outside = await Deno.makeTempDir();
  await Deno.writeTextFile(`${outside}/keep.txt`, "precious");
  const root = await job(out, 1, 30);
  await Deno.symlink(outside, `${root}/link`);
  await gcArtifacts({ outDir: out, days: 1, now: () => NOW });
  assert.deepEqual([...Deno.readDirSync(out)], []);
  assert.equal(await Deno.readTextFile(`${outside}/keep.txt`), "precious");
});

Deno.test("gcArtifacts() of a missing out_dir finds nothing", async () => {
  const r = await gcArtifacts({ outDir: "/nonexistent/wa", days: 1 });
  assert.deepEqual(r, { entries: [], ignored: [] });
});

Deno.test("gcArtifacts() keeps a job whose marker lock is held (a job in progress) and deletes it once the holder lets go", async () => {
  const out = await Deno.makeTempDir();
  const root = `${out}/${id(1)}`;
  await Deno.mkdir(root);
  const held = await writeMarker(root, {
    host: "here",
    pid: Deno.pid,
    started_at: new Date(NOW - 30 * DAY).toISOString(),
  });
  await Deno.utime(root, (NOW - 30 * DAY) / 1000, (NOW - 30 * DAY) / 1000);
  const options = { outDir: out, days: 7, now: () => NOW, hostname: "here" };
  try {
    const r = await gcArtifacts(options);
    assert.equal(r.entries[0]?.action, "running");
  } finally {
    held.close();
  }
  const r = await gcArtifacts(options);
  assert.equal(r.entries[0]?.action, "deleted");
});

/** Makes a FIFO (mkfifo, a test-only tool) at `path`. */
async function mkfifo(path: string): Promise<void> {
  const out = await new Deno.Command("mkfifo", { args: [path] }).output();
  if (!out.success) throw new Error(`Cannot make FIFO "${path}"`);
}

Deno.test("gcArtifacts() never opens a FIFO named .running: it is not a marker", async () => {
  const out = await Deno.makeTempDir();
  const root = await job(out, 7, 30);
  const fifo = `${root}/.running`;
  await mkfifo(fifo);
  // A guard so a regression fails instead of hanging: opening the FIFO for
  // read+write never blocks and releases a reader stuck in open().
  let guard: Deno.FsFile | undefined;
  const timer = setTimeout(() => {
    guard = Deno.openSync(fifo, { read: true, write: true });
    guard.close();
  }, 10_000);
  try {
    const r = await gcArtifacts({
      outDir: out,
      days: 7,
      now: () => NOW,
      hostname: "here",
    });
    // A FIFO that was read would give an unreadable marker: "running".
    assert.deepEqual(r.entries.map((e) => [e.jobId, e.action]), [
      [id(7), "deleted"],
    ]);
  } finally {
    clearTimeout(timer);
    await Deno.remove(out, { recursive: true });
  }
});
