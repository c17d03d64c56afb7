import { assert, rejects } from "@test/assert";
import {
  DependencyError,
  OperationalError,
  TimeoutError,
} from "../errors/mod.ts";
import type { ProcessRunner, RunResult } from "../process/mod.ts";
import { SshClient } from "../ssh/mod.ts";
import { attachRun, RunHandedOver, windowsExec } from "./run.ts";

const enc = new TextEncoder();

/** What the fake Windows saw: each request's kind and input. */
interface Seen {
  kind: string;
  input: Record<string, unknown>;
}

function decodeRequest(stdin: Uint8Array): Seen & { nonce: string } {
  const [script, data] = new TextDecoder().decode(stdin).trim().split("\n");
  const text = new TextDecoder().decode(
    Uint8Array.from(atob(script!), (c) => c.charCodeAt(0)),
  );
  const kind = /^# win-automation script: ([a-z_]+) v2/.exec(text)![1]!;
  const json = JSON.parse(
    new TextDecoder().decode(
      Uint8Array.from(atob(data!), (c) => c.charCodeAt(0)),
    ),
  );
  return { kind, input: json.input, nonce: json.nonce };
}

type Answer =
  | { lines: string[]; code?: number }
  | { dropAfter: string[] }
  | { refused: true };

/** A fake ssh: `answer` decides what Windows prints for each request. */
function fakeSsh(answer: (seen: Seen, n: number) => Answer) {
  const seen: Seen[] = [];
  const runner: ProcessRunner = (_cmd, _args, options = {}) => {
    const req = decodeRequest(options.stdin!);
    seen.push({ kind: req.kind, input: req.input });
    const a = answer(req, seen.length);
    const result = (code: number, stdout: string, stderr = ""): RunResult => {
      const bytes = enc.encode(stdout);
      options.onStdout?.(bytes);
      return {
        code,
        stdout: bytes,
        stderr: enc.encode(stderr),
        truncated: false,
        aborted: false,
      };
    };
    if ("refused" in a) {
      return Promise.resolve(
        result(255, "", "ssh: connect to host w port 22: Connection refused\n"),
      );
    }
    const begin = `wa:${req.nonce}:begin\r\n`;
    if ("dropAfter" in a) {
      return Promise.resolve(
        result(
          255,
          begin + a.dropAfter.map((l) => l + "\r\n").join(""),
          "Connection to w closed by remote host.\n",
        ),
      );
    }
    return Promise.resolve(
      result(
        0,
        begin + a.lines.map((l) => l + "\r\n").join("") +
          `wa:${req.nonce}:exit=${a.code ?? 0}\r\n`,
      ),
    );
  };
  return { runner, seen };
}

async function client(runner: ProcessRunner) {
  const dir = await Deno.makeTempDir();
  return new SshClient({
    host: "w",
    port: 22,
    user: "u",
    identityFile: "",
    connectTimeoutMs: 1000,
    stateDir: dir,
  }, { runner, sleep: () => Promise.resolve() });
}

const noWait = { sleep: () => Promise.resolve() };

Deno.test("windowsExec() re-attaches after a dropped connection from the offsets it read, and never starts the run again", async () => {
  const { runner, seen } = fakeSsh((s, n) => {
    if (s.kind === "run_start") {
      return { lines: ['{"state":"started","pid":7}'] };
    }
    if (n === 2) return { dropAfter: ["o 5 one"] };
    return {
      lines: ["o 11 three", 'x {"state":"finished","exit_code":0}'],
    };
  });
  const lines: string[] = [];
  const result = await windowsExec(await client(runner), "cmd", {
    runId: "r1",
    timeoutMs: 10_000,
    onLine: (stream, line) => lines.push(`${stream}:${line}`),
    ...noWait,
  });
  assert.equal(result.exitCode, 0);
  assert.equal(result.stdout, "one\nthree\n");
  assert.equal(result.reattached, 1);
  assert.deepEqual(lines, ["stdout:one", "stdout:three"]);
  assert.deepEqual(seen.map((s) => s.kind), [
    "run_start",
    "run_follow",
    "run_follow",
  ]);
  assert.equal(seen[2]!.input.stdout_offset, 5, "resumed after what it read");
});

