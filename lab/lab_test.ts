import assert from "node:assert/strict";
import {
  labDown,
  labPaths,
  labStatus,
  labUp,
  readJournal,
  sshOptionsFromEnv,
} from "./mod.ts";
import { hatchetPid } from "./hatchet/mod.ts";
import { pagesPid } from "./components/mod.ts";
import { descendants, isAlive, runText } from "./linux/mod.ts";
import { listProcesses } from "./windows/mod.ts";

const ROOT = new URL("..", import.meta.url).pathname;

function run(program: string, args: string[]) {
  return runText(program, args);
}

async function labPids(): Promise<number[]> {
  const paths = labPaths();
  const sshd = Number((await Deno.readTextFile(paths.sshdPid)).trim());
  const records = await listProcesses(paths.dir);
  const hatchet = hatchetPid(paths);
  assert.ok(hatchet !== null, "hatchet-lite runs");
  const pages = pagesPid(paths);
  assert.ok(pages !== null, "the test pages are served");
  const playwright = records.find((r) => r.task === "WinAutomation-Playwright");
  assert.ok(playwright, "the Playwright task runs");
  return [
    sshd,
    ...descendants(sshd),
    ...records.flatMap((r) => [r.pid, ...descendants(r.pid)]),
    hatchet,
    pages,
  ];
}

Deno.test("lab: real ssh reaches the emulated powershell, scp lands in fs, down and up", async () => {
  const env = await labUp();
  const dir = env.WIN_AUTOMATION_LAB_DIR!;
  const host = env.WIN_AUTOMATION_WINDOWS_SSH_HOST!;
  const tmp = await Deno.makeTempDir({ prefix: "wa-lab-test-" });
  try {
    const options = sshOptionsFromEnv(env, `${tmp}/known_hosts`);

    // sshd hands every command line to the lab's cmd.exe model: a Linux
    // probe is no program on "Windows" and fails loudly.
    const probe = await run("ssh", [...options, host, "command -v powershell"]);
    assert.equal(probe.code, 1);
    assert.match(probe.stderr, /^lab: unsupported cmd: program "command"/);

    const hi = await run("ssh", [
      ...options,
      host,
      'powershell -Command "Write-Output hi; exit 3"',
    ]);
    assert.equal(hi.stdout, "hi\r\n", hi.stderr);
    assert.equal(hi.code, 3);
    const journal = await readJournal();
    assert.ok(
      journal.some((e) =>
        JSON.stringify(e.argv) ===
          JSON.stringify(["-Command", "Write-Output hi; exit 3"])
      ),
    );

    const local = `${tmp}/x.txt`;
    const content = `lab scp ${crypto.randomUUID()}\n`;
    await Deno.writeTextFile(local, content);
    const scp = await run("scp", [
      "-q",
      ...options,
      "--",
      local,
      `${host}:C:/ProgramData/x.txt`,
    ]);
    assert.equal(scp.code, 0, scp.stderr);
    assert.equal(
      await Deno.readTextFile(`${dir}/fs/C:/ProgramData/x.txt`),
      content,
    );

    const status = await run(`${ROOT}scripts/lab`, ["status"]);
    assert.equal(status.code, 0, status.stdout + status.stderr);
    assert.match(status.stdout, /^component=sshd state=up pid=\d+ port=\d+$/m);
    assert.match(
      status.stdout,
      new RegExp(
        `^component=hatchet state=up pid=\\d+ port=${
          new URL(env.WIN_AUTOMATION_HATCHET_HTTP_URL!).port
        }$`,
        "m",
      ),
    );

    assert.match(
      status.stdout,
      new RegExp(
        `^component=playwright state=up pid=\\d+ port=${env.WIN_AUTOMATION_PLAYWRIGHT_PORT}$`,
        "m",
      ),
    );
    const pids = await labPids();
    assert.ok(pids.length >= 3 && pids.every((pid) => isAlive(pid)));
    await labDown();
    assert.deepEqual(pids.filter((pid) => isAlive(pid)), []);
    assert.ok((await labStatus()).every((s) => !s.up && s.pid === null));
    await labDown();

    const again = await labUp();
    assert.deepEqual(again, env);
    assert.ok((await labStatus()).every((s) => s.up));
    const back = await run("ssh", [
      ...options,
      host,
      "powershell -Command hostname",
    ]);
    assert.equal(back.stdout, "WIN-LAB\r\n", back.stderr);
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});
