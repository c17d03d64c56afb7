import { assert, assertExcludes, assertIncludes } from "@test/assert";
import { parseLine } from "../lib/log/mod.ts";
import { nodeFix, PLAYWRIGHT_ASSETS } from "../lib/playwright/mod.ts";
import { DENO, runCli } from "./_cli.ts";
import { listenAddresses, LOOPBACK_V4, watchClients } from "./_sockets.ts";
import { CLI_PERMISSIONS } from "../scripts/permissions.ts";
import { labOnly, targetEnv, withLabState } from "./_target.ts";
import { startWorker } from "./_worker.ts";
import {
  jobRoot,
  pageUrl,
  playwrightJob,
  strongWsPath,
} from "./_playwright.ts";
import {
  getTask,
  labPaths,
  LOCKED_ROOT,
  plantAcl,
  PLAYWRIGHT_VERSION,
  playwrightPid,
  rightsOf,
  startExtraServer,
} from "../lab/mod.ts";

const paths = labPaths();
const line = (stdout: string) => parseLine(stdout.trim().split("\n").at(-1)!);

/** The first bytes of each artifact kind's file format. */
const MAGIC: Record<string, number[]> = {
  "screenshot.png": [0x89, 0x50, 0x4e, 0x47],
  "trace.zip": [0x50, 0x4b, 0x03, 0x04],
  "video.webm": [0x1a, 0x45, 0xdf, 0xa3],
};

async function assertFormat(path: string, name: string) {
  const bytes = await Deno.readFile(path);
  assert.ok(bytes.length > 100, `${name} has content`);
  assert.deepEqual([...bytes.subarray(0, 4)], MAGIC[name], `${name} format`);
}

/** Moves a lab path away for the length of `fn`. */
async function without<T>(path: string, fn: () => Promise<T>): Promise<T> {
  await Deno.rename(path, `${path}.away`);
  try {
    return await fn();
  } finally {
    await Deno.rename(`${path}.away`, path);
  }
}

Deno.test(
  labOnly(
    "playwright install is idempotent: a second run changes nothing and keeps the running server",
  ),
  async () => {
    const env = await targetEnv();
    const before = await playwrightPid(paths);
    assert.ok(before !== null, "the lab started the server");
    const r = await runCli(["playwright", "install"], env);
    assert.equal(r.code, 0, r.stderr);
    const out = line(r.stdout);
    assert.equal(out.state, "installed");
    assert.equal(out.changed, "none");
    assert.equal(out.playwright_version, PLAYWRIGHT_VERSION);
    assert.equal(await playwrightPid(paths), before, "not restarted");
    for (const step of ["prereq", "upload", "install"]) {
      assertIncludes(r.stderr, `step=${step}`);
    }
  },
);

Deno.test(
  labOnly(
    "playwright install through ssh removes a Playwright firewall rule an older version left, creates none, and keeps the healthy server",
  ),
  async () => {
    const env = await targetEnv();
    const port = Number(env.WIN_AUTOMATION_PLAYWRIGHT_PORT);
    const before = await playwrightPid(paths);
    type Rules = { rules: Array<{ name: string; port: number }> };
    await withLabState<Rules, void>("firewall.json", (s) => ({
      rules: [
        ...s.rules.filter((r) => r.name !== `Playwright-${port}`),
        { name: `Playwright-${port}`, port, enabled: true } as {
          name: string;
          port: number;
        },
      ],
    }), async () => {
      const r = await runCli(["playwright", "install"], env);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(line(r.stdout).changed, "firewall_removed");
      const rules: Rules = JSON.parse(
        await Deno.readTextFile(`${paths.state}/firewall.json`),
      );
      assert.ok(!rules.rules.some((x) => x.name === `Playwright-${port}`));
      // A second run finds nothing to do and creates no rule.
      const again = await runCli(["playwright", "install"], env);
      assert.equal(line(again.stdout).changed, "none");
      const after: Rules = JSON.parse(
        await Deno.readTextFile(`${paths.state}/firewall.json`),
      );
      assert.ok(!after.rules.some((x) => x.name === `Playwright-${port}`));
    });
    assert.equal(await playwrightPid(paths), before, "not restarted");
  },
);

