import { assert, assertIncludes } from "@test/assert";
import { parseLine } from "../lib/log/mod.ts";
import { hasStackTrace, runCli } from "./_cli.ts";
import { labOnly, targetEnv } from "./_target.ts";
import { startWorker } from "./_worker.ts";
import { jobRoot, playwrightJob } from "./_playwright.ts";
import { labPaths } from "../lab/mod.ts";

const lines = (stdout: string) =>
  stdout.trim().split("\n").filter((l) => l !== "").map(parseLine);
const last = (stdout: string) => lines(stdout).at(-1)!;
const jobIdOf = (stdout: string) =>
  stdout.match(/job_id=([0-9a-f-]{36})/)?.[1] ?? "";

async function fetchJson(env: Record<string, string>, id: string) {
  const out = await Deno.makeTempDir({ prefix: "wa-fetch-" });
  const r = await runCli(
    ["artifacts", "fetch", "--job", id, "--out", out, "--json"],
    env,
  );
  assert.ok(!hasStackTrace(r.stderr), r.stderr);
  return { r, out, json: JSON.parse(r.stdout) };
}

Deno.test("artifacts: queued aloha.run and playwright.run jobs leave manifests; list greps aloha/response.json on stdout; a deleted Playwright file makes fetch partial, a tampered one fails its sha256", async () => {
  // No Windows copy, so a file gone from Linux stays gone.
  const env = { ...await targetEnv(), WIN_AUTOMATION_ARTIFACT_MIRROR: "off" };
  const worker = await startWorker(env);
  let aloha = "", page = "";
  try {
    const enq = await runCli(
      ["jobs", "enqueue", "--type", "aloha.run", "--task", "open notepad"],
      env,
    );
    assert.equal(enq.code, 0, enq.stderr);
    aloha = jobIdOf(enq.stdout);
    const watched = await runCli(
      ["jobs", "status", "--id", aloha, "--watch", "--timeout", "2m"],
      env,
    );
    assert.equal(last(watched.stdout).state, "completed", watched.stderr);
    const pw = await playwrightJob(env, ["--screenshot"]);
    assert.equal(last(pw.done.stdout).state, "completed", pw.done.stderr);
    page = pw.id;
  } finally {
    await worker.stop();
  }

  // The roadmap's acceptance: list prints the artifact on stdout.
  const list = await runCli(["artifacts", "list", "--job", aloha], env);
  assert.equal(list.code, 0, list.stderr);
  assertIncludes(list.stdout, "path=aloha/response.json");
  assert.equal(lines(list.stdout)[0]!.state, "completed");
  const response = JSON.parse(
    await Deno.readTextFile(`${jobRoot(env, aloha)}/aloha/response.json`),
  );
  assert.equal(response.task, "open notepad");
  assert.equal(response.response.status, "success");

  const ok = await fetchJson(env, aloha);
  assert.equal(ok.r.code, 0, ok.r.stderr);
  assert.equal(ok.json.error, null);
  assert.ok(ok.json.files.includes("aloha/response.json"));
  assert.equal(
    await Deno.readTextFile(`${ok.out}/${aloha}/aloha/response.json`),
    await Deno.readTextFile(`${jobRoot(env, aloha)}/aloha/response.json`),
  );

  const listed = await runCli(
    ["artifacts", "list", "--job", page, "--json"],
    env,
  );
  const manifest = JSON.parse(listed.stdout);
  assert.equal(manifest.root, jobRoot(env, page));
  const shot = manifest.artifacts.find((a: { type: string }) =>
    a.type === "screenshot"
  );
  assert.equal(shot?.path, "playwright/screenshot.png");
  assert.equal(
    shot.size_bytes,
    (await Deno.stat(`${jobRoot(env, page)}/playwright/screenshot.png`)).size,
  );

  // Tampered: same size, one byte changed.
  const file = `${jobRoot(env, page)}/playwright/screenshot.png`;
  const bytes = await Deno.readFile(file);
  bytes[bytes.length - 1] = bytes[bytes.length - 1]! ^ 0xff;
  await Deno.writeFile(file, bytes);
  const tampered = await fetchJson(env, page);
  assert.equal(tampered.r.code, 1);
  assert.equal(tampered.json.state, "partial");
  assert.deepEqual(tampered.json.mismatched, ["playwright/screenshot.png"]);
  assertIncludes(
    tampered.json.error,
    "sha256 mismatch playwright/screenshot.png",
  );
  assertIncludes(tampered.r.stderr, "state=partial");

  // Deleted before fetch (no Windows copy: mirror is off).
  await Deno.remove(file);
  const deleted = await fetchJson(env, page);
  assert.equal(deleted.r.code, 1);
  assert.equal(deleted.json.state, "partial");
  assert.deepEqual(deleted.json.missing, ["playwright/screenshot.png"]);
  const text = await runCli(
    ["artifacts", "fetch", "--job", page, "--out", deleted.out],
    env,
  );
  assert.equal(text.code, 1);
  assert.equal(last(text.stdout).state, "partial");
  assert.equal(last(text.stdout).missing, "playwright/screenshot.png");
});

