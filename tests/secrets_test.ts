import { assert, assertIncludes } from "@test/assert";
import { runCli } from "./_cli.ts";
import { labOnly, targetEnv } from "./_target.ts";
import { startWorker } from "./_worker.ts";
import { pageUrl } from "./_playwright.ts";
import { unzip } from "./_zip.ts";
import { findSecrets, findSecretsInBytes } from "./_secret_scan.ts";
import {
  memoryEnv,
  type ProcSample,
  sample,
  watchProcesses,
} from "./_proc_watch.ts";
import { labPaths, readJournal } from "../lab/mod.ts";
import { CHILD_ENV_NAMES } from "../lib/process/mod.ts";
import { loadConfig } from "../lib/config/mod.ts";
import { connectHatchet, hatchetLogApi } from "../lib/hatchet/mod.ts";
import { Logger } from "../lib/log/mod.ts";

const ROOT = new URL("..", import.meta.url).pathname;

/** The lab's real secrets: a Hatchet JWT and the Playwright ws path. */
function secretsOf(
  env: Record<string, string>,
): { token: string; ws_path: string } {
  const token = env.WIN_AUTOMATION_HATCHET_TOKEN ?? "";
  const wsPath = env.WIN_AUTOMATION_PLAYWRIGHT_WS_PATH ?? "";
  assert.equal(token.split(".").length, 3, "the token is a real JWT");
  assert.ok(wsPath.length >= 16, "the lab has a ws path");
  return { token, ws_path: wsPath };
}

function b64(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes));
}
function utf16(text: string): Uint8Array {
  const out = new Uint8Array(text.length * 2);
  for (let i = 0; i < text.length; i++) out[2 * i] = text.charCodeAt(i);
  return out;
}
const enc = (t: string) => new TextEncoder().encode(t);

/** `<what>: <finding>` for every secret found, for one assertion message. */
function scan(
  what: string,
  text: string,
  secrets: Record<string, string>,
): string[] {
  return findSecrets(text, secrets).map((f) => `${what}: ${f}`);
}

Deno.test("the detector finds a planted secret in each encoding, and nothing in clean text", () => {
  const secrets = { s: `sec-${crypto.randomUUID()}/+?&=` };
  const s = secrets.s;
  const planted: Record<string, string> = {
    plain: `x ${s} y`,
    json: JSON.stringify({ v: s }).replaceAll("/", "\\/"),
    url: `http://h/?v=${encodeURIComponent(s)}`,
    base64: b64(enc(s)),
    base64_offset: b64(enc(`ab${s}`)),
    base64_url: b64(enc(`a${s}`)).replaceAll("+", "-").replaceAll("/", "_"),
    encoded_command: `-EncodedCommand ${b64(utf16(`$x = '${s}'`))}`,
    url_of_base64: encodeURIComponent(b64(enc(s))),
  };
  for (const [how, text] of Object.entries(planted)) {
    assert.ok(findSecrets(text, secrets).length > 0, `missed ${how}: ${text}`);
  }
  assert.deepEqual(
    findSecrets(`clean ${b64(enc("other text"))} %41 \\u0041`, secrets),
    [],
  );
});

