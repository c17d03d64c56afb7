import { assert } from "@test/assert";
import {
  hostDir,
  hostNames,
  labUp,
  readJournal,
  startHostSshd,
  stopHostSshd,
} from "../lab/mod.ts";
import { parseLine } from "../lib/log/mod.ts";
import { hasStackTrace, runCli } from "./_cli.ts";
import { labOnly } from "./_target.ts";

const HOSTS = hostNames(3);

/** `windows exec --targets ... -- line`, with `flags` before the `--`. */
const fanOut = (
  env: Record<string, string>,
  targets: string,
  line: string,
  flags: string[] = [],
) =>
  runCli([
    "windows",
    "exec",
    "--targets",
    targets,
    ...flags,
    "--",
    line,
  ], env);

/** The per-target lines by target, and the summary's fields. */
function linesOf(stdout: string) {
  const rows = stdout.trimEnd().split("\n");
  const last = rows.pop() ?? "";
  assert.ok(last.startsWith("summary "), stdout);
  const targets = new Map<string, Record<string, string>>();
  for (const row of rows) {
    const fields = parseLine(row);
    assert.ok(!targets.has(fields.target!), `two lines for ${fields.target}`);
    targets.set(fields.target!, fields);
  }
  return { targets, summary: parseLine(last.slice("summary ".length)) };
}

/** The start and end a run's runner wrote on its host (its clock, not ours). */
async function runSpan(host: string, runId: string) {
  const dir = `${hostDir(host)}/fs/C:/ProgramData/win-automation/run/${runId}`;
  const at = async (name: string) =>
    Date.parse((await Deno.readTextFile(`${dir}/${name}`)).trim());
  return { host, start: await at("started"), end: await at("finished") };
}

/** Whether any two spans overlap in time. */
function anyOverlap(spans: { start: number; end: number }[]): boolean {
  return spans.some((a, i) =>
    spans.some((b, j) => i !== j && a.start < b.end && b.start < a.end)
  );
}

Deno.test(
  labOnly(
    "lab --hosts 3: windows exec --targets all -- hostname prints three completed lines and completed=3, each host's name in its own <t>.stdout",
  ),
  async () => {
    const fleet = await labUp({ hosts: 3 });
    const tmp = await Deno.makeTempDir({ prefix: "wa-fan-out-test-" });
    const out = `${tmp}/out`;
    try {
      const r = await fanOut(fleet, "all", "hostname", ["--out-dir", out]);
      assert.equal(r.code, 0, r.stderr);
      assert.ok(!hasStackTrace(r.stderr), r.stderr);
      const { targets, summary } = linesOf(r.stdout);
      assert.deepEqual([...targets.keys()].sort(), HOSTS);
      for (const host of HOSTS) {
        const line = targets.get(host)!;
        assert.equal(line.state, "completed", r.stdout);
        assert.equal(line.exit_code, "0");
        assert.match(line.duration_ms!, /^\d+$/);
        // The command's own output is not on the terminal...
        assert.ok(!r.stdout.includes(host.toUpperCase()), r.stdout);
        // ...but in the host's own file (each name differs: not vacuous).
        assert.equal(
          await Deno.readTextFile(`${out}/${host}.stdout`),
          `${host.toUpperCase()}\n`,
        );
        assert.equal(await Deno.readTextFile(`${out}/${host}.stderr`), "");
        const meta = JSON.parse(
          await Deno.readTextFile(`${out}/${host}.json`),
        );
        assert.equal(meta.target, host);
        assert.equal(meta.state, "completed");
        assert.equal(meta.run_id, line.run_id);
        // Each run has its artifact root and manifest, naming its target.
        const manifest = JSON.parse(
          await Deno.readTextFile(`${meta.artifact_root}/manifest.json`),
        );
        assert.equal(manifest.target, host);
        assert.equal(manifest.state, "completed");
      }
      assert.equal((await Deno.stat(out)).mode! & 0o777, 0o700);
      assert.deepEqual(summary, {
        targets: "3",
        completed: "3",
        failed: "0",
        unreachable: "0",
        timeout: "0",
      });

      // A fan-out's run id is that target's run: attach finds it there.
      const runId = targets.get("win-02")!.run_id!;
      const attach = await runCli(
        ["windows", "attach", "--raw", "--target", "win-02", "--run", runId],
        fleet,
      );
      assert.equal(attach.stdout, "WIN-02\n", attach.stderr);
      const elsewhere = await runCli(
        ["windows", "attach", "--raw", "--target", "win-01", "--run", runId],
        fleet,
      );
      assert.notEqual(elsewhere.code, 0, "win-02's run found on win-01");

      // A secret a command prints is redacted in the files and in --json.
      const secret = fleet.WIN_AUTOMATION_PLAYWRIGHT_WS_PATH!;
      assert.ok(secret.length > 8);
      const leak = await fanOut(fleet, "win-01", `Write-Output '${secret}'`, [
        "--out-dir",
        `${tmp}/leak`,
      ]);
      assert.equal(leak.code, 0, leak.stderr);
      const leaked = await Deno.readTextFile(`${tmp}/leak/win-01.stdout`);
      assert.equal(leaked, "<redacted>\n");
      const leakJson = await fanOut(
        fleet,
        "win-01",
        `Write-Output '${secret}'`,
        [
          "--json",
        ],
      );
      assert.ok(!leakJson.stdout.includes(secret));
      assert.equal(JSON.parse(leakJson.stdout)[0].stdout, "<redacted>\n");

      // --json: one array, output included.
      const json = await fanOut(fleet, "win-0*", "hostname", ["--json"]);
      assert.equal(json.code, 0, json.stderr);
      const rows = JSON.parse(json.stdout) as Record<string, unknown>[];
      assert.deepEqual(rows.map((x) => x.target), HOSTS);
      for (const row of rows) {
        assert.equal(row.stdout, `${String(row.target).toUpperCase()}\n`);
        assert.equal(row.state, "completed");
      }
    } finally {
      await Deno.remove(tmp, { recursive: true });
      await labUp();
    }
  },
);

