import { assert, assertExcludes, assertIncludes } from "@test/assert";
import { runCli } from "./_cli.ts";
import { labOnly, targetEnv } from "./_target.ts";
import { startWorker } from "./_worker.ts";
import { playwrightJob, strongWsPath } from "./_playwright.ts";
import { unzip } from "./_zip.ts";
import {
  descendants,
  labPaths,
  playwrightPid,
  readJournal,
} from "./lab/lab_env.ts";

Deno.test(
  labOnly(
    "secrets set in the env never appear in logs, config show, or any argv the lab journaled",
  ),
  async () => {
    const token = `tok-${crypto.randomUUID()}`;
    const wsPath = strongWsPath();
    const env = {
      ...(await targetEnv()),
      WIN_AUTOMATION_HATCHET_TOKEN: token,
      WIN_AUTOMATION_PLAYWRIGHT_WS_PATH: wsPath,
    };
    const before = (await readJournal()).length;
    const runs = [
      ["config", "show"],
      ["doctor"],
      ["windows", "exec", "--", "echo ok"],
      ["windows", "exec", "--", "exit 5"],
      ["aloha", "run", "--task", "x", "--wait"],
      ["--config", "/nonexistent", "doctor"],
    ];
    let seen = "";
    for (const args of runs) {
      const r = await runCli(args, env);
      seen += r.stdout + r.stderr;
    }
    for (const secret of [token, wsPath]) assertExcludes(seen, secret);
    assert.ok(
      seen.includes("value=<redacted>"),
      "config show redacts the secrets",
    );
    const journal = (await readJournal()).slice(before);
    assert.ok(journal.length > 5, "the runs reached the lab");
    for (const entry of journal) {
      for (const secret of [token, wsPath]) {
        assertExcludes(
          JSON.stringify(entry),
          secret,
        );
      }
    }
  },
);

/** Every file under `dir`, recursively. */
async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for await (const entry of Deno.readDir(dir)) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory) out.push(...await filesUnder(path));
    else if (entry.isFile) out.push(path);
  }
  return out;
}

Deno.test(
  labOnly(
    "the Playwright ws path crosses only inside a script's stdin: never in output, worker logs, journaled argv, the server's argv, artifacts or errors",
  ),
  async () => {
    const lab = await targetEnv();
    const wsPath = strongWsPath();
    const env = { ...lab, WIN_AUTOMATION_PLAYWRIGHT_WS_PATH: wsPath };
    const before = (await readJournal()).length;
    let seen = "";
    const jobIds: string[] = [];
    try {
      const install = await runCli(["playwright", "install"], env);
      assert.equal(install.code, 0, install.stderr);
      assertIncludes(install.stdout, "ws_path");
      const url = lab.WIN_LAB_PAGE_URL!;
      const runs = [
        ["playwright", "health"],
        [
          "playwright",
          "run",
          "--url",
          url,
          "--screenshot",
          "--trace",
          "--video",
        ],
        ["playwright", "run", "--url", "http://127.0.0.1:1/"],
        ["doctor"],
        ["config", "show"],
      ];
      seen += install.stdout + install.stderr;
      for (const args of runs) {
        const r = await runCli(args, env);
        seen += r.stdout + r.stderr;
        const id = r.stdout.match(/job_id=([0-9a-f-]{36})/)?.[1];
        if (id) jobIds.push(id);
      }
      for (
        const extra of <Record<string, string>[]> [
          { WIN_AUTOMATION_PLAYWRIGHT_PORT: "1", WIN_AUTOMATION_TIMEOUT: "2s" },
          { WIN_AUTOMATION_PLAYWRIGHT_WS_PATH: `${wsPath}-wrong` },
        ]
      ) {
        const r = await runCli(["playwright", "health"], { ...env, ...extra });
        assert.equal(r.code, 3);
        seen += r.stdout + r.stderr;
      }
      const worker = await startWorker(env);
      try {
        const { id, enqueue, done } = await playwrightJob(env, [
          "--screenshot",
          "--trace",
        ]);
        jobIds.push(id);
        assertIncludes(done.stdout, "state=completed");
        seen += enqueue.stdout + enqueue.stderr + done.stdout + done.stderr;
      } finally {
        await worker.stop();
        seen += worker.stdout() + worker.stderr();
      }
      assertExcludes(seen, wsPath);

      const journal = (await readJournal()).slice(before);
      const installs = journal.filter((e) => e.kind === "playwright_install");
      assert.ok(installs.length > 0, "install reached the lab");
      assert.ok(
        installs.every((e) => JSON.stringify(e.input).includes(wsPath)),
        "the secret did cross: inside the data line of the script's stdin",
      );
      for (const entry of journal) {
        assertExcludes(entry.script ?? "", wsPath); // never compiled text
      }
      for (const entry of journal) assertExcludes(entry.argv.join(" "), wsPath);

      const pid = await playwrightPid(labPaths());
      assert.ok(pid !== null);
      for (const p of [pid, ...descendants(pid)]) {
        const argv = await Deno.readTextFile(`/proc/${p}/cmdline`).catch(() =>
          ""
        );
        assertExcludes(argv, wsPath, `argv of pid ${p}`);
      }

      assert.equal(jobIds.length, 2);
      for (const id of jobIds) {
        const files = await filesUnder(
          `${lab.WIN_AUTOMATION_ARTIFACT_OUT}/${id}`,
        );
        assert.ok(files.length >= 2);
        for (const file of files) {
          const bytes = await Deno.readFile(file);
          const texts = [new TextDecoder("latin1").decode(bytes)];
          if (file.endsWith(".zip")) {
            for (const entry of await unzip(bytes)) {
              texts.push(new TextDecoder("latin1").decode(entry.data));
            }
            assert.ok(texts.length > 2, "the trace has entries");
          }
          for (const text of texts) assertExcludes(text, wsPath, file);
        }
      }
    } finally {
      const restore = await runCli(["playwright", "install"], lab);
      assert.equal(restore.code, 0, restore.stderr);
    }
  },
);
