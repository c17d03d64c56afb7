import assert from "node:assert/strict";
import {
  hostEnv,
  hostNames,
  labStatus,
  labUp,
  listeningPorts,
  readJournal,
  readSessions,
  sshOptionsFromEnv,
  startHostSshd,
  stopHostSshd,
} from "./mod.ts";
import { runText } from "./linux/mod.ts";

const HOSTS = hostNames(3);

Deno.test("lab --hosts 3: each host answers ssh as itself, with its own journal, sessions and file system; one host's sshd stops alone; a plain up is one host again", async () => {
  const env = await labUp({ hosts: 3 });
  const tmp = await Deno.makeTempDir({ prefix: "wa-lab-hosts-test-" });
  try {
    assert.ok(env.WIN_AUTOMATION_CONFIG, "the fleet config is exported");
    const statuses = await labStatus();
    assert.deepEqual(
      [...new Set(statuses.map((s) => s.host ?? "shared"))].sort(),
      ["shared", ...HOSTS],
    );
    assert.ok(statuses.every((s) => s.up), JSON.stringify(statuses));

    const envs = Object.fromEntries(
      await Promise.all(HOSTS.map(async (h) => [h, await hostEnv(h)])),
    );
    const ports = HOSTS.map((h) => envs[h]!.WIN_AUTOMATION_WINDOWS_SSH_PORT);
    assert.equal(new Set(ports).size, 3, "each host has its own sshd port");
    const ssh = (host: string, line: string) =>
      runText("ssh", [
        ...sshOptionsFromEnv(envs[host]!, `${tmp}/known_hosts`),
        "127.0.0.1",
        line,
      ]);

    const tokens: Record<string, string> = {};
    for (const host of HOSTS) {
      tokens[host] = crypto.randomUUID();
      const r = await ssh(
        host,
        `powershell -Command "hostname; Write-Output ${tokens[host]}"`,
      );
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, `${host.toUpperCase()}\r\n${tokens[host]}\r\n`);
    }
    // Each host's own host key: one known_hosts line per port, all different.
    const known = (await Deno.readTextFile(`${tmp}/known_hosts`)).trim()
      .split("\n").map((line) => line.split(" ").slice(1).join(" "));
    assert.equal(new Set(known).size, 3, known.join("\n"));

    for (const host of HOSTS) {
      const journal = JSON.stringify(await readJournal({ host }));
      const sessions = JSON.stringify(await readSessions({ host }));
      for (const other of HOSTS) {
        // The host's own token is there (so the read is of a real journal);
        // the others' are not.
        assert.equal(
          journal.includes(tokens[other]!),
          other === host,
          `${other}'s command in ${host}'s journal`,
        );
        assert.equal(
          sessions.includes(tokens[other]!),
          other === host,
          `${other}'s command in ${host}'s sessions`,
        );
      }
    }

    const file = `C:\\ProgramData\\probe-${tokens["win-01"]}.txt`;
    const wrote = await ssh(
      "win-01",
      `powershell -Command "Set-Content -Path '${file}' -Value x"`,
    );
    assert.equal(wrote.code, 0, wrote.stderr);
    for (const host of HOSTS) {
      const seen = await ssh(
        host,
        `powershell -Command "Test-Path -Path '${file}'"`,
      );
      assert.equal(seen.stdout, host === "win-01" ? "True\r\n" : "False\r\n");
    }

    await stopHostSshd("win-02");
    try {
      assert.ok(!listeningPorts().has(Number(ports[1])));
      const down = await ssh("win-02", 'powershell -Command "hostname"');
      assert.equal(down.code, 255, "ssh cannot connect to win-02");
      assert.match(down.stderr, /Connection refused/);
      const up = await ssh("win-03", 'powershell -Command "hostname"');
      assert.equal(up.stdout, "WIN-03\r\n", up.stderr);
    } finally {
      await startHostSshd("win-02");
    }
    const back = await ssh("win-02", 'powershell -Command "hostname"');
    assert.equal(back.stdout, "WIN-02\r\n", back.stderr);

    const plain = await labUp();
    assert.equal(plain.WIN_AUTOMATION_CONFIG, undefined);
    assert.equal(plain.WIN_AUTOMATION_WINDOWS_SSH_PORT, ports[0]);
    const one = await labStatus();
    assert.ok(one.every((s) => s.host === undefined && s.up));
    assert.equal(one.length, 6);
    for (const port of ports.slice(1)) {
      assert.ok(!listeningPorts().has(Number(port)), `port ${port} closed`);
    }
    const name = await ssh("win-01", 'powershell -Command "hostname"');
    assert.equal(name.stdout, "WIN-LAB\r\n", name.stderr);
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});
