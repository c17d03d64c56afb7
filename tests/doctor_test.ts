import { assert, assertIncludes } from "@test/assert";
import { parseLine } from "../lib/log/mod.ts";
import { runCli } from "./_cli.ts";
import { labOnly, targetEnv, withLabState } from "./_target.ts";
import { readJournal } from "../lab/mod.ts";

/** Direct mode, as the roadmap had it: firewall rules limited to the lab's loopback. */
const DIRECT = {
  WIN_AUTOMATION_ALOHA_VIA: "direct",
  WIN_AUTOMATION_PLAYWRIGHT_VIA: "direct",
  WIN_AUTOMATION_WINDOWS_ALLOW_FROM: "127.0.0.1",
};

/** Rules as `firewall_add` makes them in direct mode: from 127.0.0.1 only. */
function limited<R extends object>(rules: R[]): R[] {
  return rules.map((r) => ({
    ...r,
    direction: "Inbound",
    action: "Allow",
    remote_addresses: ["127.0.0.1"],
  }));
}

/**
 * The rules direct mode needs, as the lab's config names them, each enabled:
 * the tests below start from these rather than from whatever an earlier test
 * left in the lab's firewall state.
 */
function baseline(env: Record<string, string>) {
  const port = (url: string) => Number(new URL(url).port);
  const server = port(env.WIN_AUTOMATION_ALOHA_SERVER_URL!);
  const client = port(env.WIN_AUTOMATION_ALOHA_CLIENT_URL!);
  const playwright = Number(env.WIN_AUTOMATION_PLAYWRIGHT_PORT);
  return [
    { name: `Aloha-${server}`, port: server, enabled: true },
    { name: `Aloha-${client}`, port: client, enabled: true },
    { name: `Playwright-${playwright}`, port: playwright, enabled: true },
  ];
}

function checks(stdout: string) {
  return stdout.trim().split("\n").map(parseLine);
}

Deno.test("doctor prints one key=value line per check with ts level component op msg, state and duration", async () => {
  const r = await runCli(["doctor"], await targetEnv());
  assert.equal(r.code, 0, r.stdout + r.stderr);
  const lines = checks(r.stdout);
  assert.deepEqual(lines.map((l) => l.check), [
    "ssh",
    "aloha_server",
    "aloha_client",
    "firewall",
    "desktop",
    "windows_acl",
    "windows_acl",
    "hatchet",
    "playwright",
  ]);
  for (const l of lines) {
    for (
      const key of [
        "ts",
        "level",
        "component",
        "op",
        "msg",
        "state",
        "duration_ms",
      ]
    ) {
      assert.ok(key in l, `${key} in ${JSON.stringify(l)}`);
    }
    assert.equal(l.op, "doctor");
    assert.equal(l.state, "ok");
  }
  assert.match(lines[0]!.ps_version!, /^\d+\.\d+/);
  // Through ssh (the default) no firewall rule is needed, and it says so once.
  const firewall = lines.find((l) => l.check === "firewall")!;
  assert.equal(firewall.msg, "not needed: services reached through ssh");
  for (const check of ["aloha_server", "aloha_client", "playwright"]) {
    assert.equal(lines.find((l) => l.check === check)!.via, "ssh");
  }
});

Deno.test(
  labOnly(
    "doctor through ssh neither reads nor needs firewall rules: with every rule deleted it is still all ok and no firewall kind runs",
  ),
  async () => {
    const env = await targetEnv();
    await withLabState("firewall.json", () => ({ rules: [] }), async () => {
      const mark = (await readJournal()).length;
      const r = await runCli(["doctor"], env);
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.ok(checks(r.stdout).every((l) => l.state === "ok"));
      const kinds = (await readJournal()).slice(mark).map((e) => e.kind);
      assert.ok(kinds.includes("version"), "doctor did reach Windows");
      assert.deepEqual(kinds.filter((k) => k?.startsWith("firewall")), []);
      // Negative control: direct mode does look, and finds the rules gone.
      const direct = await runCli(["doctor"], { ...env, ...DIRECT });
      assert.equal(direct.code, 1);
      assert.equal(
        checks(direct.stdout).filter((l) =>
          l.check === "firewall" && l.msg === "firewall rule missing"
        ).length,
        3,
      );
    });
  },
);