Deno.test(
  labOnly(
    "lab --hosts 3: a failing command gives failed=3 and exit 1; past --timeout timeout=3 and exit 4; with win-02's sshd stopped, unreachable=1 and exit 3 while the others complete",
  ),
  async () => {
    const fleet = await labUp({ hosts: 3 });
    try {
      const failed = await fanOut(fleet, "all", "exit 2");
      assert.equal(failed.code, 1, failed.stderr);
      const f = linesOf(failed.stdout);
      for (const host of HOSTS) {
        assert.equal(f.targets.get(host)!.state, "failed");
        assert.equal(f.targets.get(host)!.exit_code, "2");
      }
      assert.equal(f.summary.failed, "3");
      assert.equal(f.summary.completed, "0");

      // Past --timeout each run is stopped: timeout=3, exit 4.
      const late = await fanOut(fleet, "all", "Start-Sleep -Seconds 30", [
        "--timeout",
        "2s",
      ]);
      assert.equal(late.code, 4, late.stdout + late.stderr);
      const l = linesOf(late.stdout);
      for (const host of HOSTS) {
        assert.equal(l.targets.get(host)!.state, "timeout");
        assert.match(l.targets.get(host)!.run_id!, /^[0-9a-f-]{36}$/);
      }
      assert.equal(l.summary.timeout, "3");

      await stopHostSshd("win-02");
      try {
        const down = await fanOut(fleet, "all", "hostname");
        assert.equal(down.code, 3, down.stdout + down.stderr);
        assert.ok(!hasStackTrace(down.stderr), down.stderr);
        const d = linesOf(down.stdout);
        assert.equal(d.targets.get("win-02")!.state, "unreachable");
        assert.match(d.targets.get("win-02")!.error!, /not started/);
        assert.equal(d.targets.get("win-01")!.state, "completed");
        assert.equal(d.targets.get("win-03")!.state, "completed");
        assert.equal(d.summary.unreachable, "1");
        assert.equal(d.summary.completed, "2");
        // Negative control: leaving the stopped host out is all completed.
        const rest = await fanOut(fleet, "all,!win-02", "hostname");
        assert.equal(rest.code, 0, rest.stderr);
        assert.equal(linesOf(rest.stdout).summary.completed, "2");
      } finally {
        await startHostSshd("win-02");
      }
    } finally {
      await labUp();
    }
  },
);

Deno.test(
  labOnly(
    "lab --hosts 3: --forks 1 runs one target at a time (run spans from the hosts' own runners); --forks 3 overlaps them",
  ),
  async () => {
    const fleet = await labUp({ hosts: 3 });
    try {
      const spansOf = async (forks: string) => {
        const r = await fanOut(fleet, "all", "Start-Sleep -Seconds 2", [
          "--forks",
          forks,
        ]);
        assert.equal(r.code, 0, r.stderr);
        const { targets } = linesOf(r.stdout);
        return await Promise.all(
          HOSTS.map((h) => runSpan(h, targets.get(h)!.run_id!)),
        );
      };
      const one = await spansOf("1");
      assert.ok(!anyOverlap(one), JSON.stringify(one));
      // Negative control: the same check sees the runs of --forks 3 overlap.
      const three = await spansOf("3");
      assert.ok(anyOverlap(three), JSON.stringify(three));
    } finally {
      await labUp();
    }
  },
);