Deno.test(
  labOnly(
    "playwright install exits 3 with err=missing_node or err=missing_playwright and the exact fix",
  ),
  async () => {
    const env = await targetEnv();
    const node = await without(
      `${paths.winbin}/node`,
      () => runCli(["playwright", "install"], env),
    );
    assert.equal(node.code, 3, node.stderr);
    assert.equal(line(node.stdout).err, "missing_node");
    // The lab is Windows Server 2022 by default: no winget there.
    assert.equal(line(node.stdout).fix, nodeFix(false));
    assertExcludes(line(node.stdout).fix ?? "", "winget");
    const win11 = await withLabState(
      "windows.json",
      (s: Record<string, unknown>) => ({ ...s, os: "win11" }),
      () =>
        without(
          `${paths.winbin}/node`,
          () => runCli(["playwright", "install"], env),
        ),
    );
    assert.equal(win11.code, 3, win11.stderr);
    assert.equal(line(win11.stdout).fix, nodeFix(true));
    const pw = await without(
      `${paths.playwrightDir}/node_modules`,
      () => runCli(["playwright", "install"], env),
    );
    assert.equal(pw.code, 3, pw.stderr);
    assert.equal(line(pw.stdout).err, "missing_playwright");
    assert.equal(
      line(pw.stdout).fix,
      `npm install --prefix C:\\ProgramData\\win-automation\\playwright playwright-core@${PLAYWRIGHT_VERSION}`,
    );
  },
);

Deno.test("playwright health connects and reports the server's version", async () => {
  const r = await runCli(["playwright", "health"], await targetEnv());
  assert.equal(r.code, 0, r.stderr);
  const out = line(r.stdout);
  assert.equal(out.state, "ok");
  assert.equal(out.component, "playwright");
  assert.equal(
    out.version,
    PLAYWRIGHT_VERSION.split(".").slice(0, 2).join("."),
  );
  assert.ok(out.browser_version);
});

Deno.test(
  labOnly(
    "playwright health exits 3 with state=error when the server is unreachable or refuses the ws path",
  ),
  async () => {
    const env = await targetEnv();
    const down = await runCli(["playwright", "health"], {
      ...env,
      WIN_AUTOMATION_PLAYWRIGHT_PORT: "1",
      WIN_AUTOMATION_TIMEOUT: "3s",
    });
    assert.equal(down.code, 3);
    assert.equal(line(down.stdout).state, "error");
    assertIncludes(line(down.stdout).err!, "Cannot connect to Playwright");
    const wrong = await runCli(["playwright", "health"], {
      ...env,
      WIN_AUTOMATION_PLAYWRIGHT_WS_PATH: strongWsPath("not-the-servers-"),
    });
    assert.equal(wrong.code, 3);
    assertIncludes(line(wrong.stdout).err!, "refused the ws path");
    for (const r of [down, wrong]) {
      assertExcludes(
        r.stdout + r.stderr,
        env.WIN_AUTOMATION_PLAYWRIGHT_WS_PATH!,
      );
    }
  },
);