Deno.test(
  labOnly(
    "doctor in direct mode reports a missing firewall rule with the exact fix (limited to windows.allow_from) and exits 1",
  ),
  async () => {
    const env = await targetEnv();
    type Rules = { rules: Array<{ name: string; port: number }> };
    let removed = { name: "", port: 0 };
    const base = baseline(env);
    await withLabState<Rules, void>("firewall.json", () => {
      removed = base[0]!;
      return { rules: limited(base.slice(1)) };
    }, async () => {
      const r = await runCli(["doctor"], { ...env, ...DIRECT });
      assert.equal(r.code, 1);
      const bad = checks(r.stdout).filter((l) => l.state === "error");
      assert.equal(bad.length, 1);
      assert.equal(bad[0]!.rule, removed.name);
      assert.equal(
        bad[0]!.fix,
        `New-NetFirewallRule -DisplayName '${removed.name}' -Direction Inbound -Action Allow -Protocol TCP -LocalPort ${removed.port} -RemoteAddress '127.0.0.1' -Profile Any`,
      );
      // The rules that are right still warn: direct mode exposes the port.
      const warned = checks(r.stdout).filter((l) =>
        l.check === "firewall" && l.state === "warn"
      );
      assert.equal(warned.length, 2);
      for (const l of warned) {
        assertIncludes(l.msg!, "exposed on the network");
        assert.equal(l.allow_from, "127.0.0.1");
      }
    });
  },
);

Deno.test(
  labOnly(
    "doctor in direct mode reports a disabled rule, one on the wrong port, an outbound one and one open to any address, each with its exact fix",
  ),
  async () => {
    const env = await targetEnv();
    type Rules = {
      rules: Array<{ name: string; port: number; enabled: boolean }>;
    };
    let names: string[] = [];
    const base = baseline(env);
    await withLabState<Rules, void>("firewall.json", () => {
      names = base.map((r) => r.name);
      return {
        rules: limited(base).map((r, i) =>
          i === 0
            ? { ...r, enabled: false }
            : i === 1
            ? { ...r, port: r.port + 1 }
            : { ...r, direction: "Outbound", remote_addresses: ["Any"] }
        ),
      };
    }, async (state) => {
      const r = await runCli(["doctor"], { ...env, ...DIRECT });
      assert.equal(r.code, 1);
      const bad = checks(r.stdout).filter((l) => l.state === "error");
      assert.deepEqual(bad.map((l) => l.rule).sort(), [...names].sort());
      const of = (name: string) => bad.find((l) => l.rule === name)!;
      assert.equal(of(names[0]!).msg, "firewall rule disabled");
      assert.equal(
        of(names[0]!).fix,
        `Enable-NetFirewallRule -DisplayName '${names[0]}'`,
      );
      const port = Number(names[1]!.split("-")[1]);
      assert.equal(
        of(names[1]!).msg,
        `firewall rule opens port ${state.rules[1]!.port}, not ${port}`,
      );
      assert.equal(
        of(names[1]!).fix,
        `Set-NetFirewallRule -DisplayName '${
          names[1]
        }' -Protocol TCP -LocalPort ${port}`,
      );
      assert.equal(
        of(names[2]!).msg,
        "firewall rule is Outbound Allow, not Inbound Allow",
      );
      assert.equal(
        of(names[2]!).fix,
        `Set-NetFirewallRule -DisplayName '${
          names[2]
        }' -Direction Inbound -Action Allow`,
      );
      for (const l of bad) assert.equal(l.remediation, "supervisor run --once");
    });
    // Open to any address (the rule an older version made): an error too.
    await withLabState<Rules, void>(
      "firewall.json",
      () => ({
        rules: limited(baseline(env)).map((r) => ({
          ...r,
          remote_addresses: ["Any"],
        })),
      }),
      async () => {
        const r = await runCli(["doctor"], { ...env, ...DIRECT });
        const any = checks(r.stdout).filter((l) => l.state === "error");
        assert.equal(any.length, 3, "every rule allows any address");
        for (const l of any) {
          assert.equal(
            l.msg,
            "firewall rule allows any remote address, not only 127.0.0.1",
          );
          assert.equal(
            l.fix,
            `Set-NetFirewallRule -DisplayName '${l.rule}' -RemoteAddress '127.0.0.1'`,
          );
        }
      },
    );
  },
);

