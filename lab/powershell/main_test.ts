import assert from "node:assert/strict";
import { OBJS_CLOSE, OBJS_OPEN } from "./clixml_write.ts";
import { isAlive } from "../linux/mod.ts";
import {
  bootstrapArgs,
  SHIPPED_BOOTSTRAP,
  shippedPins,
  TEST_NONCE,
  v2Stdin,
} from "./_v2_request.ts";
import { encodeUtf16leBase64 } from "../windows/mod.ts";

const EMULATOR = new URL("./main.ts", import.meta.url).pathname;
const PINS = JSON.stringify(shippedPins());
const PROGRESS_START = "#< CLIXML\r\n" + OBJS_OPEN +
  '<Obj S="progress" RefId="0">';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  stdoutBytes: Uint8Array;
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
    env: { WIN_LAB_DIR: labDir, NO_COLOR: "1", WIN_LAB_TEST_PINS: PINS },
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
      stdoutBytes: output.stdout,
    };
  })();
  return { pid: child.pid, done };
}

/**
 * stderr without the host's CLIXML wrapper (progress record first, `</Objs>`
 * last), which every invocation with a redirected stderr gets; asserts it.
 */
function plainStderr(run: Run): string {
  assert.ok(run.stderr.startsWith(PROGRESS_START), run.stderr);
  assert.ok(run.stderr.endsWith(OBJS_CLOSE), run.stderr);
  const progressEnd = run.stderr.indexOf("</Obj>") + "</Obj>".length;
  return run.stderr.slice(progressEnd, -OBJS_CLOSE.length);
}

function ps(labDir: string, command: string): Promise<Run> {
  return start(labDir, ["-NoProfile", "-Command", command]).done;
}

function script(labDir: string, kind: string, input: unknown) {
  return start(labDir, bootstrapArgs(), v2Stdin(kind, input));
}

/** The kind's JSON line between the begin line and the trailer. */
async function json(
  labDir: string,
  kind: string,
  input: unknown,
): Promise<unknown> {
  const run = await script(labDir, kind, input).done;
  assert.equal(run.code, 0, run.stderr);
  const lines = run.stdout.split("\r\n");
  assert.deepEqual(
    [lines[0], lines[2], lines[3], lines.length],
    [`wa:${TEST_NONCE}:begin`, `wa:${TEST_NONCE}:exit=0`, "", 4],
    run.stdout,
  );
  return JSON.parse(lines[1]!);
}

/** stdout between the begin line and the trailer, and the trailer's code. */
function framed(run: Run): { body: string; code: number } {
  const begin = `wa:${TEST_NONCE}:begin\r\n`;
  assert.ok(run.stdout.startsWith(begin), run.stdout);
  const match = new RegExp(`wa:${TEST_NONCE}:exit=(-?\\d+)\r\n$`).exec(
    run.stdout,
  );
  assert.ok(match, run.stdout);
  return {
    body: run.stdout.slice(begin.length, match.index),
    code: Number(match[1]),
  };
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
  "powershell -Command writes host output in CRLF lines and exits with exit n",
  async (lab) => {
    const run = await ps(lab, "Write-Output hi; exit 3");
    assert.equal(run.code, 3);
    assert.equal(run.stdout, "hi\r\n");
    assert.equal(plainStderr(run), "");
    const quoted = await ps(
      lab,
      "echo 'it''s' \"a`tb\"\nWrite-Host x y; 'bare'; hostname; $PSVersionTable.PSVersion.ToString(); [Environment]::MachineName",
    );
    assert.equal(
      quoted.stdout,
      "it's\r\na\tb\r\nx y\r\nbare\r\nWIN-LAB\r\n5.1.20348.2849\r\nWIN-LAB\r\n",
    );
    assert.equal(quoted.code, 0);
  },
);

labTest(
  "powershell -Command exits 0 or 1 from $? of the last statement",
  async (lab) => {
    const last = await ps(lab, "Write-Error 'went wrong'");
    assert.equal(last.code, 1);
    const notLast = await ps(
      lab,
      "Write-Error 'went wrong'; Write-Output after",
    );
    assert.equal(notLast.code, 0);
    assert.equal(notLast.stdout, "after\r\n");
    const native = await ps(lab, "where.exe nothing");
    assert.equal(native.code, 1, "a native exit code is not passed through");
    const inBlock = await ps(lab, "& { Write-Error inner }");
    assert.equal(inBlock.code, 0);
  },
);

