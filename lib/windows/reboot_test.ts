import { assert } from "@test/assert";
import { TimeoutError } from "../errors/mod.ts";
import type { ProcessRunner, RunResult } from "../process/mod.ts";
import { SshClient } from "../ssh/mod.ts";
import { decodeRequest, frameAnswer } from "../../tests/_fake_windows.ts";
import { REBOOT_DELAY_S, rebootAndWait, waitForNewBoot } from "./reboot.ts";

const OLD = "2026-01-01T00:00:00.0000000Z";
const NEW = "2026-01-02T00:00:00.0000000Z";

type Step = { boot: string } | "refused";

/** A Windows whose `version` answers follow `steps`; every request is kept. */
function fakeWindows(steps: Step[], reboot?: Record<string, string>) {
  const seen: { kind: string; input: Record<string, unknown> }[] = [];
  const result = (code: number, stdout: Uint8Array, err = ""): RunResult => ({
    code,
    stdout,
    stderr: new TextEncoder().encode(err),
    truncated: false,
    aborted: false,
  });
  const runner: ProcessRunner = (_cmd, _args, options) => {
    const request = decodeRequest(options?.stdin);
    seen.push({ kind: request.kind, input: request.input });
    if (request.kind === "reboot") {
      return Promise.resolve(
        result(0, frameAnswer(request.nonce, JSON.stringify(reboot))),
      );
    }
    // The last step repeats.
    const step = (steps.length > 1 ? steps.shift() : steps[0]) ?? "refused";
    if (step === "refused") {
      return Promise.resolve(
        result(
          255,
          new Uint8Array(),
          "ssh: connect to host h port 22: Connection refused",
        ),
      );
    }
    return Promise.resolve(
      result(
        0,
        frameAnswer(request.nonce, JSON.stringify({ last_boot: step.boot })),
      ),
    );
  };
  return { runner, seen };
}

async function client(runner: ProcessRunner) {
  const dir = await Deno.makeTempDir();
  const ssh = new SshClient({
    host: "h",
    port: 22,
    user: "u",
    identityFile: "",
    connectTimeoutMs: 1000,
    stateDir: `${dir}/s`,
  }, { runner, retryDelaysMs: [] });
  return { ssh, dir };
}

/** A clock that only moves when the fake sleep is called. */
function fakeTime() {
  let t = 0;
  return {
    now: () => t,
    sleep: (ms: number) => {
      t += ms;
      return Promise.resolve();
    },
  };
}

Deno.test("waitForNewBoot() keeps probing through the old boot time and refused connections, and returns the new one", async () => {
  const { runner, seen } = fakeWindows([
    { boot: OLD },
    "refused",
    { boot: OLD },
    { boot: NEW },
  ]);
  const { ssh, dir } = await client(runner);
  try {
    const boot = await waitForNewBoot(ssh, OLD, {
      timeoutMs: 60_000,
      ...fakeTime(),
    });
    assert.equal(boot, NEW);
    assert.equal(seen.length, 4);
    assert.ok(seen.every((s) => s.kind === "version"));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("waitForNewBoot() times out (exit 4) when ssh answers with the same boot time; a changed one is the negative control", async () => {
  const { runner } = fakeWindows([{ boot: OLD }]);
  const { ssh, dir } = await client(runner);
  try {
    const error = await waitForNewBoot(ssh, OLD, {
      timeoutMs: 10_000,
      ...fakeTime(),
    }).catch((e) => e);
    assert.ok(error instanceof TimeoutError, String(error));
    assert.equal(error.exitCode, 4);
    assert.ok(error.message.includes("no new boot time within 10s"));
    assert.ok(error.message.includes(`last_boot still ${OLD}`));
    const other = fakeWindows([{ boot: OLD }, { boot: NEW }]);
    const ok = await client(other.runner);
    try {
      assert.equal(
        await waitForNewBoot(ok.ssh, OLD, {
          timeoutMs: 10_000,
          ...fakeTime(),
        }),
        NEW,
      );
    } finally {
      await Deno.remove(ok.dir, { recursive: true });
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("rebootAndWait() asks once with its request id and the fixed delay, then waits for the request's boot time to change", async () => {
  const { runner, seen } = fakeWindows([{ boot: OLD }, { boot: NEW }], {
    state: "requested",
    last_boot: OLD,
    requested_boot: OLD,
  });
  const { ssh, dir } = await client(runner);
  try {
    const result = await rebootAndWait(ssh, {
      requestId: "job-1",
      timeoutMs: 60_000,
      ...fakeTime(),
    });
    assert.deepEqual(result, {
      state: "completed",
      previousBoot: OLD,
      lastBoot: NEW,
      alreadyRequested: false,
    });
    assert.deepEqual(seen.filter((s) => s.kind === "reboot"), [{
      kind: "reboot",
      input: { request_id: "job-1", delay_s: REBOOT_DELAY_S },
    }]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("rebootAndWait() of a request whose restart already happened reports completed without waiting; without wait it only asks", async () => {
  const done = fakeWindows([], {
    state: "already_requested",
    last_boot: NEW,
    requested_boot: OLD,
  });
  const a = await client(done.runner);
  const asked = fakeWindows([], {
    state: "requested",
    last_boot: OLD,
    requested_boot: OLD,
  });
  const b = await client(asked.runner);
  try {
    const result = await rebootAndWait(a.ssh, {
      requestId: "job-1",
      timeoutMs: 60_000,
    });
    assert.equal(result.state, "completed");
    assert.equal(result.lastBoot, NEW);
    assert.equal(result.alreadyRequested, true);
    assert.deepEqual(done.seen.map((s) => s.kind), ["reboot"]);

    const only = await rebootAndWait(b.ssh, {
      requestId: "job-2",
      timeoutMs: 60_000,
      wait: false,
    });
    assert.deepEqual(only, {
      state: "requested",
      previousBoot: OLD,
      alreadyRequested: false,
    });
    assert.deepEqual(asked.seen.map((s) => s.kind), ["reboot"]);
  } finally {
    await Deno.remove(a.dir, { recursive: true });
    await Deno.remove(b.dir, { recursive: true });
  }
});
