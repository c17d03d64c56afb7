import assert from "node:assert/strict";
import {
  buildScript,
  encodeStdin,
  encodeUtf16leBase64,
  REMOTE_COMMAND,
  type ScriptInputs,
  type ScriptKind,
} from "../../lib/powershell/mod.ts";
import { isAlive } from "./_proc.ts";

const EMULATOR = new URL("./powershell.ts", import.meta.url).pathname;
const BOOTSTRAP_ARGS = REMOTE_COMMAND.split(" ").slice(1);

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function start(labDir: string, args: string[], stdin?: Uint8Array) {
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-all",
      "--no-prompt",
      "--no-config",
      EMULATOR,
      ...args,
    ],
    env: { WIN_LAB_DIR: labDir, NO_COLOR: "1" },
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  const done = (async (): Promise<Run> => {
    if (stdin) await writer.write(stdin);
    await writer.close();
    const output = await child.output();
    const text = (b: Uint8Array) => new TextDecoder().decode(b);
    return {
      code: output.code,
      stdout: text(output.stdout),
      stderr: text(output.stderr),
    };
  })();
  return { pid: child.pid, done };
}

function ps(labDir: string, command: string): Promise<Run> {
  return start(labDir, ["-NoProfile", "-Command", command]).done;
}

function script<K extends ScriptKind>(
  labDir: string,
  kind: K,
  input: ScriptInputs[K],
) {
  return start(labDir, BOOTSTRAP_ARGS, encodeStdin(buildScript(kind, input)));
}

async function json<K extends ScriptKind>(
  labDir: string,
  kind: K,
  input: ScriptInputs[K],
): Promise<unknown> {
  const run = await script(labDir, kind, input).done;
  assert.equal(run.code, 0, run.stderr);
  assert.ok(run.stdout.endsWith("\n") && !run.stdout.trimEnd().includes("\n"));
  return JSON.parse(run.stdout);
}