labTest(
  "powershell -Command writes errors and warnings as CLIXML on a redirected stderr",
  async (lab) => {
    const run = await ps(
      lab,
      "Write-Warning 'a_x <b>'; Write-Error 'went wrong'",
    );
    assert.equal(
      plainStderr(run),
      '<S S="warning">a_x005F_x &lt;b&gt;</S>' +
        '<S S="Error">Write-Error : went wrong_x000D__x000A_</S>' +
        '<S S="Error">At line:1 char:26_x000D__x000A_</S>' +
        "<S S=\"Error\">+ Write-Error 'went wrong'_x000D__x000A_</S>" +
        '<S S="Error">+ ~~~~~~~~~~~~~~~~~~~~~~~~_x000D__x000A_</S>' +
        '<S S="Error">    + CategoryInfo          : NotSpecified: (:) [Write-Error], WriteErrorException_x000D__x000A_</S>' +
        '<S S="Error">    + FullyQualifiedErrorId : Microsoft.PowerShell.Commands.WriteErrorException_x000D__x000A_</S>' +
        '<S S="Error"> _x000D__x000A_</S>',
    );
    const native = await ps(lab, "where.exe nothing");
    assert.equal(
      plainStderr(native),
      "INFO: Could not find files for the given pattern(s).\r\n",
      "a native program's stderr is not a record: plain text",
    );
  },
);

labTest(
  "powershell host output is in the OEM code page: characters it lacks become ?",
  async (lab) => {
    const run = await ps(lab, "echo héllo ✓ ø");
    assert.deepEqual(
      [...run.stdoutBytes],
      [0x68, 0x82, 0x6c, 0x6c, 0x6f, 13, 10, 0x3f, 13, 10, 0x3f, 13, 10],
    );
    await Deno.writeTextFile(
      `${lab}/state/windows.json`,
      '{"oem_codepage":850}',
    );
    const cp850 = await ps(lab, "echo ø");
    assert.deepEqual([...cp850.stdoutBytes], [0x9b, 13, 10]);
  },
);

labTest(
  "powershell Set-Content writes ANSI, Out-File and > write UTF-16LE with a BOM, Get-Content reads both",
  async (lab) => {
    await Deno.mkdir(`${lab}/fs/C:/t`, { recursive: true });
    const run = await ps(
      lab,
      "Set-Content -Path C:\\t\\a.txt -Value héllo; Add-Content C:\\t\\a.txt more; echo hi | Out-File C:\\t\\b.txt; echo yo > C:\\t\\c.txt; Get-Content C:\\t\\a.txt; Get-Content C:\\t\\b.txt",
    );
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(
      [...await Deno.readFile(`${lab}/fs/C:/t/a.txt`)],
      [0x68, 0xe9, 0x6c, 0x6c, 0x6f, 13, 10, 0x6d, 0x6f, 0x72, 0x65, 13, 10],
    );
    assert.deepEqual(
      [...await Deno.readFile(`${lab}/fs/C:/t/b.txt`)],
      [0xff, 0xfe, 0x68, 0, 0x69, 0, 13, 0, 10, 0],
    );
    assert.deepEqual(
      [...await Deno.readFile(`${lab}/fs/C:/t/c.txt`)],
      [0xff, 0xfe, 0x79, 0, 0x6f, 0, 13, 0, 10, 0],
    );
    assert.deepEqual(
      run.stdoutBytes,
      new Uint8Array([
        0x68,
        0x82,
        0x6c,
        0x6c,
        0x6f,
        13,
        10,
        ...new TextEncoder().encode("more\r\nhi\r\n"),
      ]),
    );
    const noDir = await ps(lab, "Set-Content C:\\nodir\\x.txt v");
    assert.equal(noDir.code, 1);
    assert.match(
      noDir.stderr,
      /Could not find a part of the path 'C:\\nodir\\x.txt'/,
    );
  },
);