Deno.test("windowsExec() asks run_start again after a drop while starting; an existing run is attached, not started", async () => {
  const { runner, seen } = fakeSsh((s, n) => {
    if (s.kind === "run_start" && n === 1) return { dropAfter: [] };
    if (s.kind === "run_start") return { lines: ['{"state":"exists"}'] };
    return { lines: ['x {"state":"finished","exit_code":4}'] };
  });
  const result = await windowsExec(await client(runner), "cmd", {
    runId: "r2",
    timeoutMs: 10_000,
    ...noWait,
  });
  assert.equal(result.exitCode, 4);
  // Both start requests carry the same run id: Windows starts it at most once.
  assert.deepEqual(
    seen.filter((s) => s.kind === "run_start").map((s) => s.input.run_id),
    ["r2", "r2"],
  );
});

Deno.test("attachRun() says the outcome is unknown (exit 3, naming the run id) when the host stays unreachable", async () => {
  const { runner } = fakeSsh((_s, n) =>
    n === 1 ? { dropAfter: [] } : { refused: true }
  );
  const err = await rejects(async () =>
    attachRun(await client(runner), "r3", { timeoutMs: 0, ...noWait })
  );
  assert.ok(err instanceof DependencyError);
  assert.equal(err.exitCode, 3);
  assert.match(err.message, /outcome is unknown/);
  assert.match(err.message, /--run r3/);
  assert.equal(err.fields.run_id, "r3");
});

Deno.test("attachRun() gives up after the retry policy when every follow call drops", async () => {
  const { runner, seen } = fakeSsh(() => ({ dropAfter: [] }));
  const err = await rejects(async () =>
    attachRun(await client(runner), "r4", { timeoutMs: 0, ...noWait })
  );
  assert.ok(err instanceof DependencyError);
  assert.equal(seen.length, 4, "the first try and three re-attaches");
});

Deno.test("attachRun() reports lost, killed and not_found runs as such, and a run past its timeout as a TimeoutError", async () => {
  for (
    const [state, type] of [
      ["lost", OperationalError],
      ["killed", OperationalError],
      ["not_found", OperationalError],
      ["timeout", TimeoutError],
    ] as const
  ) {
    const { runner, seen } = fakeSsh((s) =>
      s.kind === "kill"
        ? { lines: ['{"state":"killed"}'] }
        : { lines: [`x {"state":"${state}"}`] }
    );
    const err = await rejects(async () =>
      attachRun(await client(runner), "r5", {
        timeoutMs: 1000,
        stopOnTimeout: true,
        ...noWait,
      })
    );
    assert.ok(err instanceof type, `${state}: ${err}`);
    assert.equal((err as OperationalError).fields.state, state);
    assert.equal(
      seen.some((s) => s.kind === "kill"),
      state === "timeout",
      `${state}: the process tree is stopped only at the run's timeout`,
    );
  }
});

Deno.test("attachRun() refuses a run id that could not be a folder name", async () => {
  const { runner } = fakeSsh(() => ({ lines: [] }));
  const err = await rejects(async () =>
    attachRun(await client(runner), "../x", { timeoutMs: 0 })
  );
  assert.ok(err instanceof RangeError);
});

Deno.test("attachRun() stops the run on a cancel, but not when the job was handed to another attempt (RunHandedOver)", async () => {
  for (const handedOver of [false, true]) {
    const controller = new AbortController();
    const { runner, seen } = fakeSsh((s) => {
      if (s.kind === "kill") return { lines: ['{"state":"killed"}'] };
      // The cancel arrives while the run is followed.
      controller.abort(
        handedOver
          ? new RunHandedOver("the engine handed the job to another attempt")
          : new Error("cancelled"),
      );
      return { lines: ['x {"state":"running"}'] };
    });
    const err = await rejects(async () =>
      attachRun(await client(runner), "r6", {
        timeoutMs: 1000,
        signal: controller.signal,
        ...noWait,
      })
    );
    assert.equal(err instanceof RunHandedOver, handedOver, String(err));
    assert.equal(
      seen.some((s) => s.kind === "kill"),
      !handedOver,
      `handedOver=${handedOver}: the tree is stopped only on a real cancel`,
    );
  }
});