function labTest(name: string, fn: (labDir: string) => Promise<void>): void {
  Deno.test(name, async () => {
    const labDir = await Deno.makeTempDir({ prefix: "wa-ps-" });
    await Deno.mkdir(`${labDir}/state`);
    await Deno.mkdir(`${labDir}/winbin`);
    try {
      await fn(labDir);
    } finally {
      await Deno.remove(labDir, { recursive: true });
    }
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

labTest(
  "powershell -Command runs statements and exits with exit n",
  async (lab) => {
    assert.deepEqual(await ps(lab, "Write-Output hi; exit 3"), {
      code: 3,
      stdout: "hi\n",
      stderr: "",
    });
    const quoted = await ps(
      lab,
      "echo 'it''s' \"a`tb\"\nWrite-Host x y; 'bare'; hostname; $PSVersionTable.PSVersion.ToString()",
    );
    assert.equal(
      quoted.stdout,
      "it's a\tb\nx y\nbare\nWIN-LAB\n5.1.19041.4522\n",
    );
    assert.equal(quoted.code, 0);
  },
);

labTest(
  "powershell Write-Error writes stderr and makes the exit code 1",
  async (lab) => {
    assert.deepEqual(
      await ps(lab, "Write-Error 'went wrong'; Write-Output after"),
      {
        code: 1,
        stdout: "after\n",
        stderr: "went wrong\n",
      },
    );
  },
);

labTest(
  "powershell refuses unsupported statements before running any",
  async (lab) => {
    const run = await ps(lab, "Write-Output first; Get-Process | Stop-Process");
    assert.equal(run.code, 1);
    assert.equal(run.stdout, "");
    assert.equal(
      run.stderr,
      "lab: unsupported PowerShell: Get-Process | Stop-Process\n",
    );
    const unknown = await ps(lab, "Invoke-Thing");
    assert.equal(unknown.stderr, "lab: unsupported PowerShell: Invoke-Thing\n");
  },
);

labTest("powershell refuses unknown arguments", async (lab) => {
  const run = await start(lab, ["-NoProfile", "-File", "x.ps1"]).done;
  assert.equal(run.code, 1);
  assert.equal(run.stderr, "lab: unsupported PowerShell: -File\n");
});

labTest(
  "powershell runs -EncodedCommand text that is not the bootstrap",
  async (lab) => {
    const run = await start(lab, [
      "-EncodedCommand",
      encodeUtf16leBase64("echo encoded"),
    ]).done;
    assert.deepEqual(run, { code: 0, stdout: "encoded\n", stderr: "" });
  },
);

labTest("powershell journals every invocation", async (lab) => {
  await ps(lab, "echo one");
  await script(lab, "version", {}).done;
  await start(lab, ["-Bogus"]).done;
  const lines = (await Deno.readTextFile(`${lab}/journal.jsonl`)).trim().split(
    "\n",
  )
    .map((line) => JSON.parse(line));
  assert.equal(lines.length, 3);
  assert.deepEqual(lines[0].argv, ["-NoProfile", "-Command", "echo one"]);
  assert.equal(lines[0].kind, null);
  assert.equal(lines[1].kind, "version");
  assert.ok(
    lines[1].script.startsWith("# win-automation script: version v1\n"),
  );
  assert.deepEqual(lines[2].argv, ["-Bogus"]);
  assert.ok(lines.every((line) => typeof line.ts === "string"));
});

labTest(
  "powershell answers version, desktop, tasks and firewall kinds from state",
  async (lab) => {
    assert.deepEqual(await json(lab, "version", {}), {
      ps_version: "5.1.19041.4522",
      hostname: "WIN-LAB",
    });
    assert.deepEqual(await json(lab, "desktop", {}), { state: "unlocked" });
    await Deno.writeTextFile(`${lab}/state/desktop.json`, '{"locked":true}');
    assert.deepEqual(await json(lab, "desktop", {}), { state: "locked" });
    await Deno.writeTextFile(
      `${lab}/state/tasks.json`,
      '{"tasks":[{"name":"Aloha"}]}',
    );
    assert.deepEqual(await json(lab, "task_exists", { name: "Aloha" }), {
      exists: true,
    });
    assert.deepEqual(await json(lab, "task_exists", { name: "Other" }), {
      exists: false,
    });
    assert.deepEqual(await json(lab, "firewall_rule", { name: "R" }), {
      exists: false,
      enabled: false,
      ports: "",
    });
    assert.deepEqual(await json(lab, "firewall_add", { name: "R", port: 80 }), {
      state: "created",
    });
    assert.deepEqual(await json(lab, "firewall_add", { name: "R", port: 80 }), {
      state: "unchanged",
    });
    assert.deepEqual(await json(lab, "firewall_rule", { name: "R" }), {
      exists: true,
      enabled: true,
      ports: "80",
    });
  },
);

labTest(
  "powershell firewall_repair enables a rule and sets its port, then converges",
  async (lab) => {
    await json(lab, "firewall_add", { name: "R", port: 80 });
    const file = `${lab}/state/firewall.json`;
    const data = JSON.parse(await Deno.readTextFile(file));
    data.rules = data.rules.map((r: { name: string }) =>
      r.name === "R" ? { ...r, port: 81, enabled: false } : r
    );
    await Deno.writeTextFile(file, JSON.stringify(data));
    assert.deepEqual(
      await json(lab, "firewall_repair", { name: "R", port: 80 }),
      { state: "present", changed: ["enabled", "port"] },
    );
    assert.deepEqual(
      await json(lab, "firewall_repair", { name: "R", port: 80 }),
      { state: "present", changed: [] },
    );
    assert.deepEqual(
      await json(lab, "firewall_repair", { name: "Nope", port: 80 }),
      { state: "missing", changed: [] },
    );
  },
);

labTest(
  "powershell task_run says missing for an unknown task and never starts one",
  async (lab) => {
    assert.deepEqual(await json(lab, "task_run", { name: "Nope" }), {
      state: "missing",
    });
  },
);

labTest("powershell answers port_listening from the kernel", async (lab) => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr;
  assert.deepEqual(await json(lab, "port_listening", { port }), {
    listening: true,
  });
  listener.close();
  assert.deepEqual(await json(lab, "port_listening", { port }), {
    listening: false,
  });
});

labTest("powershell answers file_size on the lab file system", async (lab) => {
  await Deno.mkdir(`${lab}/fs/C:/data`, { recursive: true });
  await Deno.writeTextFile(`${lab}/fs/C:/data/a.txt`, "12345");
  assert.deepEqual(await json(lab, "file_size", { path: "c:\\data\\a.txt" }), {
    exists: true,
    size: 5,
  });
  assert.deepEqual(await json(lab, "file_size", { path: "C:/data/none" }), {
    exists: false,
    size: 0,
  });
});

labTest(
  "powershell artifact_dir creates a job's Windows artifact root and refuses an id that is not a UUID",
  async (lab) => {
    const id = "0e5e0a3c-1f7e-4a58-9d2b-5b1f0c6e8a11";
    assert.deepEqual(await json(lab, "artifact_dir", { job_id: id }), {
      state: "ready",
    });
    const info = await Deno.stat(
      `${lab}/fs/C:/ProgramData/win-automation/artifacts/${id}`,
    );
    assert.ok(info.isDirectory);
    const bad = await script(lab, "artifact_dir", { job_id: "..\\x" }).done;
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /not a UUID/);
    assert.equal(
      [...Deno.readDirSync(`${lab}/fs/C:/ProgramData/win-automation/artifacts`)]
        .length,
      1,
    );
  },
);

labTest("powershell refuses an invalid input or unknown kind", async (lab) => {
  const bad = await script(lab, "exec", { command: "echo", run_id: "../x" })
    .done;
  assert.equal(bad.code, 1);
  assert.match(
    bad.stderr,
    /^lab: unsupported PowerShell: exec input has invalid "run_id"/,
  );
  const text = buildScript("version", {}).replace("version v1", "reboot v1");
  const unknown = await start(lab, BOOTSTRAP_ARGS, encodeStdin(text)).done;
  assert.equal(
    unknown.stderr,
    "lab: unsupported PowerShell: script kind: reboot\n",
  );
});

labTest(
  "powershell exec runs the command and keeps a pid file while it runs",
  async (lab) => {
    const pidFile = `${lab}/fs/C:/ProgramData/win-automation/run/r1.pid`;
    const run = script(lab, "exec", {
      command:
        "Write-Output start; Start-Sleep -Milliseconds 600; Write-Error oops; exit 7",
      run_id: "r1",
    });
    let seen = "";
    for (let i = 0; i < 100 && !seen; i++) {
      await sleep(20);
      seen = await Deno.readTextFile(pidFile).catch(() => "");
    }
    assert.equal(Number(seen.trim()), run.pid);
    assert.deepEqual(await run.done, {
      code: 7,
      stdout: "start\n",
      stderr: "oops\n",
    });
    await assert.rejects(Deno.stat(pidFile));
  },
);

labTest(
  "powershell kill before its exec starts: the exec runs nothing and exits 130",
  async (lab) => {
    assert.deepEqual(await json(lab, "kill", { run_id: "r0" }), {
      state: "not_running",
    });
    const run = script(lab, "exec", { command: "echo ran", run_id: "r0" });
    const done = await run.done;
    assert.equal(done.code, 130);
    assert.equal(done.stdout, "");
    assert.equal(done.stderr, "cancelled before it started\n");
    const runDir = `${lab}/fs/C:/ProgramData/win-automation/run`;
    await assert.rejects(Deno.stat(`${runDir}/r0.pid`));
    await assert.rejects(Deno.stat(`${runDir}/r0.cancelled`));
  },
);

labTest("powershell kill stops a running exec", async (lab) => {
  const run = script(lab, "exec", { command: "ping -n 30 host", run_id: "r2" });
  const pidFile = `${lab}/fs/C:/ProgramData/win-automation/run/r2.pid`;
  for (
    let i = 0;
    i < 100 && !(await Deno.stat(pidFile).catch(() => null));
    i++
  ) {
    await sleep(20);
  }
  assert.deepEqual(await json(lab, "kill", { run_id: "r2" }), {
    state: "killed",
  });
  const done = await run.done;
  assert.notEqual(done.code, 0);
  assert.ok(!isAlive(run.pid));
  assert.deepEqual(await json(lab, "kill", { run_id: "r2" }), {
    state: "not_running",
  });
});

labTest("powershell ping prints one reply per second", async (lab) => {
  const started = Date.now();
  const run = await ps(lab, "ping -n 2 example");
  assert.ok(Date.now() - started >= 1000);
  assert.equal(
    run.stdout,
    "Reply from 127.0.0.1: bytes=32 time<1ms TTL=128\n".repeat(2),
  );
});

labTest(
  "powershell log_follow streams from an offset until the marker",
  async (lab) => {
    await Deno.mkdir(`${lab}/fs/C:/aloha`, { recursive: true });
    const log = `${lab}/fs/C:/aloha/client.log`;
    await Deno.writeTextFile(log, "old line\n");
    const run = script(lab, "log_follow", {
      path: "C:\\aloha\\client.log",
      offset: 9,
      marker: "thread finished.",
      timeout_ms: 5000,
    });
    await sleep(300);
    await Deno.writeTextFile(log, "step 1\n", { append: true });
    await sleep(200);
    await Deno.writeTextFile(log, "process_input thread finished.\n", {
      append: true,
    });
    assert.deepEqual(await run.done, {
      code: 0,
      stdout: "step 1\nprocess_input thread finished.\n",
      stderr: "",
    });
    const timeout = await script(lab, "log_follow", {
      path: "C:\\aloha\\client.log",
      offset: 0,
      marker: "never",
      timeout_ms: 300,
    }).done;
    assert.equal(timeout.code, 124);
    assert.ok(timeout.stdout.startsWith("old line\n"));
  },
);

labTest(
  "powershell Get-Content and Test-Path read the lab file system",
  async (lab) => {
    await Deno.mkdir(`${lab}/fs/C:/x`, { recursive: true });
    await Deno.writeTextFile(`${lab}/fs/C:/x/f.txt`, "a\r\nb\r\n");
    const run = await ps(
      lab,
      "Get-Content C:\\x\\f.txt; Test-Path 'C:/x/f.txt'; Test-Path C:\\no",
    );
    assert.deepEqual(run, {
      code: 0,
      stdout: "a\nb\nTrue\nFalse\n",
      stderr: "",
    });
    const missing = await ps(lab, "Get-Content C:\\no.txt");
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /Cannot find path 'C:\\no.txt'/);
  },
);