labTest(
  "powershell Get-ChildItem -Name lists the lab file system; Test-Path sees Edge per os",
  async (lab) => {
    await Deno.mkdir(`${lab}/fs/C:/d/sub`, { recursive: true });
    await Deno.writeTextFile(`${lab}/fs/C:/d/B.txt`, "");
    await Deno.writeTextFile(`${lab}/fs/C:/d/a.txt`, "");
    const run = await ps(lab, "Get-ChildItem C:\\d -Name");
    assert.equal(run.stdout, "a.txt\r\nB.txt\r\nsub\r\n");
    const edge =
      "Test-Path 'C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe'";
    assert.equal((await ps(lab, edge)).stdout, "True\r\n");
    await Deno.writeTextFile(
      `${lab}/state/windows.json`,
      '{"os":"server2019"}',
    );
    assert.equal((await ps(lab, edge)).stdout, "False\r\n");
  },
);

labTest(
  "powershell refuses unsupported statements before running any",
  async (lab) => {
    const run = await ps(lab, "Write-Output first; Get-Process | Stop-Process");
    assert.equal(run.code, 1);
    assert.equal(run.stdout, "");
    assert.match(
      run.stderr,
      /lab: unsupported PowerShell: Get-Process \| Stop-Process\n$/,
    );
    const unknown = await ps(lab, "Invoke-Thing");
    assert.match(
      unknown.stderr,
      /lab: unsupported PowerShell: Invoke-Thing\n$/,
    );
  },
);

labTest("powershell refuses unknown arguments", async (lab) => {
  const run = await start(lab, ["-NoProfile", "-Sta", "x.ps1"]).done;
  assert.equal(run.code, 1);
  assert.equal(run.stderr, "lab: unsupported PowerShell: -Sta\n");
});

labTest(
  "powershell runs -EncodedCommand text that is not a bootstrap at the host",
  async (lab) => {
    const run = await start(lab, [
      "-EncodedCommand",
      encodeUtf16leBase64("echo encoded"),
    ]).done;
    assert.equal(run.code, 0);
    assert.equal(run.stdout, "encoded\r\n");
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
    lines[1].script.startsWith("# win-automation script: version v2\n"),
  );
  assert.equal(lines[1].pins, "test-override");
  assert.deepEqual(lines[2].argv, ["-Bogus"]);
  assert.ok(lines.every((line) => typeof line.ts === "string"));
});

labTest(
  "powershell v2 refuses a bootstrap or a body that is not pinned, and a malformed stdin",
  async (lab) => {
    const body = await start(
      lab,
      bootstrapArgs(),
      v2Stdin("version", {}, { body: "'anything at all'" }),
    ).done;
    assert.equal(body.code, 1);
    assert.equal(body.stdout, "");
    assert.match(
      body.stderr,
      /lab: unsupported PowerShell: version body is not the pinned one/,
    );
    const boot = await start(
      lab,
      bootstrapArgs(SHIPPED_BOOTSTRAP + "\n"),
      v2Stdin("version", {}),
    ).done;
    assert.match(
      boot.stderr,
      /lab: unsupported PowerShell: -EncodedCommand is not the pinned v2 bootstrap/,
    );
    const extra = new Uint8Array([...v2Stdin("version", {}), 0x78, 0x0a]);
    const three = await start(lab, bootstrapArgs(), extra).done;
    assert.match(three.stderr, /stdin is not two LF-terminated base64 lines/);
    const nonce = await start(
      lab,
      bootstrapArgs(),
      v2Stdin("version", {}, { nonce: "ABC" }),
    ).done;
    assert.match(nonce.stderr, /data is not \{"nonce"/);
    const control = await script(lab, "version", {}).done;
    assert.equal(control.code, 0, control.stderr);
  },
);

labTest(
  "powershell version prints the draft's fields from the knobs",
  async (lab) => {
    assert.deepEqual(await json(lab, "version", {}), {
      ps_version: "5.1.20348.2849",
      hostname: "WIN-LAB",
      os_caption: "Microsoft Windows Server 2022 Datacenter",
      os_build: "20348",
      last_boot: "2025-01-06T08:00:00Z",
      default_shell: "",
      winget: false,
      edge: true,
    });
    await Deno.writeTextFile(
      `${lab}/state/windows.json`,
      '{"os":"server2019","default_shell":"powershell"}',
    );
    await Deno.writeTextFile(
      `${lab}/state/boot.json`,
      '{"last_boot":"2025-02-03T04:05:06Z"}',
    );
    assert.deepEqual(await json(lab, "version", {}), {
      ps_version: "5.1.17763.6414",
      hostname: "WIN-LAB",
      os_caption: "Microsoft Windows Server 2019 Datacenter",
      os_build: "17763",
      last_boot: "2025-02-03T04:05:06Z",
      default_shell:
        "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe",
      winget: false,
      edge: false,
    });
    await Deno.writeTextFile(`${lab}/state/windows.json`, '{"os":"win11"}');
    const win11 = await json(lab, "version", {}) as Record<string, unknown>;
    assert.deepEqual([win11.winget, win11.edge], [true, true]);
  },
);

labTest(
  "powershell answers desktop, tasks and firewall kinds from state",
  async (lab) => {
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
      direction: "",
      action: "",
      remote_addresses: [],
    });
    const add = { name: "R", port: 80, remote_addresses: ["10.0.0.0/24"] };
    assert.deepEqual(await json(lab, "firewall_add", add), {
      state: "created",
    });
    assert.deepEqual(await json(lab, "firewall_add", add), {
      state: "unchanged",
    });
    // Windows shows an IPv4 prefix in mask form.
    assert.deepEqual(await json(lab, "firewall_rule", { name: "R" }), {
      exists: true,
      enabled: true,
      ports: "80",
      direction: "Inbound",
      action: "Allow",
      remote_addresses: ["10.0.0.0/255.255.255.0"],
    });
  },
);

