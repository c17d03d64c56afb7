import assert from "node:assert/strict";
import {
  bootstrapArgs,
  shippedPins,
  TEST_NONCE,
  v2Stdin,
} from "./_v2_request.ts";
import { isAlive } from "../linux/mod.ts";
import { listProcesses } from "../windows/mod.ts";

const EMULATOR = new URL("./main.ts", import.meta.url).pathname;
const PINS = JSON.stringify(shippedPins());
const RUN = "fs/C:/ProgramData/win-automation/run";

async function lab(): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "wa-run-" });
  await Deno.mkdir(`${dir}/state`);
  await Deno.mkdir(`${dir}/winbin`);
  // Win32_Process.Create starts `powershell.exe` from winbin, as the lab's
  // own wrapper does (lab/components/files.ts).
  await Deno.writeTextFile(
    `${dir}/winbin/powershell`,
    `#!/bin/sh\nexec "${Deno.execPath()}" run --allow-all --no-prompt --no-config "${EMULATOR}" "$@"\n`,
    { mode: 0o755 },
  );
  return dir;
}

async function call(
  labDir: string,
  kind: string,
  input: unknown,
  env: Record<string, string> = {},
) {
  const output = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-all",
      "--no-prompt",
      "--no-config",
      EMULATOR,
      ...bootstrapArgs(),
    ],
    env: {
      WIN_LAB_DIR: labDir,
      NO_COLOR: "1",
      WIN_LAB_TEST_PINS: PINS,
      ...env,
    },
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const w = output.stdin.getWriter();
  await w.write(v2Stdin(kind, input));
  await w.close();
  const done = await output.output();
  const text = new TextDecoder().decode(done.stdout);
  const lines = text.split("\r\n").filter((l) => l !== "");
  assert.equal(lines[0], `wa:${TEST_NONCE}:begin`, text);
  assert.match(lines.at(-1)!, new RegExp(`^wa:${TEST_NONCE}:exit=`), text);
  return {
    code: done.code,
    lines: lines.slice(1, -1),
    stderr: new TextDecoder().decode(done.stderr),
  };
}

async function waitFor(path: string): Promise<void> {
  for (let i = 0; i < 150; i++) {
    if (await Deno.stat(path).then(() => true, () => false)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no ${path}`);
}

Deno.test("run_start starts the runner once, outside any job; run_follow streams its lines and its end", async () => {
  const dir = await lab();
  try {
    const input = {
      command: "Write-Output one; Write-Warning two; exit 3",
      run_id: "r1",
    };
    const first = await call(dir, "run_start", input, {
      WIN_LAB_JOB: "session-1",
    });
    const answer = JSON.parse(first.lines[0]!);
    assert.equal(answer.state, "started");
    const again = await call(dir, "run_start", input);
    assert.deepEqual(JSON.parse(again.lines[0]!), { state: "exists" });
    await waitFor(`${dir}/${RUN}/r1/finished`);
    // The runner was made by WMI, not the session: no job, creator wmi.
    const record = (await listProcesses(dir)).find((p) => p.pid === answer.pid);
    assert.equal(record?.creator, "wmi");
    assert.equal(record?.job, undefined);
    const follow = await call(dir, "run_follow", {
      run_id: "r1",
      stdout_offset: 0,
      stderr_offset: 0,
      wait_ms: 1000,
      timeout_ms: 0,
    });
    assert.deepEqual(follow.lines.slice(0, 2), [
      "o 5 one",
      "e 14 WARNING: two",
    ]);
    const status = JSON.parse(follow.lines[2]!.slice(2));
    assert.equal(status.state, "finished");
    assert.equal(status.exit_code, 3);
    // From the offsets already read: nothing again, only the status.
    const rest = await call(dir, "run_follow", {
      run_id: "r1",
      stdout_offset: 5,
      stderr_offset: 14,
      wait_ms: 0,
      timeout_ms: 0,
    });
    assert.equal(rest.lines.length, 1);
    // The runner ran once: one journal line of kind runner.
    const journal = (await Deno.readTextFile(`${dir}/journal.jsonl`)).trim()
      .split("\n").map((l) => JSON.parse(l));
    assert.equal(journal.filter((e) => e.kind === "runner").length, 1);
    assert.ok(!isAlive(answer.pid));
    const list = await call(dir, "run_list", {});
    assert.deepEqual(
      list.lines.map((l) => {
        const r = JSON.parse(l);
        return [r.run_id, r.state, r.exit_code];
      }),
      [["r1", "finished", 3]],
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("run_follow says not_found for a run never started, and running when its wait ends first", async () => {
  const dir = await lab();
  try {
    const none = await call(dir, "run_follow", {
      run_id: "nope",
      stdout_offset: 0,
      stderr_offset: 0,
      wait_ms: 0,
      timeout_ms: 0,
    });
    assert.deepEqual(none.lines, ['x {"state":"not_found"}']);
    await call(dir, "run_start", {
      command: "Start-Sleep -Seconds 3",
      run_id: "slow",
    });
    const running = await call(dir, "run_follow", {
      run_id: "slow",
      stdout_offset: 0,
      stderr_offset: 0,
      wait_ms: 300,
      timeout_ms: 0,
    });
    assert.equal(JSON.parse(running.lines.at(-1)!.slice(2)).state, "running");
    const timedOut = await call(dir, "run_follow", {
      run_id: "slow",
      stdout_offset: 0,
      stderr_offset: 0,
      wait_ms: 5000,
      timeout_ms: 500,
    });
    assert.equal(JSON.parse(timedOut.lines.at(-1)!.slice(2)).state, "timeout");
    const killed = await call(dir, "kill", { run_id: "slow" });
    assert.deepEqual(JSON.parse(killed.lines[0]!), { state: "killed" });
    const after = await call(dir, "run_follow", {
      run_id: "slow",
      stdout_offset: 0,
      stderr_offset: 0,
      wait_ms: 0,
      timeout_ms: 0,
    });
    assert.equal(JSON.parse(after.lines.at(-1)!.slice(2)).state, "killed");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("powershell -File refuses a script that is not the pinned runner", async () => {
  const dir = await lab();
  try {
    await Deno.mkdir(`${dir}/fs/C:/x`, { recursive: true });
    await Deno.writeTextFile(
      `${dir}/fs/C:/x/runner.ps1`,
      "# win-automation runner v1\nexit 0\r\n",
    );
    const out = await new Deno.Command(`${dir}/winbin/powershell`, {
      args: [
        "-NoProfile",
        "-ExecutionPolicy",
        "Bypass",
        "-File",
        "C:\\x\\runner.ps1",
      ],
      env: { WIN_LAB_DIR: dir, WIN_LAB_TEST_PINS: PINS },
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.equal(out.code, 1);
    assert.match(
      new TextDecoder().decode(out.stderr),
      /is not the pinned runner/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
