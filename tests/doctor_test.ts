import { assert, assertIncludes } from "@test/assert";
import { parseLine } from "../lib/log/mod.ts";
import { runCli } from "./_cli.ts";
import { labOnly, targetEnv, withLabState } from "./_target.ts";

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
    "firewall",
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
});

Deno.test(
  labOnly(
    "doctor reports a missing firewall rule with the exact fix and exits 1",
  ),
  async () => {
    const env = await targetEnv();
    type Rules = { rules: Array<{ name: string; port: number }> };
    let removed = { name: "", port: 0 };
    await withLabState<Rules, void>("firewall.json", (state) => {
      removed = state.rules[0]!;
      return { rules: state.rules.slice(1) };
    }, async () => {
      const r = await runCli(["doctor"], env);
      assert.equal(r.code, 1);
      const bad = checks(r.stdout).filter((l) => l.state !== "ok");
      assert.equal(bad.length, 1);
      assert.equal(bad[0]!.rule, removed.name);
      assert.equal(
        bad[0]!.fix,
        `New-NetFirewallRule -DisplayName '${removed.name}' -Direction Inbound -Action Allow -Protocol TCP -LocalPort ${removed.port} -Profile Any`,
      );
    });
  },
);

Deno.test(
  labOnly(
    "doctor reports a disabled firewall rule and one on the wrong port, each with its exact fix",
  ),
  async () => {
    const env = await targetEnv();
    type Rules = {
      rules: Array<{ name: string; port: number; enabled: boolean }>;
    };
    let names: string[] = [];
    await withLabState<Rules, void>("firewall.json", (state) => {
      names = [state.rules[0]!.name, state.rules[1]!.name];
      return {
        rules: state.rules.map((r, i) =>
          i === 0
            ? { ...r, enabled: false }
            : i === 1
            ? { ...r, port: r.port + 1 }
            : r
        ),
      };
    }, async (state) => {
      const r = await runCli(["doctor"], env);
      assert.equal(r.code, 1);
      const bad = checks(r.stdout).filter((l) => l.state !== "ok");
      assert.deepEqual(bad.map((l) => l.rule), names);
      assert.equal(bad[0]!.msg, "firewall rule disabled");
      assert.equal(
        bad[0]!.fix,
        `Enable-NetFirewallRule -DisplayName '${names[0]}'`,
      );
      const port = Number(names[1]!.split("-")[1]);
      assert.equal(
        bad[1]!.msg,
        `firewall rule opens port ${state.rules[1]!.port}, not ${port}`,
      );
      assert.equal(
        bad[1]!.fix,
        `Set-NetFirewallRule -DisplayName '${
          names[1]
        }' -Protocol TCP -LocalPort ${port}`,
      );
      for (const l of bad) assert.equal(l.remediation, "supervisor run --once");
    });
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
    assert.equal(lines.find((l) => l.check === "aloha_server")?.state, "error");
    assert.equal(lines.find((l) => l.check === "aloha_client")?.state, "ok");
    assertIncludes(r.stderr, "retrying after connection failure");
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