Deno.test(
  labOnly(
    "playwright health against a server of another minor version exits 3 with err=version_mismatch naming both",
  ),
  async () => {
    const env = await targetEnv();
    const [major, minor] = PLAYWRIGHT_VERSION.split(".").map(Number);
    const other = `${major}.${minor! - 1}.0`;
    const wsPath = strongWsPath("mismatch-");
    const server = await startExtraServer(paths, {
      version: other,
      wsPath,
      launchServerJs: PLAYWRIGHT_ASSETS["launch-server.js"]!,
    });
    try {
      const r = await runCli(["playwright", "health"], {
        ...env,
        WIN_AUTOMATION_PLAYWRIGHT_PORT: String(server.port),
        WIN_AUTOMATION_PLAYWRIGHT_WS_PATH: wsPath,
      });
      assert.equal(r.code, 3, r.stdout + r.stderr);
      const out = line(r.stdout);
      assert.equal(out.state, "error");
      assert.equal(out.err, "version_mismatch");
      assert.equal(out.server_version, `${major}.${minor! - 1}`);
      assert.equal(out.client_version, PLAYWRIGHT_VERSION);
      assertIncludes(
        r.stderr,
        `server ${major}.${minor! - 1}, client ${PLAYWRIGHT_VERSION}`,
      );
      assertExcludes(r.stdout + r.stderr, wsPath);
    } finally {
      await server.stop();
    }
  },
);

Deno.test("playwright run --screenshot --trace --video saves all three on Linux under <out_dir>/<job_id>/playwright", async () => {
  const env = await targetEnv();
  const r = await runCli([
    "playwright",
    "run",
    "--url",
    pageUrl(env),
    "--screenshot",
    "--trace",
    "--video",
    "--timeout",
    "60s",
  ], env);
  assert.equal(r.code, 0, r.stderr);
  const out = line(r.stdout);
  assert.equal(out.state, "completed");
  assert.match(out.job_id!, /^[0-9a-f-]{36}$/);
  assert.equal(out.artifact_root, jobRoot(env, out.job_id!));
  assert.equal(out.http_status, "200");
  for (const name of Object.keys(MAGIC)) {
    await assertFormat(`${out.artifact_root}/playwright/${name}`, name);
  }
});

Deno.test(
  labOnly(
    "playwright run gives state=partial and exit 1 when a requested file does not arrive (no ffmpeg on the server)",
  ),
  async () => {
    const env = await targetEnv();
    const browsers = `${paths.playwrightDir}/browsers`;
    const ffmpeg = [...Deno.readDirSync(browsers)].find((e) =>
      e.name.startsWith("ffmpeg-")
    )!;
    const r = await without(`${browsers}/${ffmpeg.name}`, () =>
      runCli([
        "playwright",
        "run",
        "--url",
        env.WIN_LAB_PAGE_URL!,
        "--screenshot",
        "--video",
        "--timeout",
        "60s",
      ], env));
    assert.equal(r.code, 1, r.stderr);
    const out = line(r.stdout);
    assert.equal(out.state, "partial");
    assert.equal(out.missing, "video");
    await assertFormat(
      `${out.artifact_root}/playwright/screenshot.png`,
      "screenshot.png",
    );
    assertIncludes(r.stderr, "artifact=video");
  },
);

Deno.test(
  labOnly(
    "playwright run exits 4 when the page does not load in time and 1 when it cannot be loaded",
  ),
  async () => {
    const env = await targetEnv();
    const slow = await runCli([
      "playwright",
      "run",
      "--url",
      `${env.WIN_LAB_PAGE_URL}slow?ms=60000`,
      "--timeout",
      "5s",
    ], env);
    assert.equal(slow.code, 4, slow.stderr);
    assertIncludes(slow.stderr, "no load event within 5000ms");
    const refused = await runCli([
      "playwright",
      "run",
      "--url",
      "http://127.0.0.1:1/",
    ], env);
    assert.equal(refused.code, 1, refused.stderr);
    assertIncludes(refused.stderr, "Cannot load http://127.0.0.1:1/");
  },
);