labTest(
  "powershell Start-Process starts a detached program and Stop-Process ends it",
  async (lab) => {
    await Deno.writeTextFile(
      `${lab}/winbin/talker`,
      '#!/bin/bash\necho "args:$#:$1:$2"\necho "to stderr" >&2\nexec sleep 30\n',
      { mode: 0o755 },
    );
    await Deno.mkdir(`${lab}/fs/C:/logs`, { recursive: true });
    const run = await ps(
      lab,
      "Start-Process -FilePath talker.exe -ArgumentList '--port','5000' " +
        "-RedirectStandardOutput 'C:\\logs\\out.log' -RedirectStandardError C:\\logs\\err.log " +
        "-WindowStyle Hidden",
    );
    assert.deepEqual(run, { code: 0, stdout: "", stderr: "" });
    const state = JSON.parse(
      await Deno.readTextFile(`${lab}/state/processes.json`),
    );
    const [record] = state.processes;
    assert.equal(record.name, "talker");
    assert.ok(isAlive(record.pid));
    await sleep(200);
    assert.equal(
      await Deno.readTextFile(`${lab}/fs/C:/logs/out.log`),
      "args:2:--port:5000\n",
    );
    assert.equal(
      await Deno.readTextFile(`${lab}/fs/C:/logs/err.log`),
      "to stderr\n",
    );

    assert.deepEqual(await ps(lab, "Stop-Process -Name talker -Force"), {
      code: 0,
      stdout: "",
      stderr: "",
    });
    for (let i = 0; i < 50 && isAlive(record.pid); i++) await sleep(20);
    assert.ok(!isAlive(record.pid));
    const again = await ps(lab, "Stop-Process -Name talker");
    assert.equal(again.code, 1);
    assert.match(again.stderr, /Cannot find a process with the name "talker"/);
  },
);

