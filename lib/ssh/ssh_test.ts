import { assert, rejects } from "@test/assert";
import { DependencyError, TimeoutError } from "../errors/mod.ts";
import type { ProcessRunner, RunResult } from "../process/mod.ts";
import { classifySshResult } from "./classify.ts";
import { SshClient } from "./client.ts";
import { sshOptions, type SshTarget } from "./options.ts";

const enc = new TextEncoder();
const result = (code: number, stderr = "", stdout = ""): RunResult => ({
  code,
  stdout: enc.encode(stdout),
  stderr: enc.encode(stderr),
  truncated: false,
  aborted: false,
});

const target = (stateDir: string): SshTarget => ({
  host: "win.example",
  port: 22555,
  user: "administrator",
  identityFile: "/keys/id",
  connectTimeoutMs: 10_000,
  stateDir,
});

Deno.test("sshOptions() checks host keys, runs in batch mode and multiplexes", () => {
  const args = sshOptions(target("/state")).join(" ");
  for (
    const part of [
      "StrictHostKeyChecking=accept-new",
      "UserKnownHostsFile=/state/known_hosts",
      "BatchMode=yes",
      "ControlMaster=auto",
      "ControlPath=/state/cm/%C",
      "ControlPersist=60",
      "ConnectTimeout=10",
      "IdentityFile=/keys/id",
      "IdentitiesOnly=yes",
      "Port=22555",
    ]
  ) assert.ok(args.includes(part), part);
  assert.ok(!args.includes("StrictHostKeyChecking=no"));
});

Deno.test("classifySshResult() tells connection, host key and auth failures from a remote exit", () => {
  assert.equal(
    classifySshResult(
      result(255, "ssh: connect to host x port 22: Connection refused"),
    ),
    "connection",
  );
  assert.equal(
    classifySshResult(result(255, "Host key verification failed.")),
    "host_key",
  );
  assert.equal(
    classifySshResult(result(255, "x@y: Permission denied (publickey).")),
    "auth",
  );
  assert.equal(classifySshResult(result(255, "")), "none");
  assert.equal(classifySshResult(result(1, "Connection refused")), "none");
});

async function clientWith(runner: ProcessRunner, waits: number[] = []) {
  const dir = await Deno.makeTempDir();
  return new SshClient(target(dir), {
    runner,
    sleep: (ms) => (waits.push(ms), Promise.resolve()),
  });
}

Deno.test("SshClient.run() retries connection failures 3 times then reports the host unreachable", async () => {
  let calls = 0;
  const waits: number[] = [];
  const ssh = await clientWith(() => {
    calls++;
    return Promise.resolve(
      result(
        255,
        "ssh: connect to host win.example port 22555: Connection refused",
      ),
    );
  }, waits);
  const error = await rejects(() => ssh.run("x"));
  assert.ok(error instanceof DependencyError);
  assert.equal(error.exitCode, 3);
  assert.equal(calls, 4);
  assert.deepEqual(waits, [500, 1000, 2000]);
});

Deno.test("SshClient.run() never retries a remote non-zero exit", async () => {
  let calls = 0;
  const ssh = await clientWith(() => {
    calls++;
    return Promise.resolve(result(3, "boom"));
  });
  const r = await ssh.run("x");
  assert.equal(r.code, 3);
  assert.equal(calls, 1);
});

Deno.test("SshClient.run() does not retry a changed host key and says how to fix it", async () => {
  let calls = 0;
  const ssh = await clientWith(() => {
    calls++;
    return Promise.resolve(result(255, "Host key verification failed."));
  });
  const error = await rejects(() => ssh.run("x"));
  assert.ok(error instanceof DependencyError);
  assert.ok((error as Error).message.includes("ssh-keygen -R"));
  assert.equal(calls, 1);
});

Deno.test("SshClient.run() turns its time limit into a TimeoutError (exit 4)", async () => {
  const ssh = await clientWith((_c, _a, o) =>
    new Promise((resolve) => {
      o?.signal?.addEventListener("abort", () =>
        resolve({ ...result(143), aborted: true }));
    })
  );
  const error = await rejects(() => ssh.run("x", { timeoutMs: 20 }));
  assert.ok(error instanceof TimeoutError);
  assert.equal(error.exitCode, 4);
});

Deno.test("SshClient keeps its state directory private (0700)", async () => {
  const ssh = await clientWith(() => Promise.resolve(result(0)));
  await ssh.run("x");
  const info = await Deno.stat(`${ssh.target.stateDir}/cm`);
  assert.equal(info.mode! & 0o777, 0o700);
});

Deno.test("classifySshResult() reads only ssh's own wording: a remote command's stderr never makes a connection failure", () => {
  for (
    const text of [
      "Write-Error : connection timed out",
      "the service timed out",
      "Connection refused",
      "broken pipe",
      "error: connection closed by remote host",
    ]
  ) {
    assert.equal(classifySshResult(result(255, text)), "none", text);
  }
  // Controls: ssh's own lines are still recognised.
  assert.equal(
    classifySshResult(
      result(255, "ssh: connect to host x port 22: Connection timed out"),
    ),
    "connection",
  );
  assert.equal(
    classifySshResult(
      result(
        255,
        "kex_exchange_identification: read: Connection reset by peer",
      ),
    ),
    "connection",
  );
});

Deno.test("classifySshResult() tells a connection that broke after the session opened (dropped)", () => {
  for (
    const text of [
      "Connection to win.example closed by remote host.",
      "client_loop: send disconnect: Broken pipe",
      "Shared connection to win.example closed.",
      "mux_client_read_packet: read header failed: Broken pipe",
    ]
  ) {
    assert.equal(classifySshResult(result(255, text)), "dropped", text);
  }
});

Deno.test("SshClient.run() never retries a connection that broke after the session opened", async () => {
  let calls = 0;
  const ssh = await clientWith(() => {
    calls++;
    return Promise.resolve(
      result(255, "Connection to win.example closed by remote host."),
    );
  });
  const error = await rejects(() => ssh.run("x"));
  assert.ok(error instanceof DependencyError);
  assert.equal(error.fields.state, "dropped");
  assert.equal(calls, 1);
});
