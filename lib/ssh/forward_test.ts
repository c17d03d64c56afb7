import { assert, rejects } from "@test/assert";
import { ConfigError, DependencyError } from "../errors/mod.ts";
import type { RunResult } from "../process/mod.ts";
import { SshClient } from "./client.ts";
import { forwardSocketPath, forwardSpec } from "./forward.ts";

const result = (code: number, stderr = ""): RunResult => ({
  code,
  stdout: new Uint8Array(),
  stderr: new TextEncoder().encode(stderr),
  truncated: false,
  aborted: false,
});

/** A client whose ssh is a script of answers; records each call's args. */
async function scripted(answer: (args: string[]) => RunResult) {
  const stateDir = await Deno.makeTempDir();
  const calls: string[][] = [];
  const ssh = new SshClient({
    host: "win.example",
    port: 22555,
    user: "administrator",
    identityFile: "",
    connectTimeoutMs: 1000,
    stateDir,
  }, {
    runner: (_program, args) => {
      calls.push(args);
      return Promise.resolve(answer(args));
    },
    sleep: () => Promise.resolve(),
  });
  return { ssh, calls, stateDir };
}

const op = (args: string[]) => {
  const i = args.indexOf("-O");
  return i < 0 ? (args.includes("-N") ? "master" : "run") : args[i + 1]!;
};

Deno.test("forward() starts a master when none answers, forwards a 0600 socket in <state_dir>/fw (0700), and close() cancels the same spec and removes the file", async () => {
  let master = false;
  const { ssh, calls, stateDir } = await scripted((args) => {
    const o = op(args);
    if (o === "check") return result(master ? 0 : 255);
    if (o === "master") return (master = true, result(0));
    return result(0);
  });
  const fw = await ssh.forward("127.0.0.1", 9323);
  const ops = calls.map(op);
  assert.deepEqual(ops.slice(0, 2), ["check", "master"]);
  assert.equal(ops.at(-1), "forward");
  assert.ok(ops.slice(2, -1).every((o) => o === "check"), ops.join());
  assert.match(fw.path, new RegExp(`^${stateDir}/fw/[0-9a-f]{16}\\.sock$`));
  assert.equal((await Deno.stat(`${stateDir}/fw`)).mode! & 0o777, 0o700);
  const forward = calls.at(-1)!;
  assert.equal(forward[forward.indexOf("-L") + 1], `${fw.path}:127.0.0.1:9323`);
  assert.ok(forward.includes("StreamLocalBindMask=0177"));
  assert.ok(calls[1]!.includes("ControlMaster=yes"));
  await Deno.writeTextFile(fw.path, ""); // what the master would leave
  await fw.close();
  await fw.close(); // idempotent
  const cancel = calls.filter((c) => op(c) === "cancel");
  assert.equal(cancel.length, 1);
  assert.equal(
    cancel[0]![cancel[0]!.indexOf("-L") + 1],
    `${fw.path}:127.0.0.1:9323`,
  );
  assert.equal(await Deno.stat(fw.path).then(() => true, () => false), false);
  await Deno.remove(stateDir, { recursive: true });
});

Deno.test("forward() with a running master only checks and forwards; a refused forward is a DependencyError (exit 3) that leaves no socket", async () => {
  const ok = await scripted(() => result(0));
  await (await ok.ssh.forward("127.0.0.1", 7887)).close();
  assert.deepEqual(ok.calls.map(op), ["check", "forward", "cancel"]);
  const refused = await scripted((args) =>
    op(args) === "forward"
      ? result(255, "mux_client_forward: forwarding request failed")
      : result(0)
  );
  const error = await rejects(() => refused.ssh.forward("127.0.0.1", 7887));
  assert.ok(error instanceof DependencyError);
  assert.equal(error.exitCode, 3);
  assert.match(
    error.message,
    /Cannot forward to 127\.0\.0\.1:7887 on the Windows side through win\.example:22555: .*forwarding request failed/,
  );
  assert.deepEqual(
    await Array.fromAsync(Deno.readDir(`${refused.stateDir}/fw`)),
    [],
  );
});

Deno.test("forwardSpec() brackets IPv6 hosts; forwardSocketPath() refuses a directory ssh or ws+unix: could not name", () => {
  assert.equal(
    forwardSpec("/s/fw/a.sock", "::1", 9323),
    "/s/fw/a.sock:[::1]:9323",
  );
  assert.equal(
    forwardSpec("/s/fw/a.sock", "127.0.0.1", 9323),
    "/s/fw/a.sock:127.0.0.1:9323",
  );
  for (const bad of ["/st:ate/fw", "/st#ate/fw", "/st?ate/fw"]) {
    const e = (() => {
      try {
        forwardSocketPath(bad);
      } catch (error) {
        return error;
      }
    })();
    assert.ok(e instanceof ConfigError, bad);
  }
  assert.notEqual(forwardSocketPath("/s/fw"), forwardSocketPath("/s/fw"));
});
