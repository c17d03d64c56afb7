import { assert, assertIncludes } from "@test/assert";
import { type Fields, parseLine } from "../lib/log/mod.ts";
import { cliCommand, DENO, hasStackTrace, runCli } from "./_cli.ts";
import { watchClients } from "./_sockets.ts";
import { CLI_PERMISSIONS } from "../scripts/permissions.ts";
import { labOnly, REAL_VM, targetEnv, withLabState } from "./_target.ts";
import {
  descendants,
  labDir,
  labPaths,
  labPorts,
  labUp,
  listeningPorts,
  readJournal,
} from "../lab/mod.ts";

/** Script kinds that change Windows: none may run in a pass over a healthy system. */
const MUTATING = [
  "exec",
  "kill",
  "firewall_add",
  "firewall_repair",
  "task_run",
  "playwright_install",
];

type Line = Record<string, string>;
const lines = (stdout: string): Line[] =>
  stdout.trim().split("\n").filter((l) => l !== "").map((l) =>
    parseLine(l) as Line
  );
const summary = (stdout: string) => lines(stdout).at(-1)!;
const checkLines = (stdout: string) =>
  lines(stdout).filter((l) => l.check && l.attempts !== undefined);

interface ProcRecord {
  name: string;
  pid: number;
  task?: string;
  /** The ssh session's job it belongs to, if any. */
  job?: string;
}
interface Rules {
  rules: Array<{ name: string; port: number; enabled: boolean }>;
}

async function processes(): Promise<ProcRecord[]> {
  const text = await Deno.readTextFile(`${labDir()}/state/processes.json`);
  return (JSON.parse(text) as { processes: ProcRecord[] }).processes;
}

function alive(pid: number): boolean {
  try {
    Deno.kill(pid, "SIGCONT");
    return true;
  } catch {
    return false;
  }
}

/** Kills a process and everything under it (the server's browser too). */
async function killAndWait(pid: number): Promise<void> {
  for (const child of descendants(pid)) {
    try {
      Deno.kill(child, "SIGKILL");
    } catch { /* gone already */ }
  }
  Deno.kill(pid, "SIGKILL");
  for (let i = 0; i < 200 && alive(pid); i++) {
    await new Promise((r) => setTimeout(r, 25));
  }
  assert.ok(!alive(pid), `pid ${pid} still alive`);
}

/** Puts the lab back together whatever a test left (other tests share it). */
async function restoreLab(saved: string) {
  const now = JSON.parse(
    await Deno.readTextFile(`${labDir()}/state/firewall.json`),
  ) as Rules;
  const want = JSON.parse(saved) as Rules;
  for (const rule of want.rules) {
    if (!now.rules.some((r) => r.name === rule.name)) now.rules.push(rule);
  }
  await Deno.writeTextFile(
    `${labDir()}/state/firewall.json`,
    JSON.stringify(now),
  );
  await labUp();
}

Deno.test(
  "supervisor run --once over a healthy lab prints one ok line per check in order, then state=healthy",
  async () => {
    const env = await targetEnv();
    const r = await runCli(["supervisor", "run", "--once"], env);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.deepEqual(checkLines(r.stdout).map((l) => [l.check, l.state]), [
      ["ssh", "ok"],
      ["aloha_server", "ok"],
      ["aloha_client", "ok"],
      ["hatchet", "ok"],
      ["playwright", "ok"],
    ]);
    const last = summary(r.stdout);
    assert.equal(last.state, "healthy");
    for (const l of lines(r.stdout)) {
      assert.equal(l.component, "supervisor");
      assert.equal(l.op, "supervisor");
    }
  },
);

