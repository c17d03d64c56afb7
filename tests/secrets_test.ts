import { assert, assertExcludes } from "@test/assert";
import { runCli } from "./_cli.ts";
import { labOnly, targetEnv } from "./_target.ts";
import { readJournal } from "./lab/lab_env.ts";

Deno.test(
  labOnly(
    "secrets set in the env never appear in logs, config show, or any argv the lab journaled",
  ),
  async () => {
    const token = `tok-${crypto.randomUUID()}`;
    const wsPath = `ws-${crypto.randomUUID()}`;
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
