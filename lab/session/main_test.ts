/**
 * The session program run directly (as sshd's ForceCommand would), with a
 * stand-in inner `powershell` that prints exactly the bytes a test needs.
 * lab/lab_session_test.ts covers the same over the lab's real sshd.
 */
import assert from "node:assert/strict";
import { clixmlErrorLines } from "../powershell/mod.ts";
import { isAlive } from "../linux/mod.ts";
import { type WindowsKnobs, writeWindowsKnobs } from "../windows/mod.ts";

const SESSION = new URL("./main.ts", import.meta.url).pathname;

interface Session {
  code: number;
  stdout: Uint8Array;
  stderr: Uint8Array;
}

async function session(
  labDir: string,
  line: string,
  knobs: Partial<WindowsKnobs> = {},
): Promise<Session> {
  await writeWindowsKnobs(labDir, knobs);
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-all", "--no-prompt", "--no-config", SESSION],
    env: { WIN_LAB_DIR: labDir, SSH_ORIGINAL_COMMAND: line, NO_COLOR: "1" },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  return { code: output.code, stdout: output.stdout, stderr: output.stderr };
}

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
const latin1 = (bytes: Uint8Array) => String.fromCharCode(...bytes);

/** A lab directory whose `winbin/powershell` is the given bash script. */
function sessionTest(
  name: string,
  inner: string,
  fn: (labDir: string) => Promise<void>,
): void {
  Deno.test(name, async () => {
    const labDir = await Deno.makeTempDir({ prefix: "wa-session-" });
    await Deno.mkdir(`${labDir}/state`);
    await Deno.mkdir(`${labDir}/winbin`);
    await Deno.writeTextFile(
      `${labDir}/winbin/powershell`,
      `#!/bin/bash\ntouch "$WIN_LAB_DIR/ran"\n${inner}\n`,
      { mode: 0o755 },
    );
    try {
      await fn(labDir);
    } finally {
      await Deno.remove(labDir, { recursive: true });
    }
  });
}

const ran = (labDir: string) =>
  Deno.stat(`${labDir}/ran`).then(() => true, () => false);

sessionTest(
  "cmd: the line's C-runtime argv reaches powershell, its bytes and exit code come back unchanged",
  `for a in "$@"; do printf '<%s>' "$a"; done; printf '\\n\\x82\\r\\xff'; printf 'e\\n' >&2; exit 7`,
  async (labDir) => {
    const run = await session(
      labDir,
      'powershell -NoProfile -Command "Write-Output hi; exit 3" C:\\a\\b',
    );
    assert.equal(run.code, 7);
    assert.equal(
      latin1(run.stdout),
      "<-NoProfile><-Command><Write-Output hi; exit 3><C:\\a\\b>\n\x82\r\xff",
    );
    assert.equal(text(run.stderr), "e\n");
  },
);

sessionTest(
  "cmd: a line that is not a powershell command fails loudly and runs nothing",
  "exit 0",
  async (labDir) => {
    for (const line of ["command -v powershell", "powershell -c x & whoami"]) {
      const run = await session(labDir, line);
      assert.equal(run.code, 1);
      assert.match(text(run.stderr), /^lab: unsupported cmd: .+\n$/);
    }
    assert.equal(await ran(labDir), false);
    const run = await session(labDir, "PowerShell.EXE -c x");
    assert.equal(run.code, 0, text(run.stderr));
    assert.equal(await ran(labDir), true);
  },
);

sessionTest(
  "powershell: the profile's output, then the inner's lines re-written by the outer host in OEM with CRLF; exit 0",
  `printf 'a\\nb\\rc\\r\\n\\x82\\xff\\x9d'`,
  async (labDir) => {
    const run = await session(labDir, "powershell -NoProfile -c x", {
      default_shell: "powershell",
      profile_output: "Profil geladen: é\nzweite Zeile",
      oem_codepage: 850,
    });
    assert.equal(run.code, 0, text(run.stderr));
    assert.equal(
      latin1(run.stdout),
      "Profil geladen: \x82\r\nzweite Zeile\r\na\r\nb\r\nc\r\n\x82\xff\x9d\r\n",
    );
    assert.equal(run.stderr.length, 0);
  },
);

sessionTest(
  "powershell: the exit code collapses to 1 for a non-zero inner exit",
  "exit 3",
  async (labDir) => {
    const knobs = { default_shell: "powershell" } as const;
    const run = await session(labDir, "powershell -c x", knobs);
    assert.equal(run.code, 1);
    assert.equal(run.stderr.length, 0);
  },
);