Deno.test(
  labOnly(
    "supervisor run --once brings back a killed Aloha client and a killed Playwright server, leaves a deleted firewall rule deleted (through ssh none is needed); a second pass changes nothing",
  ),
  async () => {
    const env = await targetEnv();
    const ports = await labPorts(labPaths());
    const firewallFile = `${labDir()}/state/firewall.json`;
    const saved = await Deno.readTextFile(firewallFile);
    const deleted = `Aloha-${ports.aloha_server}`;
    try {
      const rules = JSON.parse(saved) as Rules;
      assert.ok(rules.rules.some((r) => r.name === deleted));
      await Deno.writeTextFile(
        firewallFile,
        JSON.stringify({
          rules: rules.rules.filter((r) => r.name !== deleted),
        }),
      );
      const before = await processes();
      const client = before.find((p) =>
        p.name === "aloha-client" && alive(p.pid)
      );
      const server = before.find((p) =>
        p.task === "WinAutomation-Playwright" && alive(p.pid)
      );
      assert.ok(client && server, JSON.stringify(before));
      await killAndWait(client.pid);
      await killAndWait(server.pid);

      const first = await runCli(["supervisor", "run", "--once"], env);
      assert.equal(first.code, 0, first.stdout + first.stderr);
      assert.equal(summary(first.stdout).state, "healthy");
      const changed = lines(first.stdout)
        .filter((l) => l.remediation && l.state === "changed")
        .map((l) => `${l.check}:${l.remediation}`);
      assert.deepEqual(changed, [
        "aloha_client:start",
        "playwright:schtasks_run",
      ]);
      assert.deepEqual(
        checkLines(first.stdout).map((l) => [l.check, l.state]),
        [
          ["ssh", "ok"],
          ["aloha_server", "ok"],
          ["aloha_client", "remediated"],
          ["hatchet", "ok"],
          ["playwright", "remediated"],
        ],
      );
      // The client came back as its scheduled task: it outlives the ssh
      // session that ran `schtasks /Run` (Win32-OpenSSH kills a session's
      // own processes when the session ends).
      const revived = (await processes()).find((p) =>
        p.name === "aloha-client" && alive(p.pid)
      );
      assert.ok(revived, "the Aloha client runs again");
      assert.equal(revived.job, undefined, "outside any session's job");
      await new Promise((r) => setTimeout(r, 5_000));
      assert.ok(alive(revived.pid), "still running 5 s after the pass");
      assert.ok(
        listeningPorts().has(ports.aloha_client),
        "still listening 5 s after the pass",
      );
      const restored = JSON.parse(
        await Deno.readTextFile(firewallFile),
      ) as Rules;
      assert.equal(
        restored.rules.find((r) => r.name === deleted),
        undefined,
        "no firewall rule is made for a service reached through ssh",
      );

      // Second pass: nothing to do, and nothing done.
      const journalMark = (await readJournal()).length;
      const procsMark = JSON.stringify(await processes());
      const second = await runCli(["supervisor", "run", "--once"], env);
      assert.equal(second.code, 0, second.stdout + second.stderr);
      assert.equal(summary(second.stdout).state, "healthy");
      assert.deepEqual(
        lines(second.stdout).filter((l) => l.remediation),
        [],
        "no remediation ran",
      );
      for (const l of checkLines(second.stdout)) {
        assert.equal(l.state, "ok");
        assert.equal(l.attempts, "1");
      }
      const kinds = (await readJournal()).slice(journalMark).map((e) => e.kind);
      assert.ok(kinds.length > 0, "the second pass did probe Windows");
      assert.deepEqual(
        kinds.filter((k) => k === null || MUTATING.includes(k)),
        [],
        `kinds: ${kinds.join(",")}`,
      );
      assert.equal(
        JSON.stringify(await processes()),
        procsMark,
        "no process started",
      );
    } finally {
      await restoreLab(saved);
    }
  },
);