Deno.test(
  labOnly("doctor exits 3 when SSH and Aloha are unreachable, and says which"),
  async () => {
    const env = {
      ...(await targetEnv()),
      WIN_AUTOMATION_WINDOWS_SSH_PORT: "1",
      WIN_AUTOMATION_ALOHA_SERVER_URL: "http://127.0.0.1:1",
      WIN_AUTOMATION_TIMEOUT: "2s",
    };
    const r = await runCli(["doctor"], env);
    assert.equal(r.code, 3);
    const lines = checks(r.stdout);
    assert.equal(lines.find((l) => l.check === "ssh")?.state, "error");
    assertIncludes(r.stderr, "retrying after connection failure");
    // Through ssh, Aloha and Playwright are not tried without ssh: said so.
    for (const check of ["aloha_server", "aloha_client", "playwright"]) {
      const l = lines.find((l) => l.check === check)!;
      assert.equal(l.state, "error");
      assert.equal(l.msg, "not checked: ssh failed (reached through ssh)");
    }
    // Negative control: reached directly, the client answers without ssh
    // and the server's own failure is what is reported.
    const direct = await runCli(["doctor"], {
      ...env,
      WIN_AUTOMATION_ALOHA_VIA: "direct",
      WIN_AUTOMATION_WINDOWS_ALLOW_FROM: "127.0.0.1",
    });
    assert.equal(direct.code, 3);
    const d = checks(direct.stdout);
    assert.equal(
      d.find((l) => l.check === "aloha_server")?.msg,
      "aloha_server unreachable",
    );
    assert.equal(d.find((l) => l.check === "aloha_client")?.state, "ok");
  },
);

Deno.test(labOnly("doctor warns about a locked desktop"), async () => {
  const env = await targetEnv();
  await withLabState("desktop.json", () => ({ locked: true }), async () => {
    const r = await runCli(["doctor"], env);
    assert.equal(r.code, 0);
    const desktop = checks(r.stdout).find((l) => l.check === "desktop")!;
    assert.equal(desktop.state, "warn");
    assert.ok(desktop.fix);
  });
});

Deno.test(
  labOnly(
    "doctor reports a tool root that others may write (check=windows_acl) with the offenders and the exact fix, and exits 1",
  ),
  async () => {
    const env = await targetEnv();
    const root = "C:\\ProgramData\\win-automation";
    const ok = checks((await runCli(["doctor"], env)).stdout).filter((l) =>
      l.check === "windows_acl"
    );
    assert.deepEqual(
      ok.map((l) => [l.path, l.state]),
      [[root, "ok"], [`${root}\\playwright`, "ok"]],
      "negative control: the lab's install left both locked",
    );
    type Acl = { paths: Record<string, unknown> };
    // What a root made by npm or an older version has: no ACL of its own,
    // so ProgramData's rules (Users may create files and folders).
    await withLabState<Acl, void>("acl.json", (state) => {
      const paths = { ...state.paths };
      for (const k of Object.keys(paths)) {
        if (k.toLowerCase() === root.toLowerCase()) delete paths[k];
      }
      return { paths };
    }, async () => {
      const r = await runCli(["doctor"], env);
      assert.equal(r.code, 1, r.stdout + r.stderr);
      const bad = checks(r.stdout).filter((l) => l.state !== "ok");
      assert.deepEqual(bad.map((l) => [l.check, l.path]), [
        ["windows_acl", root],
        ["windows_acl", `${root}\\playwright`],
      ]);
      const line = bad[0]!;
      assertIncludes(line.offenders!, "inheritance");
      assertIncludes(line.offenders!, "BUILTIN\\Users(");
      assertIncludes(line.offenders!, "owner:");
      assertIncludes(line.fix!, "SetAccessRuleProtection($true, $false)");
      assertIncludes(
        line.fix!,
        `[System.IO.Directory]::SetAccessControl('${root}', $a)`,
      );
      assert.ok(!r.stdout.includes("\n\n"), "one line per check");
    });
  },
);