Deno.test("jobs enqueue --type playwright.run: a worker runs it, the artifacts land under the job id, playwright_sessions_total counts it", async () => {
  const env = await targetEnv();
  const worker = await startWorker(env, ["--metrics"]);
  let stopped = false;
  try {
    assertIncludes(worker.stderr(), "playwright.run");
    const { id, enqueue, done } = await playwrightJob(env, [
      "--screenshot",
      "--trace",
    ]);
    assert.equal(enqueue.code, 0, enqueue.stderr);
    assert.equal(
      line(done.stdout).state,
      "completed",
      done.stdout + done.stderr,
    );
    for (const name of ["screenshot.png", "trace.zip"]) {
      await assertFormat(
        `${jobRoot(env, id)}/playwright/${name}`,
        name,
      );
    }
    assert.equal(await worker.stop(), 0);
    stopped = true;
    const last = worker.stdout().trim().split("\n").filter((l) =>
      l.includes("metric=playwright_sessions_total")
    ).at(-1);
    assert.equal(parseLine(last ?? "").value, "1", worker.stdout());
  } finally {
    if (!stopped) await worker.stop();
  }
});

Deno.test(
  labOnly(
    "playwright install converges what an older version left: the root locked (acl), ws_path.txt readable by the server (ws_path_acl), the task moved from SYSTEM to LOCAL SERVICE; then nothing",
  ),
  async () => {
    const env = await targetEnv();
    const lab = paths.dir;
    const root = "C:\\ProgramData\\win-automation";
    const wsFile = `${root}\\playwright\\ws_path.txt`;
    const tasks = `${lab}/state/tasks.json`;
    type Tasks = { tasks: Array<Record<string, string>> };
    // An older install: a root inheriting ProgramData's rules, ws_path.txt
    // with its own protected ACL, the task as SYSTEM, Highest.
    await plantAcl(lab, root, null);
    await plantAcl(lab, `${root}\\playwright`, null);
    await plantAcl(lab, wsFile, {
      owner: "S-1-5-32-544",
      protected: true,
      rules: LOCKED_ROOT.rules.map((r) => ({ ...r, inheritance: 0 })),
    });
    const data = JSON.parse(await Deno.readTextFile(tasks)) as Tasks;
    for (const t of data.tasks) {
      if (t.name === "WinAutomation-Playwright") {
        t.user = "SYSTEM";
        t.logon_type = "ServiceAccount";
        t.run_level = "Highest";
      }
    }
    await Deno.writeTextFile(tasks, JSON.stringify(data));
    // Negative control: as it stands, LOCAL SERVICE could not read the secret.
    assert.equal(await rightsOf(lab, wsFile, "S-1-5-19") & 0x1, 0);
    const r = await runCli(["playwright", "install"], env);
    assert.equal(r.code, 0, r.stderr);
    const changed = line(r.stdout).changed!.split(",");
    for (const c of ["acl", "ws_path_acl", "task", "restarted"]) {
      assert.ok(changed.includes(c), `${c} in ${changed}`);
    }
    assert.ok(!changed.includes("ws_path"), "the secret's text was right");
    const task = await getTask(lab, "WinAutomation-Playwright");
    assert.equal(task?.user, "S-1-5-19");
    assert.equal(task?.run_level, "Limited");
    assert.ok((await rightsOf(lab, wsFile, "S-1-5-19") & 0x1) === 0x1);
    assert.equal(await rightsOf(lab, wsFile, "S-1-5-32-545") & 0x2, 0);
    const health = await runCli(["playwright", "health"], env);
    assert.equal(health.code, 0, health.stdout + health.stderr);
    const again = await runCli(["playwright", "install"], env);
    assert.equal(line(again.stdout).changed, "none");
    const doctor = await runCli(["doctor"], env);
    const acl = doctor.stdout.trim().split("\n").map(parseLine).filter((l) =>
      l.check === "windows_acl"
    );
    assert.deepEqual(acl.map((l) => l.state), ["ok", "ok"]);
  },
);

/** The CLI as shipped (its permissions, no -A), for {@linkcode watchClients}. */
function cliArgs(args: string[]): [string, string[]] {
  const root = new URL("..", import.meta.url).pathname;
  return [DENO, [
    "run",
    ...CLI_PERMISSIONS,
    "--quiet",
    `${root}main.ts`,
    ...args,
  ]];
}