Deno.test(
  labOnly(
    "supervisor in direct mode creates a deleted Aloha rule and repairs a disabled outbound Playwright rule on the wrong port open to any address, each limited to windows.allow_from, in one pass",
  ),
  async () => {
    const env = {
      ...await targetEnv(),
      WIN_AUTOMATION_ALOHA_VIA: "direct",
      WIN_AUTOMATION_PLAYWRIGHT_VIA: "direct",
      WIN_AUTOMATION_WINDOWS_ALLOW_FROM: "127.0.0.1",
    };
    const ports = await labPorts(labPaths());
    const name = `Playwright-${ports.playwright}`;
    const deleted = `Aloha-${ports.aloha_server}`;
    const right = {
      direction: "Inbound",
      action: "Allow",
      remote_addresses: ["127.0.0.1"],
    };
    // Start from the rules direct mode needs (not from whatever an earlier
    // test left): the Aloha server's deleted, the client's right, and
    // Playwright's wrong in every way.
    await withLabState<Rules, void>("firewall.json", () => ({
      rules: [
        {
          name: `Aloha-${ports.aloha_client}`,
          port: ports.aloha_client,
          enabled: true,
          ...right,
        },
        {
          name,
          port: ports.playwright + 1,
          enabled: false,
          direction: "Outbound",
          action: "Allow",
          remote_addresses: ["Any"],
        },
      ],
    }), async () => {
      const r = await runCli(["supervisor", "run", "--once"], env);
      assert.equal(r.code, 0, r.stdout + r.stderr);
      const fixed = lines(r.stdout).filter((l) =>
        l.remediation === "firewall" && l.state === "changed"
      );
      assert.deepEqual(fixed.map((l) => [l.check, l.msg]), [
        ["aloha_server", "firewall rule created"],
        [
          "playwright",
          "firewall rule repaired: enabled, direction, port, remote_address",
        ],
      ]);
      const rules = JSON.parse(
        await Deno.readTextFile(`${labDir()}/state/firewall.json`),
      ) as Rules;
      assert.deepEqual(rules.rules.find((x) => x.name === name), {
        name,
        port: ports.playwright,
        enabled: true,
        ...right,
      });
      assert.deepEqual(rules.rules.find((x) => x.name === deleted), {
        name: deleted,
        port: ports.aloha_server,
        enabled: true,
        ...right,
      });
      // A second pass finds every rule right and changes nothing.
      const again = await runCli(["supervisor", "run", "--once"], env);
      assert.equal(again.code, 0, again.stdout + again.stderr);
      assert.deepEqual(
        lines(again.stdout).filter((l) =>
          l.remediation && l.state === "changed"
        ),
        [],
      );
    });
  },
);

Deno.test(
  "supervisor failpoint aloha_server: stdout shows circuit_breaker=open within one --once pass, logs failpoint=, exit 1, and nothing is started",
  async () => {
    const env = await targetEnv();
    const mark = (await readJournal()).length;
    const r = await runCli(["supervisor", "run", "--once", "--debug"], {
      ...env,
      WIN_AUTOMATION_SUPERVISOR_FAILPOINT: "aloha_server",
    });
    assert.equal(r.code, 1, r.stdout + r.stderr);
    const open = r.stdout.split("\n").filter((l) =>
      l.includes("circuit_breaker=open")
    );
    assert.ok(open.length > 0, r.stdout);
    assertIncludes(r.stderr, "failpoint=aloha_server");
    const last = summary(r.stdout);
    assert.equal(last.state, "unhealthy");
    assert.equal(last.failed, "aloha_server");
    const others = checkLines(r.stdout).filter((l) =>
      l.check !== "aloha_server"
    );
    assert.ok(others.every((l) => l.state === "ok"), r.stdout);
    if (!REAL_VM) {
      const kinds = (await readJournal()).slice(mark).map((e) => e.kind);
      assert.deepEqual(
        kinds.filter((k) => k === null || MUTATING.includes(k)),
        [],
        "remediation converged: the running server was not started again",
      );
    }
  },
);