labTest(
  "powershell Start-Process reports a missing program or log folder",
  async (lab) => {
    const missing = await ps(lab, "Start-Process nothing-here");
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /cannot find the file specified/);
    await Deno.writeTextFile(`${lab}/winbin/x`, "#!/bin/bash\n", {
      mode: 0o755,
    });
    const noDir = await ps(
      lab,
      "Start-Process x -RedirectStandardError C:\\nodir\\e.log",
    );
    assert.equal(noDir.code, 1);
    assert.match(
      noDir.stderr,
      /Could not find a part of the path 'C:\\nodir\\e.log'/,
    );
  },
);

labTest(
  "powershell schtasks /Run starts a task's action detached, /Query shows it, /End stops it",
  async (lab) => {
    await Deno.writeTextFile(
      `${lab}/winbin/sleeper`,
      '#!/bin/bash\necho "args: $*" >> "$PWD/ran.txt"\nexec sleep 30\n',
      { mode: 0o755 },
    );
    await Deno.mkdir(`${lab}/fs/C:/work`, { recursive: true });
    await Deno.writeTextFile(
      `${lab}/state/tasks.json`,
      JSON.stringify({
        tasks: [{
          name: "T1",
          execute: "C:\\Tools\\sleeper.exe",
          arguments: '"C:\\work\\a b.txt" plain',
          working_dir: "C:\\work",
          trigger: "AtStartup",
          user: "SYSTEM",
        }],
      }),
    );
    const run = await ps(lab, "schtasks /Run /TN T1");
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^SUCCESS: Attempted to run/);
    let ran = "";
    for (let i = 0; i < 100 && !ran; i++) {
      await sleep(50);
      ran = await Deno.readTextFile(`${lab}/fs/C:/work/ran.txt`).catch(() =>
        ""
      );
    }
    assert.equal(ran, `args: ${lab}/fs/C:/work/a b.txt plain\n`);
    const records = JSON.parse(
      await Deno.readTextFile(`${lab}/state/processes.json`),
    ).processes;
    assert.equal(records.length, 1);
    assert.equal(records[0].task, "T1");
    assert.equal(records[0].name, "sleeper");
    assert.equal(
      (await ps(lab, "schtasks /Query /TN T1")).stdout,
      "T1 Running\n",
    );
    assert.equal((await ps(lab, "schtasks /End /TN T1")).code, 0);
    assert.ok(!isAlive(records[0].pid));
    assert.equal(
      (await ps(lab, "schtasks /Query /TN T1")).stdout,
      "T1 Ready\n",
    );
    const none = await ps(lab, "schtasks /Run /TN nope");
    assert.equal(none.code, 1);
    assert.match(none.stderr, /cannot find the file specified/);
    const odd = await ps(lab, "schtasks /Create /TN x");
    assert.equal(
      odd.stderr,
      "lab: unsupported PowerShell: schtasks /Create /TN x\n",
    );
  },
);

labTest(
  "powershell playwright kinds: prereq reports what is missing; install fails like PowerShell when its script was not uploaded",
  async (lab) => {
    assert.deepEqual(await json(lab, "playwright_prereq", {}), {
      node_path: null,
      node_version: null,
      playwright_version: null,
      ffmpeg: false,
      files: {},
    });
    const install = await script(lab, "playwright_install", {
      ws_path: "s3cret-ws-path-0123456789",
      port: 9323,
      node_path: "C:\\Program Files\\nodejs\\node.exe",
      channel: "msedge",
      executable_path: "",
      restart: false,
    }).done;
    assert.equal(install.code, 1);
    assert.match(install.stderr, /install-playwright\.ps1' is not recognized/);
    assert.ok(
      !await Deno.stat(
        `${lab}/fs/C:/ProgramData/win-automation/playwright/ws_path.txt`,
      ).then(() => true, () => false),
      "nothing written",
    );
  },
);
