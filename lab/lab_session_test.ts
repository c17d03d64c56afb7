/**
 * The session model over the lab's real sshd and ssh, with the real
 * PowerShell emulator: sftp, job objects, tasks outside jobs, a dropped
 * connection, and DefaultShell=powershell. Starts only the lab's sshd.
 */
import assert from "node:assert/strict";
import { labUpSshd } from "./_up.ts";
import { type LabPaths, type LabPorts, sshArgs } from "./components/mod.ts";
import { isAlive, signal, waitUntil, waitUntilAsync } from "./linux/mod.ts";
import {
  endTask,
  JOB_ENV,
  listProcesses,
  type ProcessRecord,
  putTask,
  readWindowsKnobs,
  taskPid,
  type WindowsKnobs,
  writeWindowsKnobs,
} from "./windows/mod.ts";
import type { SessionJournalEntry } from "./session/mod.ts";

interface Lab {
  paths: LabPaths;
  ports: LabPorts;
}

function ssh(lab: Lab, line: string): Deno.ChildProcess {
  const args = sshArgs(lab.paths, lab.ports);
  return new Deno.Command("ssh", {
    args: [...args.slice(0, -1), "-T", "--", args.at(-1)!, line],
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
}

async function sshRun(lab: Lab, line: string) {
  const output = await ssh(lab, line).output();
  const text = (b: Uint8Array) => new TextDecoder().decode(b);
  return {
    code: output.code,
    stdout: text(output.stdout),
    stderr: text(output.stderr),
  };
}

async function journal(lab: Lab): Promise<SessionJournalEntry[]> {
  const text = await Deno.readTextFile(`${lab.paths.dir}/sessions.jsonl`)
    .catch(() => "");
  return text.split("\n").filter((l) => l !== "").map((l) => JSON.parse(l));
}

/** The id of the session that ran `line` (each test's lines are unique). */
async function sessionOf(lab: Lab, line: string): Promise<string | null> {
  const start = (await journal(lab)).find((e) =>
    "line" in e && e.line === line
  );
  return start?.session ?? null;
}

async function sessionEvent(lab: Lab, session: string, event: string) {
  return (await journal(lab)).find((e) =>
    e.session === session && "event" in e && e.event === event
  );
}

async function jobRecord(lab: Lab, job: string): Promise<ProcessRecord | null> {
  return (await listProcesses(lab.paths.dir)).find((r) => r.job === job) ??
    null;
}

function environ(pid: number): string[] {
  return new TextDecoder().decode(Deno.readFileSync(`/proc/${pid}/environ`))
    .split("\0");
}

function ppid(pid: number): number {
  const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
  return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
}

function labTest(name: string, fn: (lab: Lab) => Promise<void>): void {
  Deno.test(name, async () => {
    const lab = await labUpSshd();
    const knobs = await readWindowsKnobs(lab.paths.dir);
    try {
      await fn(lab);
    } finally {
      await writeWindowsKnobs(lab.paths.dir, knobs);
    }
  });
}

const uid = () => crypto.randomUUID().slice(0, 8);

/** A command that starts a long-lived emulator with Start-Process. */
function startProcessLine(token: string, after = ""): string {
  return `powershell -NoProfile -Command "Start-Process -FilePath powershell -ArgumentList '-Command','Start-Sleep 600; Write-Output ${token}'${after}"`;
}

labTest(
  "over real ssh, scp to C:/ lands under fs and comes back (sftp through the forced command)",
  async (lab) => {
    const tmp = await Deno.makeTempDir({ prefix: "wa-session-scp-" });
    try {
      const content = `scp ${uid()}\n`;
      await Deno.writeTextFile(`${tmp}/up.txt`, content);
      const args = sshArgs(lab.paths, lab.ports);
      const target = args.at(-1)!;
      const options = args.slice(0, -1).map((a) => a === "-p" ? "-P" : a);
      const up = await new Deno.Command("scp", {
        args: [
          "-q",
          ...options,
          "--",
          `${tmp}/up.txt`,
          `${target}:C:/ProgramData/session-scp.txt`,
        ],
        stdin: "null",
        stderr: "piped",
      }).output();
      assert.equal(up.code, 0, new TextDecoder().decode(up.stderr));
      assert.equal(
        await Deno.readTextFile(
          `${lab.paths.fs}/C:/ProgramData/session-scp.txt`,
        ),
        content,
      );
      const down = await new Deno.Command("scp", {
        args: [
          "-q",
          ...options,
          "--",
          `${target}:C:/ProgramData/session-scp.txt`,
          `${tmp}/down.txt`,
        ],
        stdin: "null",
        stderr: "piped",
      }).output();
      assert.equal(down.code, 0, new TextDecoder().decode(down.stderr));
      assert.equal(await Deno.readTextFile(`${tmp}/down.txt`), content);
    } finally {
      await Deno.remove(tmp, { recursive: true });
      await Deno.remove(`${lab.paths.fs}/C:/ProgramData/session-scp.txt`).catch(
        () => {},
      );
    }
  },
);

labTest(
  "a process started with Start-Process lives while its session runs and dies when the session ends",
  async (lab) => {
    const line = startProcessLine(uid(), "; Start-Sleep 2");
    const child = ssh(lab, line);
    let record: ProcessRecord | null = null;
    const seen = await waitUntilAsync(async () => {
      const session = await sessionOf(lab, line);
      record = session === null ? null : await jobRecord(lab, session);
      return record !== null;
    }, 15_000);
    assert.ok(seen, "the Start-Process record names the session's job");
    const started = record! as ProcessRecord;
    assert.ok(isAlive(started.pid), "alive while the session runs");
    assert.ok(environ(started.pid).includes(`${JOB_ENV}=${started.job}`));
    const output = await child.output();
    assert.equal(output.code, 0, new TextDecoder().decode(output.stderr));
    assert.equal(isAlive(started.pid), false, "killed when the session ended");
    const end = await sessionEvent(lab, started.job!, "end");
    assert.ok(end && "killed" in end && end.killed.includes(started.pid));
  },
);

labTest(
  "a task started with schtasks /Run in a session outlives it; an Interactive task starts only for the console user",
  async (lab) => {
    const name = `lab-session-${uid()}`;
    const base = {
      execute: "powershell.exe",
      arguments: '-NoProfile -Command "Start-Sleep 600"',
      working_dir: "",
      trigger: "AtStartup" as const,
    };
    const interactive = `${name}-interactive`;
    try {
      await putTask(lab.paths.dir, {
        ...base,
        name,
        user: "SYSTEM",
        logon_type: "ServiceAccount",
      });
      const run = await sshRun(
        lab,
        `powershell -NoProfile -Command "schtasks /Run /TN ${name}"`,
      );
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stdout, /^SUCCESS: Attempted to run the scheduled task/);
      const pid = await taskPid(lab.paths.dir, name);
      assert.ok(
        pid !== null && isAlive(pid),
        "the task runs after the session ended",
      );
      assert.ok(
        !environ(pid).some((e) => e.startsWith(`${JOB_ENV}=`)),
        "outside any job",
      );

      await putTask(lab.paths.dir, {
        ...base,
        name: interactive,
        user: "nobody-logged-on",
        logon_type: "Interactive",
      });
      const line =
        `powershell -NoProfile -Command "schtasks /Run /TN ${interactive}"`;
      const quiet = await sshRun(lab, line);
      assert.equal(quiet.code, 0, quiet.stderr);
      assert.match(quiet.stdout, /^SUCCESS: Attempted to run/);
      const records = await listProcesses(lab.paths.dir);
      assert.ok(
        !records.some((r) => r.task === interactive),
        "started nothing",
      );

      const desktop = JSON.parse(
        await Deno.readTextFile(`${lab.paths.state}/desktop.json`),
      );
      await putTask(lab.paths.dir, {
        ...base,
        name: interactive,
        user: String(desktop.user).toUpperCase(),
        logon_type: "Interactive",
      });
      assert.equal((await sshRun(lab, line)).code, 0);
      assert.ok(
        await taskPid(lab.paths.dir, interactive) !== null,
        "runs for the console user",
      );
    } finally {
      await endTask(lab.paths.dir, name);
      await endTask(lab.paths.dir, interactive);
    }
  },
);

labTest(
  "a dropped connection leaves the running command and its job alive until the command ends; then the job dies",
  async (lab) => {
    const line = startProcessLine(
      uid(),
      "; Start-Sleep 3; Write-Output after-the-drop",
    );
    const child = ssh(lab, line);
    let record: ProcessRecord | null = null;
    let session: string | null = null;
    assert.ok(
      await waitUntilAsync(async () => {
        session = await sessionOf(lab, line);
        record = session === null ? null : await jobRecord(lab, session);
        return record !== null;
      }, 15_000),
    );
    const started = record! as ProcessRecord;
    const start = (await journal(lab)).find((e) =>
      e.session === session && "pid" in e
    );
    assert.ok(start && "pid" in start);
    const sessionPid = start.pid;
    const sshd = ppid(sessionPid);
    signal(sshd, "SIGKILL");
    await child.output();
    assert.ok(
      await waitUntilAsync(
        async () => !!(await sessionEvent(lab, session!, "disconnected")),
        5_000,
      ),
      "the session saw its sshd go",
    );
    assert.ok(isAlive(sessionPid), "the session's shell still runs");
    assert.ok(isAlive(started.pid), "the job is not closed by the drop");
    assert.ok(
      await waitUntilAsync(
        async () => !!(await sessionEvent(lab, session!, "end")),
        20_000,
      ),
      "the command ran to its end",
    );
    const end = await sessionEvent(lab, session!, "end");
    assert.ok(end && "code" in end && end.code === 0, JSON.stringify(end));
    assert.ok(
      await waitUntil(() => !isAlive(started.pid), 2_000),
      "the job died with the shell",
    );
  },
);

labTest(
  "DefaultShell=powershell over ssh: the profile's line first, output in CRLF, exit code 0 or 1",
  async (lab) => {
    await writeWindowsKnobs(
      lab.paths.dir,
      {
        ...(await readWindowsKnobs(lab.paths.dir)),
        default_shell: "powershell",
        profile_output: "profile loaded",
      } satisfies WindowsKnobs,
    );
    const three = await sshRun(
      lab,
      `powershell -NoProfile -Command "Write-Output hi-${uid()}; exit 3"`,
    );
    assert.equal(three.code, 1);
    assert.match(three.stdout, /^profile loaded\r\nhi-[0-9a-f]{8}\r\n$/);
    const zero = await sshRun(
      lab,
      `powershell -NoProfile -Command "Write-Output ok-${uid()}"`,
    );
    assert.equal(zero.code, 0, zero.stderr);
    const boom = await sshRun(
      lab,
      `powershell -NoProfile -Command "Write-Error boom-${uid()}"`,
    );
    assert.equal(boom.code, 1);
    assert.match(
      boom.stderr,
      /^powershell : (Write-Error : )?boom-[0-9a-f]{8}\r\nAt line:1 char:1\r\n/,
    );
    const other = await sshRun(lab, "hostname");
    assert.equal(other.code, 1);
    assert.match(other.stderr, /^lab: unsupported PowerShell: /);
  },
);