Deno.test(
  labOnly(
    "supervisor with the Aloha client's task missing names the fix, keeps going and exits 1 naming the component",
  ),
  async () => {
    const env = await targetEnv();
    await withLabState<{ tasks: { name: string }[] }, void>(
      "tasks.json",
      (s) => ({
        ...s,
        tasks: s.tasks.filter((t) => t.name !== "WinAutomation-AlohaClient"),
      }),
      async () => {
        const r = await runCli(["supervisor", "run", "--once"], {
          ...env,
          WIN_AUTOMATION_ALOHA_CLIENT_URL: "http://127.0.0.1:1",
          WIN_AUTOMATION_TIMEOUT: "2s",
        });
        assert.equal(r.code, 1, r.stdout + r.stderr);
        const starts = lines(r.stdout).filter((l: Fields) =>
          l.check === "aloha_client" && l.remediation === "start"
        );
        assert.ok(starts.length > 0, r.stdout);
        assert.ok(starts.every((l) => l.state === "failed"), r.stdout);
        const why = `${starts[0]!.msg} ${starts[0]!.err}`;
        assertIncludes(
          why,
          "scheduled task WinAutomation-AlohaClient is missing",
        );
        assertIncludes(why, "win-automation aloha install");
        assert.deepEqual(
          checkLines(r.stdout).map((l) => l.check),
          ["ssh", "aloha_server", "aloha_client", "hatchet", "playwright"],
          "later checks still ran",
        );
        assert.equal(summary(r.stdout).state, "unhealthy");
        assert.equal(summary(r.stdout).failed, "aloha_client");
        assertIncludes(r.stderr, "unhealthy after remediation: aloha_client");
        assert.ok(!hasStackTrace(r.stderr));
      },
    );
  },
);

Deno.test(
  "supervisor run without --once loops until SIGTERM and exits 0",
  async () => {
    const env = await targetEnv();
    const child = cliCommand(
      ["supervisor", "run", "--interval", "1s"],
      env,
    ).spawn();
    const reader = child.stdout.pipeThrough(new TextDecoderStream())
      .getReader();
    let out = "";
    let healthyPasses = 0;
    while (healthyPasses < 2) {
      const { value, done } = await reader.read();
      if (done) break;
      out += value;
      healthyPasses = out.split("\n").filter((l) =>
        l.includes('msg="pass healthy"')
      ).length;
    }
    assert.equal(healthyPasses, 2, out);
    child.kill("SIGTERM");
    let rest = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      rest += value;
    }
    const status = await child.status;
    const stderr = await new Response(child.stderr).text();
    assert.equal(status.code, 0, out + rest + stderr);
    assertIncludes(stderr, "signal=SIGTERM");
    assertIncludes(stderr, "msg=stopped");
  },
);

Deno.test(
  labOnly(
    "supervisor's Playwright probe goes through the ssh tunnel: the server's client is sshd, the supervisor holds no socket to its port (the secret reaches no local listener)",
  ),
  async () => {
    const env: Record<string, string> = {
      ...await targetEnv(),
      HOME: Deno.env.get("HOME") ?? "/",
    };
    const root = new URL("..", import.meta.url).pathname;
    const port = Number(env.WIN_AUTOMATION_PLAYWRIGHT_PORT);
    const args = [
      "run",
      ...CLI_PERMISSIONS,
      "--quiet",
      `${root}main.ts`,
      "supervisor",
      "run",
      "--once",
    ];
    const watched = await watchClients(DENO, args, {
      env: (relay) => ({
        ...env,
        WIN_AUTOMATION_PLAYWRIGHT_PORT: String(relay),
      }),
      port,
    });
    assert.equal(watched.code, 0, watched.stdout + watched.stderr);
    assert.ok(watched.clients.length > 0, "the probe connected");
    for (const c of watched.clients) assert.match(c, /^sshd: /);
    assert.equal(watched.programHeldPort, false);
    // Negative control: in direct mode the supervisor dials the port itself
    // (and repairs the Playwright rule: the lab's firewall state is put back).
    const direct = await withLabState(
      "firewall.json",
      (state) => state,
      () =>
        watchClients(DENO, args, {
          env: (relay) => ({
            ...env,
            WIN_AUTOMATION_PLAYWRIGHT_PORT: String(relay),
            WIN_AUTOMATION_PLAYWRIGHT_VIA: "direct",
            WIN_AUTOMATION_WINDOWS_ALLOW_FROM: "127.0.0.1",
          }),
          port,
        }),
    );
    assert.ok(direct.programHeldPort, direct.stdout + direct.stderr);
  },
);