sessionTest(
  "powershell: inner stderr becomes rendered error records and $? false (exit 1) even when the inner exits 0",
  `printf 'boom\\nsecond\\n\\nthird' >&2; exit 0`,
  async (labDir) => {
    const line = 'powershell -NoProfile -Command "Write-Error boom"';
    const run = await session(labDir, line, { default_shell: "powershell" });
    assert.equal(run.code, 1);
    assert.equal(
      text(run.stderr),
      [
        "powershell : boom",
        "At line:1 char:1",
        `+ ${line}`,
        `+ ${"~".repeat(line.length)}`,
        "    + CategoryInfo          : NotSpecified: (boom:String) [], RemoteException",
        "    + FullyQualifiedErrorId : NativeCommandError",
        " ",
        "second",
        "third",
        "",
      ].join("\r\n"),
    );
  },
);

sessionTest(
  "powershell: a CLIXML stderr is deserialized, each error rendered; progress alone is no error",
  `cat "$WIN_LAB_DIR/stderr-$2" >&2`,
  async (labDir) => {
    await Deno.writeTextFile(
      `${labDir}/stderr-progress`,
      '#< CLIXML\r\n<Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04">' +
        '<Obj S="progress" RefId="0"><MS><PR N="Record"><AV>Preparing modules for first use.</AV></PR></MS></Obj></Objs>',
    );
    await Deno.writeTextFile(
      `${labDir}/stderr-error`,
      clixmlErrorLines(["oops"]),
    );
    const knobs = { default_shell: "powershell" } as const;
    const quiet = await session(labDir, "powershell -c progress", knobs);
    assert.equal(quiet.code, 0, text(quiet.stderr));
    assert.equal(quiet.stderr.length, 0);
    const run = await session(labDir, "powershell -c error", knobs);
    assert.equal(run.code, 1);
    const lines = text(run.stderr).split("\r\n");
    assert.equal(lines[0], "powershell : oops");
    assert.equal(lines[1], "At line:1 char:1");
    assert.equal(
      lines[4],
      "    + CategoryInfo          : NotSpecified: (oops",
    );
  },
);

sessionTest(
  "powershell: only a powershell line is understood; anything else fails loudly and runs nothing",
  "exit 0",
  async (labDir) => {
    const knobs = { default_shell: "powershell" } as const;
    for (const line of ["Get-Date", "powershell -c $x", "cmd /c echo hi"]) {
      const run = await session(labDir, line, knobs);
      assert.equal(run.code, 1, line);
      assert.match(text(run.stderr), /^lab: unsupported PowerShell: .+\n$/);
    }
    assert.equal(await ran(labDir), false);
  },
);

sessionTest(
  "a session is journaled, and its end kills what is left in its job but not what left it",
  `setsid sleep 300 </dev/null >/dev/null 2>&1 &
echo $! > "$WIN_LAB_DIR/in-job"
setsid env -u WIN_LAB_JOB sleep 300 </dev/null >/dev/null 2>&1 &
echo $! > "$WIN_LAB_DIR/out-of-job"`,
  async (labDir) => {
    const run = await session(labDir, "powershell -c jobs");
    assert.equal(run.code, 0, text(run.stderr));
    const pid = async (name: string) =>
      Number((await Deno.readTextFile(`${labDir}/${name}`)).trim());
    const inJob = await pid("in-job");
    const outOfJob = await pid("out-of-job");
    try {
      assert.equal(isAlive(inJob), false, "the job's process was killed");
      assert.equal(isAlive(outOfJob), true, "a process outside the job lives");
      const journal = (await Deno.readTextFile(`${labDir}/sessions.jsonl`))
        .trim().split("\n").map((l) => JSON.parse(l));
      assert.equal(journal.length, 2);
      const [start, end] = journal;
      assert.equal(start.shell, "cmd");
      assert.equal(start.line, "powershell -c jobs");
      assert.equal(end.session, start.session);
      assert.equal(end.event, "end");
      assert.equal(end.code, 0);
      assert.ok(end.killed.includes(inJob));
    } finally {
      Deno.kill(outOfJob, "SIGKILL");
    }
  },
);

Deno.test("a session without a command or with a pty fails loudly", async () => {
  const labDir = await Deno.makeTempDir({ prefix: "wa-session-" });
  try {
    for (
      const env of [
        {},
        { SSH_ORIGINAL_COMMAND: "x", SSH_TTY: "/dev/pts/9" },
      ] as Record<string, string>[]
    ) {
      const output = await new Deno.Command(Deno.execPath(), {
        args: ["run", "--allow-all", "--no-prompt", "--no-config", SESSION],
        env: { WIN_LAB_DIR: labDir, ...env },
        clearEnv: false,
        stdin: "null",
        stdout: "piped",
        stderr: "piped",
      }).output();
      assert.equal(output.code, 1);
      assert.match(text(output.stderr), /^lab: unsupported session: .+\n$/);
    }
  } finally {
    await Deno.remove(labDir, { recursive: true });
  }
});