Deno.test(
  labOnly(
    "lab --hosts 3: !name exclusions run nowhere else; bad patterns, --forks and --target with --targets exit 2 before anything runs",
  ),
  async () => {
    const fleet = await labUp({ hosts: 3 });
    const tmp = await Deno.makeTempDir({ prefix: "wa-fan-out-test-" });
    try {
      const token = crypto.randomUUID();
      const r = await fanOut(fleet, "!win-02", `Write-Output ${token}`, [
        "--out-dir",
        tmp,
      ]);
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual([...linesOf(r.stdout).targets.keys()].sort(), [
        "win-01",
        "win-03",
      ]);
      const files = [];
      for await (const e of Deno.readDir(tmp)) files.push(e.name);
      assert.ok(!files.some((f) => f.startsWith("win-02")), files.join());
      const journal = async (host: string) =>
        JSON.stringify(await readJournal({ host }));
      assert.ok(!(await journal("win-02")).includes(token));
      assert.ok((await journal("win-01")).includes(token)); // control

      const bad: [string[], RegExp][] = [
        [["--targets", "win-09"], /--targets "win-09" names no target/],
        [["--targets", "all,!nope"], /"!nope" names no target/],
        [["--targets", "!all"], /leaves no target/],
        [["--targets", "all", "--forks", "0"], /--forks/],
        [["--targets", "all", "--forks", "101"], /--forks/],
        [["--targets", "all", "--target", "win-01"], /--target and --targets/],
        [["--targets", "all", "--follow"], /--targets cannot be combined/],
        [["--forks", "2"], /--forks needs --targets/],
      ];
      for (const [flags, message] of bad) {
        const e = await runCli(
          ["windows", "exec", ...flags, "--", `Write-Output ${token}-bad`],
          fleet,
        );
        assert.equal(e.code, 2, `${flags.join(" ")}: ${e.stderr}`);
        assert.match(e.stderr, message);
        assert.equal(e.stdout, "");
        assert.ok(!hasStackTrace(e.stderr), e.stderr);
      }
      for (const host of HOSTS) {
        assert.ok(!(await journal(host)).includes(`${token}-bad`), host);
      }
      // A world-writable --out-dir someone else made is refused (exit 2).
      await Deno.mkdir(`${tmp}/open`);
      await Deno.chmod(`${tmp}/open`, 0o777);
      const open = await fanOut(fleet, "all", "hostname", [
        "--out-dir",
        `${tmp}/open`,
      ]);
      assert.equal(open.code, 2, open.stderr);
      assert.match(open.stderr, /--out-dir .*writable by group or others/);
    } finally {
      await Deno.remove(tmp, { recursive: true });
      await labUp();
    }
  },
);

Deno.test(
  labOnly(
    "lab --hosts 3: playwright run --targets all gives a line per target and completed=3; with win-02's sshd stopped, unreachable=1 and exit 3",
  ),
  async () => {
    const fleet = await labUp({ hosts: 3 });
    const page = (targets: string) =>
      runCli([
        "playwright",
        "run",
        "--targets",
        targets,
        "--url",
        fleet.WIN_LAB_PAGE_URL!,
      ], fleet);
    try {
      const r = await page("all");
      assert.equal(r.code, 0, r.stderr);
      const { targets, summary } = linesOf(r.stdout);
      assert.deepEqual([...targets.keys()].sort(), HOSTS);
      for (const host of HOSTS) {
        const line = targets.get(host)!;
        assert.equal(line.state, "completed");
        assert.equal(line.http_status, "200");
        const manifest = JSON.parse(
          await Deno.readTextFile(
            `${fleet.WIN_AUTOMATION_ARTIFACT_OUT}/${line.job_id}/manifest.json`,
          ),
        );
        assert.equal(manifest.target, host);
      }
      assert.equal(summary.completed, "3");
      await stopHostSshd("win-02");
      try {
        const down = await page("all");
        assert.equal(down.code, 3, down.stdout + down.stderr);
        const d = linesOf(down.stdout);
        assert.equal(d.targets.get("win-02")!.state, "unreachable");
        assert.equal(d.summary.unreachable, "1");
        assert.equal(d.summary.completed, "2");
      } finally {
        await startHostSshd("win-02");
      }
    } finally {
      await labUp();
    }
  },
);