labTest(
  "powershell aloha_tasks registers both service tasks, then converges",
  async (lab) => {
    const input = { server_cmd: "echo s", client_cmd: "echo c", user: "lab" };
    assert.deepEqual(await json(lab, "aloha_tasks", input), {
      state: "registered",
      changed: ["WinAutomation-AlohaServer", "WinAutomation-AlohaClient"],
    });
    assert.deepEqual(await json(lab, "aloha_tasks", input), {
      state: "registered",
      changed: [],
    });
    const tasks =
      JSON.parse(await Deno.readTextFile(`${lab}/state/tasks.json`)).tasks;
    assert.equal(tasks[1].trigger, "AtLogOn");
    assert.equal(
      tasks[1].arguments,
      `-NoProfile -NonInteractive -WindowStyle Hidden -EncodedCommand ${
        encodeUtf16leBase64("echo c")
      }`,
    );
  },
);

labTest(
  "powershell firewall_repair enables a rule, makes it inbound allow, sets its port and remote addresses, then converges",
  async (lab) => {
    const allow = ["192.168.122.1"];
    await json(lab, "firewall_add", {
      name: "R",
      port: 80,
      remote_addresses: allow,
    });
    const file = `${lab}/state/firewall.json`;
    const data = JSON.parse(await Deno.readTextFile(file));
    data.rules = data.rules.map((r: { name: string }) =>
      r.name === "R"
        ? {
          ...r,
          port: 81,
          enabled: false,
          direction: "Outbound",
          remote_addresses: ["Any"],
        }
        : r
    );
    await Deno.writeTextFile(file, JSON.stringify(data));
    const repair = { name: "R", port: 80, remote_addresses: allow };
    assert.deepEqual(
      await json(lab, "firewall_repair", repair),
      {
        state: "present",
        changed: ["enabled", "direction", "port", "remote_address"],
      },
    );
    assert.deepEqual(
      await json(lab, "firewall_repair", repair),
      { state: "present", changed: [] },
    );
    assert.deepEqual(
      await json(lab, "firewall_repair", { ...repair, name: "Nope" }),
      { state: "missing", changed: [] },
    );
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

labTest(
  "powershell answers file_size and artifact_dir on the lab file system",
  async (lab) => {
    await Deno.mkdir(`${lab}/fs/C:/data`, { recursive: true });
    await Deno.writeTextFile(`${lab}/fs/C:/data/a.txt`, "12345");
    assert.deepEqual(
      await json(lab, "file_size", { path: "c:\\data\\a.txt" }),
      {
        exists: true,
        directory: false,
        size: 5,
      },
    );
    assert.deepEqual(await json(lab, "file_size", { path: "C:/data/none" }), {
      exists: false,
      directory: false,
      size: null,
    });
    assert.deepEqual(await json(lab, "file_size", { path: "C:\\data" }), {
      exists: true,
      directory: true,
      size: null,
    });
    const id = "0e5e0a3c-1f7e-4a58-9d2b-5b1f0c6e8a11";
    assert.deepEqual(await json(lab, "artifact_dir", { job_id: id }), {
      state: "ready",
    });
    const bad = await script(lab, "artifact_dir", { job_id: "..\\x" }).done;
    assert.equal(framed(bad).code, 2);
    assert.equal(bad.code, 2);
    assert.equal(plainStderr(bad), "job_id is not a UUID\r\n");
  },
);

labTest("powershell refuses an invalid input or unknown kind", async (lab) => {
  const bad = await script(lab, "exec", { command: "echo", run_id: "../x" })
    .done;
  assert.equal(bad.code, 1);
  assert.match(
    bad.stderr,
    /lab: unsupported PowerShell: exec input has invalid "run_id"/,
  );
  const unknown = await start(
    lab,
    bootstrapArgs(),
    v2Stdin("format_disk", {}, { body: "x" }),
  ).done;
  assert.match(
    unknown.stderr,
    /lab: unsupported PowerShell: script kind: format_disk\n$/,
  );
});

const RUN = "fs/C:/ProgramData/win-automation/run";

labTest(
  "powershell exec runs command.ps1 and renders its merged records as the body does",
  async (lab) => {
    const pidFile = `${lab}/${RUN}/r1/pid`;
    const run = script(lab, "exec", {
      command:
        "Write-Output start; Start-Sleep -Milliseconds 600; Write-Warning w; Write-Error oops; where.exe nope; Write-Host hé; exit 7",
      run_id: "r1",
    });
    let seen = "";
    for (let i = 0; i < 100 && !seen; i++) {
      await sleep(20);
      seen = await Deno.readTextFile(pidFile).catch(() => "");
    }
    assert.match(seen, new RegExp(`^${run.pid} \\d{17,}\r\n$`));
    const done = await run.done;
    assert.deepEqual(framed(done), { body: "start\r\nhé\r\n", code: 7 });
    assert.equal(done.code, 7);
    assert.equal(
      plainStderr(done),
      "WARNING: w\r\noops\r\nINFO: Could not find files for the given pattern(s).\r\n",
    );
    await assert.rejects(Deno.stat(pidFile));
    const ps1 = await Deno.readFile(`${lab}/${RUN}/r1/command.ps1`);
    assert.deepEqual([...ps1.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
  },
);

labTest(
  "powershell exec codes: $LASTEXITCODE, else 1 after a non-native error, else 0; throw ends it",
  async (lab) => {
    const code = async (command: string) =>
      framed(await script(lab, "exec", { command, run_id: "c" }).done).code;
    assert.equal(await code("Write-Error oops; Write-Output after"), 1);
    assert.equal(await code("where.exe nope; Write-Output after"), 1);
    assert.equal(await code("where.exe cmd"), 0);
    assert.equal(await code("Write-Output fine"), 0);
    assert.equal(await code("& { exit 5 }; Write-Output never"), 5);
    const thrown = await script(lab, "exec", {
      command: "Write-Output one; throw boom; Write-Output two",
      run_id: "t",
    }).done;
    assert.deepEqual(framed(thrown), { body: "one\r\n", code: 1 });
    assert.equal(plainStderr(thrown), "boom\r\n");
  },
);

labTest(
  "powershell kill before its exec starts: the exec runs nothing and exits 130",
  async (lab) => {
    assert.deepEqual(await json(lab, "kill", { run_id: "r0" }), {
      state: "not_running",
    });
    const done = await script(lab, "exec", {
      command: "echo ran",
      run_id: "r0",
    }).done;
    assert.deepEqual(framed(done), { body: "", code: 130 });
    assert.equal(plainStderr(done), "cancelled before it started\r\n");
  },
);

labTest(
  "powershell kill stops a running exec, checking pid and start time",
  async (lab) => {
    const run = script(lab, "exec", {
      command: "ping -n 30 host",
      run_id: "r2",
    });
    const pidFile = `${lab}/${RUN}/r2/pid`;
    for (
      let i = 0;
      i < 100 && !(await Deno.readTextFile(pidFile).catch(() => ""));
      i++
    ) {
      await sleep(20);
    }
    const recorded = await Deno.readTextFile(pidFile);
    const [pid, time] = recorded.trim().split(" ");
    await Deno.writeTextFile(pidFile, `${pid} ${BigInt(time!) + 1n}\r\n`);
    assert.deepEqual(await json(lab, "kill", { run_id: "r2" }), {
      state: "not_running",
      reason: "pid reused",
    });
    assert.ok(isAlive(run.pid), "a pid with another start time is not killed");
    await Deno.writeTextFile(pidFile, recorded);
    assert.deepEqual(await json(lab, "kill", { run_id: "r2" }), {
      state: "killed",
    });
    const done = await run.done;
    assert.notEqual(done.code, 0);
    assert.ok(!done.stdout.includes(":exit="), "a killed exec has no trailer");
    assert.ok(!isAlive(run.pid));
    assert.deepEqual(await json(lab, "kill", { run_id: "r2" }), {
      state: "not_running",
    });
    await Deno.writeTextFile(pidFile, "4 132000000000000000\r\n");
    assert.deepEqual(await json(lab, "kill", { run_id: "r2" }), {
      state: "refused",
      reason: "pid 4 is a system process",
    });
    await Deno.writeTextFile(pidFile, "");
    assert.deepEqual(await json(lab, "kill", { run_id: "r2" }), {
      state: "not_running",
    });
  },
);

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
    const done = await run.done;
    assert.deepEqual(framed(done), {
      body: "step 1\nprocess_input thread finished.\n",
      code: 0,
    });
    const timeout = await script(lab, "log_follow", {
      path: "C:\\aloha\\client.log",
      offset: 0,
      marker: "never",
      timeout_ms: 300,
    }).done;
    assert.equal(timeout.code, 124);
    assert.ok(framed(timeout).body.startsWith("old line\n"));
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
    assert.equal(run.stdout, "a\r\nb\r\nTrue\r\nFalse\r\n");
    assert.equal(run.code, 0);
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
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, "");
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

    const stop = await ps(lab, "Stop-Process -Name talker -Force");
    assert.equal(stop.code, 0, stop.stderr);
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
      "T1 Running\r\n",
    );
    assert.equal((await ps(lab, "schtasks /End /TN T1")).code, 0);
    assert.ok(!isAlive(records[0].pid));
    assert.equal(
      (await ps(lab, "schtasks /Query /TN T1")).stdout,
      "T1 Ready\r\n",
    );
    const none = await ps(lab, "schtasks /Run /TN nope");
    assert.equal(none.code, 1);
    assert.match(none.stderr, /cannot find the file specified/);
    const odd = await ps(lab, "schtasks /Create /TN x");
    assert.match(
      odd.stderr,
      /lab: unsupported PowerShell: schtasks \/Create \/TN x\n$/,
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
      chromium: false,
      files: {},
    });
    const install = await script(lab, "playwright_install", {
      ws_path: "s3cret-ws-path-0123456789-ABCDEFGHIJ",
      port: 9323,
      node_path: "C:\\Program Files\\nodejs\\node.exe",
      channel: "msedge",
      executable_path: "",
      restart: false,
      bind_host: "127.0.0.1",
      allow_from: [],
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

const ROOT = "C:\\ProgramData\\win-automation";
const LOCKED = {
  exists: true,
  owner: "BUILTIN\\Administrators",
  owner_sid: "S-1-5-32-544",
  protected: true,
  writers: [],
};

labTest(
  "powershell exec, kill and artifact_dir create the missing root locked to SYSTEM and Administrators; an existing one is left as it is",
  async (lab) => {
    const missing = await json(lab, "acl_check", { path: ROOT });
    assert.deepEqual(missing, {
      exists: false,
      owner: null,
      owner_sid: null,
      protected: false,
      writers: [],
    });
    const runs: Array<[string, unknown]> = [
      ["exec", { command: "echo hi", run_id: "acl-1" }],
      ["kill", { run_id: "acl-2" }],
      ["artifact_dir", { job_id: "0e5e0a3c-1f7e-4a58-9d2b-5b1f0c6e8a11" }],
    ];
    for (const [kind, input] of runs) {
      await Deno.remove(`${lab}/fs`, { recursive: true }).catch(() => {});
      await Deno.remove(`${lab}/state/acl.json`).catch(() => {});
      const run = await script(lab, kind, input).done;
      assert.equal(run.code, 0, `${kind}: ${run.stderr}`);
      assert.deepEqual(await json(lab, "acl_check", { path: ROOT }), LOCKED);
      // What was created below it inherits the lock: nobody else writes.
      const below = kind === "artifact_dir"
        ? `${ROOT}\\artifacts`
        : `${ROOT}\\run\\${(input as { run_id: string }).run_id}`;
      const child = await json(lab, "acl_check", { path: below }) as {
        writers: unknown[];
      };
      assert.deepEqual(child.writers, [], `${kind}: ${below}`);
    }
    // Negative control: a root someone made before (npm, an older version)
    // inherits ProgramData's rules, and exec leaves it so.
    await Deno.remove(`${lab}/fs`, { recursive: true });
    await Deno.remove(`${lab}/state/acl.json`);
    await Deno.mkdir(`${lab}/fs/C:/ProgramData/win-automation`, {
      recursive: true,
    });
    await script(lab, "exec", { command: "echo hi", run_id: "acl-3" }).done;
    const weak = await json(lab, "acl_check", { path: ROOT }) as {
      protected: boolean;
      owner_sid: string;
      writers: Array<{ identity: string; rights: string; inherited: boolean }>;
    };
    assert.equal(weak.protected, false);
    assert.notEqual(weak.owner_sid, "S-1-5-32-544");
    assert.ok(
      weak.writers.some((w) =>
        w.identity === "BUILTIN\\Users" && w.inherited &&
        w.rights.includes("CreateFiles")
      ),
      JSON.stringify(weak.writers),
    );
  },
);

labTest(
  "powershell root_lock repairs a weak root once (changed acl), then finds it right; what is below inherits the lock",
  async (lab) => {
    await Deno.mkdir(`${lab}/fs/C:/ProgramData/win-automation/playwright`, {
      recursive: true,
    });
    const before = await json(lab, "acl_check", {
      path: `${ROOT}\\playwright`,
    }) as { writers: unknown[] };
    assert.ok(before.writers.length > 0, "negative control: weak before");
    assert.deepEqual(await json(lab, "root_lock", {}), {
      state: "locked",
      changed: ["acl"],
    });
    assert.deepEqual(await json(lab, "acl_check", { path: ROOT }), LOCKED);
    const after = await json(lab, "acl_check", {
      path: `${ROOT}\\playwright`,
    }) as { writers: unknown[]; protected: boolean };
    assert.deepEqual(after.writers, []);
    assert.equal(after.protected, false);
    assert.deepEqual(await json(lab, "root_lock", {}), {
      state: "locked",
      changed: [],
    });
  },
);

labTest(
  "powershell acl_check: LOCAL SERVICE reading is not a writer, LOCAL SERVICE or Users writing are",
  async (lab) => {
    const { plantAcl, LOCKED_ROOT, RIGHTS } = await import("../windows/mod.ts");
    await Deno.mkdir(`${lab}/fs/C:/ProgramData/win-automation/playwright`, {
      recursive: true,
    });
    await plantAcl(lab, ROOT, LOCKED_ROOT);
    const dir = `${ROOT}\\playwright`;
    const rule = (sid: string, rights: number) => ({
      sid,
      rights,
      inheritance: 3,
      propagation: 0,
    });
    await plantAcl(lab, dir, {
      owner: "S-1-5-32-544",
      protected: false,
      rules: [rule("S-1-5-19", RIGHTS.readAndExecute)],
    });
    const reading = await json(lab, "acl_check", { path: dir }) as {
      writers: unknown[];
    };
    assert.deepEqual(reading.writers, []);
    await plantAcl(lab, dir, {
      owner: "S-1-5-32-544",
      protected: false,
      rules: [
        rule("S-1-5-19", RIGHTS.write),
        rule("S-1-5-32-545", RIGHTS.fullControl),
      ],
    });
    const writing = await json(lab, "acl_check", { path: dir }) as {
      writers: Array<{ sid: string; inherited: boolean }>;
    };
    assert.deepEqual(
      writing.writers.map((w) => [w.sid, w.inherited]),
      [["S-1-5-19", false], ["S-1-5-32-545", false]],
    );
  },
);
