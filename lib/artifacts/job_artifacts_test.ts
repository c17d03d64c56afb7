import { Logger, parseLine } from "../log/mod.ts";
import { assert } from "@test/assert";
import { JobArtifacts } from "./job_artifacts.ts";
import { readManifest } from "./manifest.ts";
import { readMarker } from "./marker.ts";

const ID = "0e5e0a3c-1f7e-4a58-9d2b-5b1f0c6e8a11";
const T0 = Date.parse("2026-01-02T03:04:05.000Z");
const SHA_HELLO =
  "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03";

Deno.test("JobArtifacts.finish() writes a manifest of every file with sha256 and size, and removes the marker", async () => {
  const out = await Deno.makeTempDir();
  const art = await JobArtifacts.begin({
    outDir: out,
    jobId: ID,
    traceId: "t1",
    now: () => T0,
    hostname: "h1",
  });
  const marker = await readMarker(art.root);
  assert.equal(marker?.host, "h1");
  // The injected name, not this machine's (negative control).
  assert.equal(art.host, "h1");
  assert.notEqual(Deno.hostname(), "h1");
  assert.equal(marker?.pid, Deno.pid);
  await art.put("ssh/stdout.txt", "hello\n");
  await art.put("ssh/exit_code.txt", "0\n");
  await Deno.symlink("/etc/passwd", `${art.root}/ssh/link`);
  const m = await art.finish("completed");
  assert.equal(m?.state, "completed");
  const read = await readManifest(art.root);
  assert.deepEqual(read, {
    job_id: ID,
    trace_id: "t1",
    host: "h1",
    created_at: "2026-01-02T03:04:05.000Z",
    state: "completed",
    artifacts: [
      {
        type: "exit_code",
        path: "ssh/exit_code.txt",
        size_bytes: 2,
        sha256:
          "9a271f2a916b0b6ee6cecb2426f0b3206ef074578be55d9bc94f6f3fe3ab86aa",
      },
      {
        type: "stdout",
        path: "ssh/stdout.txt",
        size_bytes: 6,
        sha256: SHA_HELLO,
      },
    ],
  });
  assert.equal(await readMarker(art.root), undefined, "marker removed");
  const names = [...Deno.readDirSync(art.root)].map((e) => e.name).sort();
  assert.deepEqual(names, ["manifest.json", "ssh"], "no temp file left");
});

Deno.test("JobArtifacts marks a run partial, empties a root left by an earlier attempt, refuses unsafe paths", async () => {
  const out = await Deno.makeTempDir();
  const first = await JobArtifacts.begin({
    outDir: out,
    jobId: ID,
    traceId: "t",
  });
  await first.put("playwright/old.png", "x");
  await first.finish("failed");
  const art = await JobArtifacts.begin({
    outDir: out,
    jobId: ID,
    traceId: "t",
  });
  await art.put("playwright/trace.zip", "zip");
  await assert.rejects(() => art.put("../escape", "x"));
  art.partial = true;
  const m = await art.finish("failed");
  assert.equal(m?.state, "partial");
  assert.deepEqual(m?.artifacts.map((a) => [a.type, a.path]), [[
    "trace",
    "playwright/trace.zip",
  ]]);
  assert.equal(await art.finish("completed"), undefined, "finish runs once");
});

Deno.test("JobArtifacts records a failed mirror in the manifest and logs it without throwing", async () => {
  const out = await Deno.makeTempDir();
  const lines: string[] = [];
  const logger = new Logger({ write: (l) => lines.push(l) });
  const art = await JobArtifacts.begin({
    outDir: out,
    jobId: ID,
    traceId: "t",
    logger,
    mirror: () => Promise.reject(new Error("scp exited 1")),
  });
  await art.put("aloha/response.json", "{}");
  const m = await art.finish("completed");
  assert.deepEqual(m?.mirror, { state: "failed", error: "scp exited 1" });
  assert.deepEqual((await readManifest(art.root))?.mirror, m?.mirror);
  const warnings = lines.map(parseLine).filter((l) => l.level === "warn")
    .map((l) => `${l.op} ${l.msg} ${l.err}`);
  assert.deepEqual(warnings, ["artifacts.mirror mirror failed scp exited 1"]);
});

Deno.test("JobArtifacts.begin() refuses an id that is not a UUID before touching a path", async () => {
  const out = await Deno.makeTempDir();
  for (const id of ["../x", "/etc", "a/b", ""]) {
    await assert.rejects(
      () => JobArtifacts.begin({ outDir: out, jobId: id, traceId: "t" }),
      Error,
      "must be a job id",
    );
  }
  assert.deepEqual([...Deno.readDirSync(out)], []);
});

Deno.test("JobArtifacts redacts every file it writes and its manifest", async () => {
  const { Redactor } = await import("../redact/mod.ts");
  const secret = `ws-${crypto.randomUUID()}`;
  const outDir = await Deno.makeTempDir();
  try {
    const art = await JobArtifacts.begin({
      outDir,
      jobId: crypto.randomUUID(),
      traceId: `t-${secret}`,
      redactor: new Redactor([secret]),
    });
    await art.put("ssh/stdout.txt", `path=${secret}\n${btoa(secret)}\n`);
    await art.put("x.bin", new TextEncoder().encode(`\u0000${secret}`));
    await art.finish("completed");
    const texts = [
      await Deno.readTextFile(`${art.root}/ssh/stdout.txt`),
      await Deno.readTextFile(`${art.root}/x.bin`),
      await Deno.readTextFile(`${art.root}/manifest.json`),
    ];
    for (const text of texts) {
      // Negative control: each file held a secret where <redacted> stands.
      assert.ok(text.includes("<redacted>"), text);
      assert.ok(!text.includes(secret) && !text.includes(btoa(secret)), text);
    }
  } finally {
    await Deno.remove(outDir, { recursive: true });
  }
});