Deno.test(
  labOnly(
    "the process inspection finds a planted secret in a child's argv and environ, and in a ControlMaster's memory",
  ),
  async () => {
    const env = await targetEnv();
    const secrets = secretsOf(env);
    const child = new Deno.Command("/bin/sh", {
      args: [
        "-c",
        "sleep 30; :",
        "sh",
        "-EncodedCommand",
        b64(utf16(`'${secrets.ws_path}'`)),
      ],
      clearEnv: true,
      env: { PLANTED: b64(enc(secrets.token)) },
    }).spawn();
    try {
      let s = sample(child.pid, false);
      while (!s.argv.includes("-EncodedCommand")) {
        await new Promise((r) => setTimeout(r, 10)); // until exec is done
        s = sample(child.pid, false);
      }
      assert.ok(
        findSecrets(s.argv.join("\n"), secrets).includes("ws_path:base64"),
      );
      assert.ok(
        findSecrets(s.env.join("\n"), secrets).includes("token:base64"),
      );
    } finally {
      child.kill("SIGKILL");
      await child.status;
    }
    // A master started with a secret in its environment: found by its socket
    // and by its memory (the CLI's masters title themselves "[mux]", which
    // overwrites their environ area, so memory is what the checks read).
    const dir = await Deno.makeTempDir({ dir: "/tmp", prefix: "wa-cm-" });
    const paths = labPaths();
    const opts = [
      "-o",
      `ControlPath=${dir}/m`,
      "-o",
      `Port=${env.WIN_AUTOMATION_WINDOWS_SSH_PORT}`,
      "-o",
      `User=${env.WIN_AUTOMATION_WINDOWS_SSH_USER}`,
      "-o",
      `IdentityFile=${paths.clientKey}`,
      "-o",
      "BatchMode=yes",
      "-o",
      "StrictHostKeyChecking=no",
      "-o",
      `UserKnownHostsFile=${dir}/kh`,
    ];
    const started = await new Deno.Command("/usr/bin/ssh", {
      args: [
        ...opts,
        "-o",
        "ControlMaster=yes",
        "-o",
        "ControlPersist=30",
        "-fN",
        "127.0.0.1",
      ],
      clearEnv: true,
      env: { PATH: "/usr/bin:/bin", WIN_AUTOMATION_PLANTED: secrets.token },
      stdin: "null",
      stdout: "null",
      stderr: "piped",
    }).output();
    assert.equal(started.code, 0, new TextDecoder().decode(started.stderr));
    try {
      const watch = watchProcesses(dir);
      await new Promise((r) => setTimeout(r, 100));
      const masters = (await watch.stop()).filter((p) => p.master);
      assert.equal(
        masters.length,
        1,
        "the planted master is found by its socket",
      );
      const master = masters[0]!;
      assert.ok(
        master.env.some((e) => e.startsWith("WIN_AUTOMATION_PLANTED=")),
      );
      assert.ok(
        findSecrets(memoryEnv(master.pid).join("\n"), secrets).includes(
          "token:plain",
        ),
      );
    } finally {
      await new Deno.Command("/usr/bin/ssh", {
        args: [...opts, "-O", "exit", "127.0.0.1"],
        stdout: "null",
        stderr: "null",
      }).output();
      await Deno.remove(dir, { recursive: true });
    }
  },
);

Deno.test(
  labOnly(
    "without win-automation's scrub, DEBUG=* makes the Hatchet SDK print the bearer token and DEBUG=pw:* the ws path (what the debug tests guard against)",
  ),
  async () => {
    const env = await targetEnv();
    const secrets = secretsOf(env);
    const probe = async (what: string, extra: Record<string, string>) => {
      const out = await new Deno.Command(Deno.execPath(), {
        args: [
          "run",
          "-A",
          "--quiet",
          `${ROOT}tests/fixtures/debug_probe.ts`,
          what,
        ],
        cwd: ROOT,
        env: { ...env, ...extra },
        stdout: "piped",
        stderr: "piped",
      }).output();
      const dec = new TextDecoder();
      assert.equal(out.code, 0, dec.decode(out.stderr).slice(-2000));
      return dec.decode(out.stdout) + dec.decode(out.stderr);
    };
    const sdk = await probe("sdk", { DEBUG: "*" });
    assertIncludes(sdk, "Bearer");
    assert.ok(findSecrets(sdk, secrets).includes("token:plain"));
    const nodeDebug = await probe("sdk", { NODE_DEBUG: "http,net,tls,http2" });
    assert.ok(findSecrets(nodeDebug, secrets).includes("token:plain"));
    const pw = await probe("pw", { DEBUG: "pw:*" });
    assert.ok(findSecrets(pw, secrets).includes("ws_path:plain"));
    // And the same probes without the variables print nothing secret.
    assert.deepEqual(findSecrets(await probe("sdk", {}), secrets), []);
  },
);

/** Every file under `dir`, recursively. */
async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for await (const entry of Deno.readDir(dir)) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory) out.push(...await filesUnder(path));
    else if (entry.isFile) out.push(path);
  }
  return out;
}

/** Closes the lab's ControlMasters, so the ones seen later are born in this test. */
async function closeMasters(controlDir: string): Promise<void> {
  const names: string[] = [];
  try {
    for (const e of Deno.readDirSync(controlDir)) names.push(e.name);
  } catch { /* none yet */ }
  for (const name of names) {
    await new Deno.Command("/usr/bin/ssh", {
      args: ["-o", `ControlPath=${controlDir}/${name}`, "-O", "exit", "x"],
      stdout: "null",
      stderr: "null",
    }).output();
  }
}

const WS_FILE = "C:\\ProgramData\\win-automation\\playwright\\ws_path.txt";