Deno.test(
  labOnly(
    "artifacts: a direct windows exec with the mirror on lands on Windows; fetch pulls a file missing on Linux with scp and verifies it",
  ),
  async () => {
    const env = { ...await targetEnv(), WIN_AUTOMATION_ARTIFACT_MIRROR: "on" };
    const raw = await runCli(
      ["windows", "exec", "--raw", "--", "Write-Output", "raw"],
      env,
    );
    assert.equal(raw.stdout, "raw\n", "--raw output unchanged");
    const r = await runCli(
      ["windows", "exec", "--", "Write-Output", "mirrored"],
      env,
    );
    assert.equal(r.code, 0, r.stderr);
    const out = last(r.stdout);
    const id = out.job_id!;
    assert.equal(out.artifact_root, jobRoot(env, id));
    const winRoot =
      `${labPaths().fs}/C:/ProgramData/win-automation/artifacts/${id}`;
    assert.equal(
      await Deno.readTextFile(`${winRoot}/ssh/stdout.txt`),
      "mirrored\n",
    );
    const list = await runCli(["artifacts", "list", "--job", id], env);
    assert.equal(lines(list.stdout)[0]!.mirror, "ok");

    await Deno.remove(`${jobRoot(env, id)}/ssh/stdout.txt`);
    const fetched = await fetchJson(env, id);
    assert.equal(fetched.r.code, 0, fetched.r.stderr);
    assert.equal(fetched.json.state, "ok");
    assert.equal(
      await Deno.readTextFile(`${fetched.out}/${id}/ssh/stdout.txt`),
      "mirrored\n",
    );
    assertIncludes(fetched.r.stderr, "from_windows=1");

    // The Windows copy tampered too: caught.
    await Deno.writeTextFile(`${winRoot}/ssh/stdout.txt`, "mirrorex\n");
    const bad = await fetchJson(env, id);
    assert.equal(bad.r.code, 1);
    assert.deepEqual(bad.json.mismatched, ["ssh/stdout.txt"]);
  },
);

Deno.test(
  labOnly(
    "artifacts gc: deletes old jobs only; keeps a young job, a running job, and a symlink out of the root (and what it points to)",
  ),
  async () => {
    const outDir = await Deno.makeTempDir({ prefix: "wa-gc-" });
    const outside = await Deno.makeTempDir({ prefix: "wa-gc-outside-" });
    await Deno.writeTextFile(`${outside}/keep.txt`, "precious");
    const env = {
      ...await targetEnv(),
      WIN_AUTOMATION_ARTIFACT_OUT: outDir,
    };
    // Real jobs through the CLI, then aged by rewriting created_at.
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await runCli(
        ["windows", "exec", "--", "Write-Output", `${i}`],
        env,
      );
      assert.equal(r.code, 0, r.stderr);
      ids.push(last(r.stdout).job_id!);
    }
    const [old, young, running] = ids as [string, string, string];
    const age = async (id: string, days: number) => {
      const path = `${outDir}/${id}/manifest.json`;
      const m = JSON.parse(await Deno.readTextFile(path));
      m.created_at = new Date(Date.now() - days * 86_400_000).toISOString();
      await Deno.writeTextFile(path, JSON.stringify(m));
    };
    await age(old, 10);
    await age(young, 2);
    await age(running, 10);
    // A job in progress: its marker is locked by a live process (this one).
    const marker = await Deno.open(`${outDir}/${running}/.running`, {
      write: true,
      create: true,
    });
    await marker.lock(true);
    await marker.write(new TextEncoder().encode(JSON.stringify({
      host: Deno.hostname(),
      pid: Deno.pid,
      started_at: new Date(Date.now() - 10 * 86_400_000).toISOString(),
    })));
    const link = "5f0c4a52-6a3e-4c8e-9d55-3b7a1c2e4f60";
    await Deno.symlink(outside, `${outDir}/${link}`);
    try {
      const dry = await runCli(
        ["artifacts", "gc", "--days", "7", "--dry-run"],
        env,
      );
      assert.equal(dry.code, 0, dry.stderr);
      const planned = lines(dry.stdout).filter((l) => l.action);
      assert.deepEqual(planned.map((l) => [l.action, l.job_id]), [[
        "would_delete",
        old,
      ]]);
      assert.ok((await Deno.stat(`${outDir}/${old}`)).isDirectory, "dry run");

      const real = await runCli(["artifacts", "gc", "--days", "7"], env);
      assert.equal(real.code, 0, real.stderr);
      assert.deepEqual(
        lines(real.stdout).filter((l) => l.action).map((
          l,
        ) => [l.action, l.job_id]),
        [["deleted", old]],
      );
      const summary = last(real.stdout);
      assert.equal(summary.deleted, "1");
      assert.equal(summary.running, "1");
      assert.equal(summary.ignored, "1");
      const left = [...Deno.readDirSync(outDir)].map((e) => e.name).sort();
      assert.deepEqual(left, [young, running, link].sort());
      assert.equal(await Deno.readTextFile(`${outside}/keep.txt`), "precious");
      assert.equal(
        (await runCli(["artifacts", "list", "--job", old], env)).code,
        1,
        "deleted job is not_found",
      );
    } finally {
      marker.close();
    }
  },
);

Deno.test(
  labOnly(
    "artifacts list/fetch of a job with no manifest: state=not_found, exit 1",
  ),
  async () => {
    const env = await targetEnv();
    const id = crypto.randomUUID();
    const list = await runCli(
      ["artifacts", "list", "--job", id, "--json"],
      env,
    );
    assert.equal(list.code, 1);
    assert.equal(JSON.parse(list.stdout).state, "not_found");
    const out = await Deno.makeTempDir();
    const fetch = await runCli(
      ["artifacts", "fetch", "--job", id, "--out", out],
      env,
    );
    assert.equal(fetch.code, 1);
    assert.equal(last(fetch.stdout).state, "not_found");
  },
);
