import { assert } from "@test/assert";
import { runInProcess } from "./_cli.ts";

const DIR = new URL("./snapshots/", import.meta.url);
const UPDATE = Deno.env.get("UPDATE_SNAPSHOTS") === "1";

const helps: Array<[string, string[]]> = [
  ["help_root.txt", ["--help"]],
  ["help_windows_exec.txt", ["windows", "exec", "--help"]],
  ["help_aloha_run.txt", ["aloha", "run", "--help"]],
  ["help_doctor.txt", ["doctor", "--help"]],
  ["help_config_show.txt", ["config", "show", "--help"]],
  ["help_playwright.txt", ["playwright", "--help"]],
  ["help_playwright_run.txt", ["playwright", "run", "--help"]],
  ["help_playwright_install.txt", ["playwright", "install", "--help"]],
  ["help_supervisor_run.txt", ["supervisor", "run", "--help"]],
  ["help_artifacts.txt", ["artifacts", "--help"]],
  ["help_artifacts_fetch.txt", ["artifacts", "fetch", "--help"]],
  ["help_artifacts_gc.txt", ["artifacts", "gc", "--help"]],
  ["help_worker.txt", ["worker", "--help"]],
  ["help_jobs_enqueue.txt", ["jobs", "enqueue", "--help"]],
];

for (const [file, args] of helps) {
  Deno.test(`help for "${args.join(" ")}" matches tests/snapshots/${file}`, async () => {
    const r = await runInProcess(args);
    assert.equal(r.code, 0);
    const url = new URL(file, DIR);
    if (UPDATE) await Deno.writeTextFile(url, r.stdout);
    assert.equal(
      r.stdout,
      await Deno.readTextFile(url),
      "run with UPDATE_SNAPSHOTS=1 to accept a change",
    );
  });
}

Deno.test("--help lists --config", async () => {
  const r = await runInProcess(["--help"]);
  assert.ok(r.stdout.includes("--config <path>"));
});

Deno.test("worker --help and jobs enqueue --help name every job type", async () => {
  for (const args of [["worker", "--help"], ["jobs", "enqueue", "--help"]]) {
    const r = await runInProcess(args);
    for (const type of ["windows.exec", "aloha.run", "playwright.run"]) {
      assert.ok(r.stdout.includes(type), `${args.join(" ")}: no ${type}`);
    }
  }
});