Deno.test(
  labOnly(
    "no sink holds the real token or ws path: children's argv and environ (ControlMaster too), the journal's scripts, output under debug variables, artifacts, manifests, metrics, worker logs, Hatchet's stored outputs, errors and task logs",
  ),
  async () => {
    const env = await targetEnv();
    const secrets = secretsOf(env);
    const findings: string[] = [];
    let seen = "";
    const controlDir = `${env.WIN_AUTOMATION_STATE_DIR}/cm`;
    await closeMasters(controlDir);
    const before = (await readJournal()).length;
    const watch = watchProcesses(controlDir);
    const jobIds = new Set<string>();
    const cli = async (args: string[], extra: Record<string, string> = {}) => {
      const r = await runCli(args, { ...env, ...extra });
      seen += r.stdout + r.stderr;
      findings.push(
        ...scan(
          `${args.join(" ")} ${JSON.stringify(extra)}`,
          r.stdout + r.stderr,
          secrets,
        ),
      );
      for (
        const m of (r.stdout + r.stderr).matchAll(/job_id=([0-9a-f-]{36})/g)
      ) jobIds.add(m[1]!);
      return r;
    };
    let samples: ProcSample[] = [];
    try {
      // The remote side hands the ws path back (the server's own file):
      // every sink downstream must redact it.
      const read = await cli([
        "windows",
        "exec",
        "--",
        `Get-Content ${WS_FILE}`,
      ]);
      assert.equal(read.code, 0, read.stderr);
      assertIncludes(read.stdout, "stdout=<redacted>");
      const raw = await cli([
        "windows",
        "exec",
        "--raw",
        "--",
        `Get-Content ${WS_FILE}`,
      ]);
      assertIncludes(raw.stdout, "<redacted>");
      assert.equal(
        (await cli(["windows", "exec", "--raw", "--", "exit 5"])).code,
        1,
      );
      // The mirror uploads the job root with scp -r.
      const mirrored = await cli(["windows", "exec", "--", "echo ok"], {
        WIN_AUTOMATION_ARTIFACT_MIRROR: "on",
      });
      assert.equal(mirrored.code, 0, mirrored.stderr);
      await cli(["config", "show"]);
      assertIncludes(seen, "value=<redacted>");
      await cli(["aloha", "run", "--task", "x", "--wait"]);
      assert.equal((await cli(["playwright", "install"])).code, 0);

      const debugEnvs: Record<string, string>[] = [
        {},
        { DEBUG: "*", GRPC_TRACE: "all", GRPC_VERBOSITY: "DEBUG" },
        { DEBUG: "pw:*", PWDEBUG: "1" },
        { NODE_DEBUG: "http,net,tls,http2" },
      ];
      const worker = await startWorker(
        { ...env, DEBUG: "*", GRPC_TRACE: "all", GRPC_VERBOSITY: "DEBUG" },
        ["--metrics", "--metrics-interval", "1s"],
      );
      try {
        for (const extra of debugEnvs) {
          const refused = "NODE_DEBUG" in extra;
          const runs = [
            ["doctor"],
            ["playwright", "health"],
            [
              "playwright",
              "run",
              "--url",
              pageUrl(env),
              "--screenshot",
              "--trace",
            ],
            ["playwright", "run", "--url", "http://127.0.0.1:1/"],
            [
              "jobs",
              "enqueue",
              "--type",
              "windows.exec",
              "--cmd",
              `Get-Content ${WS_FILE}`,
            ],
          ];
          for (const args of runs) {
            const r = await cli(args, extra);
            if (refused) {
              assert.equal(r.code, 2, r.stderr);
              assertIncludes(r.stderr, "config error: NODE_DEBUG is set");
            }
          }
          if (refused) continue;
          const id = [...jobIds].pop()!;
          const done = await cli([
            "jobs",
            "status",
            "--id",
            id,
            "--watch",
            "--timeout",
            "2m",
          ], extra);
          assertIncludes(done.stdout, "state=completed");
          const slow = await cli([
            "jobs",
            "enqueue",
            "--type",
            "windows.exec",
            "--cmd",
            "Start-Sleep 20",
          ], extra);
          const slowId = slow.stdout.match(/job_id=([0-9a-f-]{36})/)?.[1];
          assert.ok(slowId, slow.stderr);
          await cli(["jobs", "cancel", "--id", slowId], extra);
        }
        for (
          const [type, flags] of [
            ["windows.exec", ["--cmd", "exit 3"]],
            ["aloha.run", ["--task", "open notepad"]],
            ["playwright.run", [
              "--url",
              pageUrl(env),
              "--screenshot",
              "--trace",
            ]],
          ] as const
        ) {
          const q = await cli(["jobs", "enqueue", "--type", type, ...flags]);
          const id = q.stdout.match(/job_id=([0-9a-f-]{36})/)?.[1];
          assert.ok(id, q.stderr);
          await cli([
            "jobs",
            "status",
            "--id",
            id,
            "--watch",
            "--timeout",
            "2m",
          ]);
        }
        for (const id of jobIds) {
          await cli(["jobs", "status", "--id", id, "--json"]);
        }
      } finally {
        assert.equal(await worker.stop(), 0);
        const logs = worker.stdout() + worker.stderr();
        seen += logs;
        findings.push(...scan("worker output", logs, secrets));
        assertIncludes(worker.stdout(), "metric=jobs_completed_total");
      }
    } finally {
      samples = await watch.stop();
    }
    // Negative control of the process checks: they saw real children.
    const kinds = (p: ProcSample) => p.master ? "master" : p.comm;
    for (const kind of ["ssh", "scp", "master"]) {
      assert.ok(
        samples.some((p) => kinds(p) === kind),
        `saw no ${kind} process`,
      );
    }
    for (const p of samples) {
      const what = `${kinds(p)} pid ${p.pid}`;
      findings.push(...scan(`${what} argv`, p.argv.join("\n"), secrets));
      findings.push(...scan(`${what} env`, p.env.join("\n"), secrets));
      const names = p.env.map((e) => e.slice(0, e.indexOf("=")));
      if (!p.master) {
        const extra = names.filter((n) => !CHILD_ENV_NAMES.includes(n));
        assert.deepEqual(extra, [], `${what} got ${extra.join(",")}`);
      }
      assert.ok(
        !names.some((n) => n.startsWith("WIN_AUTOMATION_")),
        `${what}: ${names}`,
      );
    }

    const journal = (await readJournal()).slice(before);
    const installs = journal.filter((e) => e.kind === "playwright_install");
    assert.ok(installs.length > 0, "install reached the lab");
    for (const e of installs) {
      // Negative control: the detector does see the ws path where it may be.
      assert.ok(
        findSecrets(JSON.stringify(e.input), secrets).includes("ws_path:plain"),
      );
    }
    for (const [i, e] of journal.entries()) {
      const text = `${e.script ?? ""}\n${e.argv.join("\n")}`;
      findings.push(
        ...scan(`journal ${i} (${e.kind}) script/argv`, text, secrets),
      );
      if (e.kind !== "playwright_install") {
        findings.push(
          ...scan(
            `journal ${i} (${e.kind}) input`,
            JSON.stringify(e.input ?? {}),
            secrets,
          ),
        );
      } else {
        findings.push(
          ...scan(`journal ${i} input`, JSON.stringify(e.input), {
            token: secrets.token!,
          }),
        );
      }
    }

    // Hatchet's stored runs, read back over its REST API.
    const config = await loadConfig({ env });
    const hatchet = await connectHatchet(
      config,
      new Logger({ silent: true }),
      "test",
    );
    let stored = 0;
    for (const id of jobIds) {
      const run = await hatchet.runs.get(id).catch(() => null);
      if (!run) continue;
      stored++;
      findings.push(...scan(`hatchet run ${id}`, JSON.stringify(run), secrets));
    }
    assert.ok(stored >= 4, `read back ${stored} runs`);
    // Hatchet's task logs (what `jobs logs` prints), raw from the same API.
    const logApi = hatchetLogApi(hatchet, config.hatchet.httpUrl);
    let logEntries = 0;
    let redactedEntries = 0;
    for (const id of jobIds) {
      for (const task of (await logApi.taskIds(id)) ?? []) {
        const rows = await logApi.page(task, undefined, 10_000);
        logEntries += rows.length;
        for (const row of rows) {
          if (row.message.includes("<redacted>")) redactedEntries++;
          findings.push(
            ...scan(`hatchet task log ${id}`, JSON.stringify(row), secrets),
          );
        }
      }
    }
    // Negative control: the jobs that printed the ws path did log lines.
    assert.ok(
      redactedEntries >= 1,
      `task log entries ${logEntries}, redacted ${redactedEntries}`,
    );

    let redactedFiles = 0;
    for (const id of jobIds) {
      const root = `${env.WIN_AUTOMATION_ARTIFACT_OUT}/${id}`;
      const files = await filesUnder(root).catch(() => []);
      for (const file of files) {
        const bytes = await Deno.readFile(file);
        if (new TextDecoder().decode(bytes).includes("<redacted>")) {
          redactedFiles++;
        }
        findings.push(
          ...findSecretsInBytes(bytes, secrets).map((f) => `${file}: ${f}`),
        );
        if (file.endsWith(".zip")) {
          for (const entry of await unzip(bytes)) {
            findings.push(
              ...findSecretsInBytes(entry.data, secrets).map((f) =>
                `${file}/${entry.name}: ${f}`
              ),
            );
          }
        }
      }
    }
    // Negative control: the exec jobs' stdout did carry the ws path.
    assert.ok(redactedFiles >= 2, `files with <redacted>: ${redactedFiles}`);
    assert.deepEqual(findings, []);
  },
);
