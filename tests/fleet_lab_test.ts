import { assert } from "@test/assert";
import {
  hostNames,
  labUp,
  readJournal,
  startHostSshd,
  stopHostSshd,
} from "../lab/mod.ts";
import { hasStackTrace, runCli } from "./_cli.ts";
import { labOnly } from "./_target.ts";

const HOSTS = hostNames(3);

interface FleetConfig {
  targets: Record<string, { windows: { ssh_host_key: string } }>;
}

const exec = (env: Record<string, string>, target: string, line: string) =>
  runCli(["windows", "exec", "--raw", "--target", target, "--", line], env);

Deno.test(
  labOnly(
    "lab --hosts 3: windows exec --target <host> -- hostname prints that host's name, and only that host journals it",
  ),
  async () => {
    const fleet = await labUp({ hosts: 3 });
    const tmp = await Deno.makeTempDir({ prefix: "wa-fleet-lab-test-" });
    try {
      const tokens: Record<string, string> = {};
      for (const host of HOSTS) {
        tokens[host] = crypto.randomUUID();
        const r = await exec(
          fleet,
          host,
          `hostname; Write-Output ${tokens[host]}`,
        );
        assert.equal(r.code, 0, r.stderr);
        assert.equal(r.stdout, `${host.toUpperCase()}\n${tokens[host]}\n`);
      }
      // No --target: the config's default_target, win-01.
      const plain = await runCli(
        ["windows", "exec", "--raw", "--", "hostname"],
        fleet,
      );
      assert.equal(plain.stdout, "WIN-01\n", plain.stderr);
      for (const host of HOSTS) {
        const journal = JSON.stringify(await readJournal({ host }));
        for (const other of HOSTS) {
          // Its own token proves the journal read is the host's real one.
          assert.equal(
            journal.includes(tokens[other]!),
            other === host,
            `${other}'s command in ${host}'s journal`,
          );
        }
      }

      // Each target pins its host's key: a config giving win-02 win-03's key
      // is refused at win-02 (negative control: the keys are per host).
      const config = JSON.parse(
        await Deno.readTextFile(fleet.WIN_AUTOMATION_CONFIG!),
      ) as FleetConfig;
      config.targets["win-02"]!.windows.ssh_host_key =
        config.targets["win-03"]!.windows.ssh_host_key;
      await Deno.writeTextFile(`${tmp}/swapped.json`, JSON.stringify(config));
      const swapped = await exec(
        {
          ...fleet,
          WIN_AUTOMATION_CONFIG: `${tmp}/swapped.json`,
          WIN_AUTOMATION_STATE_DIR: tmp,
        },
        "win-02",
        "hostname",
      );
      assert.equal(swapped.code, 3, swapped.stderr);
      assert.equal(swapped.stdout, "");
      assert.match(swapped.stderr, /host key/);
    } finally {
      await Deno.remove(tmp, { recursive: true });
      await labUp();
    }
  },
);

Deno.test(
  labOnly(
    "lab --hosts 3: with win-02's sshd stopped, windows exec --target win-02 exits 3 while win-03 still answers",
  ),
  async () => {
    const fleet = await labUp({ hosts: 3 });
    try {
      await stopHostSshd("win-02");
      try {
        const down = await exec(fleet, "win-02", "hostname");
        assert.equal(down.code, 3, down.stderr);
        assert.equal(down.stdout, "");
        assert.ok(!hasStackTrace(down.stderr), down.stderr);
        const up = await exec(fleet, "win-03", "hostname");
        assert.equal(up.stdout, "WIN-03\n", up.stderr);
      } finally {
        await startHostSshd("win-02");
      }
      const back = await exec(fleet, "win-02", "hostname");
      assert.equal(back.stdout, "WIN-02\n", back.stderr);
    } finally {
      await labUp();
    }
  },
);