Deno.test(
  labOnly(
    "playwright run through ssh: the server's only client is sshd, the CLI holds no socket to its port, and no forward socket listens while the page loads",
  ),
  async () => {
    const env = await targetEnv();
    const port = Number(env.WIN_AUTOMATION_PLAYWRIGHT_PORT);
    const fw = `${env.WIN_AUTOMATION_STATE_DIR}/fw`;
    const slow = new URL("slow?ms=2500", pageUrl(env)).href;
    const [program, args] = cliArgs(["playwright", "run", "--url", slow]);
    const at = (relay: number, extra: Record<string, string> = {}) => ({
      ...env,
      HOME: Deno.env.get("HOME") ?? "/root",
      WIN_AUTOMATION_PLAYWRIGHT_PORT: String(relay),
      ...extra,
    });
    const tunnelled = await watchClients(program, args, {
      env: (relay) => at(relay),
      port,
      listenDir: fw,
    });
    assert.equal(tunnelled.code, 0, tunnelled.stderr);
    assert.equal(line(tunnelled.stdout).state, "completed");
    assert.ok(tunnelled.clients.length > 0, "the server had a client");
    // The server listens on the loopback only, never on every interface.
    const bound = listenAddresses(port);
    assert.ok(bound.length > 0, "the server listens");
    assert.deepEqual([...new Set(bound)], [LOOPBACK_V4], `bound: ${bound}`);
    for (const client of tunnelled.clients) {
      assert.match(client, /^sshd: /, `client of port ${port}: ${client}`);
    }
    assert.ok(!tunnelled.clientPids.includes(tunnelled.pid));
    assert.equal(tunnelled.programHeldPort, false, "the CLI dialled the port");
    // The forward was cancelled once the WebSocket was open: nothing listened
    // under <state_dir>/fw by the time the page had loaded and the
    // connection ended, and no socket file is left.
    assert.deepEqual(tunnelled.listenersAtClose, []);
    assert.deepEqual(await Array.fromAsync(Deno.readDir(fw)), []);
    assertExcludes(
      tunnelled.stderr + tunnelled.stdout,
      env.WIN_AUTOMATION_PLAYWRIGHT_WS_PATH!,
    );

    // Negative control: in direct mode the same watch sees the CLI itself
    // as the server's client, so the check above can tell the two apart.
    const direct = await watchClients(program, args, {
      env: (relay) => at(relay, { WIN_AUTOMATION_PLAYWRIGHT_VIA: "direct" }),
      port,
    });
    assert.equal(direct.code, 0, direct.stderr);
    assert.ok(direct.clientPids.includes(direct.pid), direct.clients.join());
    assert.equal(direct.programHeldPort, true);
  },
);

Deno.test(
  labOnly(
    "playwright health through ssh reaches the server by its Windows-side address only: a port closed there is unreachable (exit 3) without the secret",
  ),
  async () => {
    const env = await targetEnv();
    const free = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    const closed = free.addr.port;
    free.close();
    const r = await runCli(["playwright", "health"], {
      ...env,
      WIN_AUTOMATION_PLAYWRIGHT_PORT: String(closed),
    });
    assert.equal(r.code, 3, r.stderr);
    const out = line(r.stdout);
    assert.equal(out.state, "error");
    assertIncludes(out.err!, `127.0.0.1:${closed} (via ssh)`);
    assertIncludes(out.err!, "nothing answered on the Windows side");
    assertExcludes(r.stdout + r.stderr, env.WIN_AUTOMATION_PLAYWRIGHT_WS_PATH!);
    assert.deepEqual(
      await Array.fromAsync(Deno.readDir(`${env.WIN_AUTOMATION_STATE_DIR}/fw`)),
      [],
      "the failed call's forward is cancelled too",
    );
    // Negative control: the configured port answers through the same path.
    const ok = await runCli(["playwright", "health"], env);
    assert.equal(ok.code, 0, ok.stderr);
  },
);
