/**
 * `deno task bench`: ratios against baselines measured in the same run.
 * `deno task bench --write` also replaces the table in docs/PERFORMANCE.md.
 * @module
 */
// deno-lint-ignore-file no-console
import { CLI_PERMISSIONS } from "../../scripts/permissions.ts";
import { bundle, BUNDLE_DIR, bundled } from "../../scripts/bundle.ts";
import { sshOptions } from "../../lib/ssh/mod.ts";
import { labEnv, labUp, labUpSshd } from "../../lab/mod.ts";
import {
  type Cmd,
  compare,
  freePort,
  interleave,
  timeOnce,
} from "./_measure.ts";

const ROOT = new URL("../..", import.meta.url).pathname;
const DENO = Deno.execPath();
const RUNS = Number(Deno.env.get("BENCH_RUNS") ?? "15");

interface Row {
  what: string;
  subject: number;
  baseline: number;
  baselineName: string;
  goal: string;
  met: (ratio: number) => boolean;
  /** Unit of the two values. @default "ms" */
  unit?: string;
}

const rows: Row[] = [];

// The CLI as the binary ships it: the bundle `deno task compile` builds from
// (scripts/bundle.ts), built here first. The sources' main.ts is measured
// once more for the record.
await bundle(BUNDLE_DIR);
const SHIPPED = `${ROOT}${bundled("main.ts")}`;

function cli(
  args: string[],
  env: Record<string, string>,
  entry = SHIPPED,
): Cmd {
  return {
    label: `win-automation ${args.join(" ")}`,
    program: DENO,
    args: ["run", ...CLI_PERMISSIONS, "--quiet", entry, ...args],
    env,
  };
}

// `--only=startup|exec|playwright|supervisor|jobs|batch|artifacts|fleet` runs one section (the table then has its rows only).
const only = Deno.args.find((a) => a.startsWith("--only="))?.slice(7);
const want = (section: string) => !only || only === section;

// The lab: start-up needs only its sshd (for the `windows exec` row); the
// other sections need all of it.
const FULL = [
  "exec",
  "playwright",
  "supervisor",
  "jobs",
  "batch",
  "artifacts",
  "fleet",
];
const env = FULL.some(want) ? await labUp() : await sshdOnly();
async function sshdOnly() {
  await labUpSshd();
  return await labEnv();
}
const target = {
  host: env.WIN_AUTOMATION_WINDOWS_SSH_HOST!,
  port: Number(env.WIN_AUTOMATION_WINDOWS_SSH_PORT),
  user: env.WIN_AUTOMATION_WINDOWS_SSH_USER!,
  identityFile: env.WIN_AUTOMATION_WINDOWS_SSH_IDENTITY_FILE!,
  connectTimeoutMs: 10_000,
  stateDir: env.WIN_AUTOMATION_STATE_DIR!,
};
const plain = (extra: string[], label: string): Cmd => ({
  label,
  program: "ssh",
  // ssh takes the first value given for an option: the extras come first.
  args: [
    ...extra,
    ...sshOptions(target),
    "-T",
    "--",
    target.host,
    'powershell -NoProfile -Command "echo ok"',
  ],
});
const hello: Cmd = {
  label: "hello",
  program: DENO,
  args: ["run", "--quiet", `${ROOT}tests/bench/hello.ts`],
};
const exec = cli(["windows", "exec", "--raw", "--", "echo ok"], env);

// 1. Start-up: `version` against a hello world, and what `windows exec` adds
// to a warm ssh round trip counted in hello-world start-ups, all three
// measured interleaved in one run.
if (want("startup")) {
  const [version, hi, ours, ssh, sources, sourcesExec] = await interleave(
    [
      cli(["version"], {}),
      hello,
      exec,
      plain([], "ssh warm"),
      cli(["version"], {}, `${ROOT}main.ts`),
      cli(["windows", "exec", "--raw", "--", "echo ok"], env, `${ROOT}main.ts`),
    ],
    { runs: RUNS, warmup: 2 },
  );
  rows.push({
    what: "`win-automation version` start-up (the bundle the binary ships)",
    subject: version!,
    baseline: hi!,
    baselineName: "hello-world `deno run`",
    goal: "<= 1.3x",
    met: (x) => x <= 1.3,
  });
  rows.push({
    what:
      '`windows exec --raw -- "echo ok"` (lab, the bundle) minus a warm `ssh ... powershell` round trip (' +
      `${ours!.toFixed(1)} - ${ssh!.toFixed(1)} ms)`,
    subject: ours! - ssh!,
    baseline: hi!,
    baselineName: "one hello-world `deno run` start-up (same run)",
    goal: "<= 2.0x",
    met: (x) => x <= 2.0,
  });
  rows.push({
    what: "(attribution) `version` from the sources (`deno run main.ts`)",
    subject: sources!,
    baseline: hi!,
    baselineName: "hello-world `deno run`",
    goal: "info",
    met: () => true,
  });
  rows.push({
    what:
      "(attribution) the `windows exec` row from the sources, minus the same ssh round trip (" +
      `${sourcesExec!.toFixed(1)} - ${ssh!.toFixed(1)} ms)`,
    subject: sourcesExec! - ssh!,
    baseline: hi!,
    baselineName: "one hello-world `deno run` start-up (same run)",
    goal: "info",
    met: () => true,
  });
  const s = await compare(
    {
      label: "stricli",
      program: DENO,
      args: ["run", "--quiet", `${ROOT}tests/bench/stricli_only.ts`],
    },
    hello,
    { runs: RUNS, warmup: 1 },
  );
  rows.push({
    what: "(attribution) importing @stricli/core alone (not used: lib/cli is)",
    ...s,
    baselineName: "hello-world `deno run`",
    goal: "info",
    met: () => true,
  });
}

if (want("exec")) {
  const warm = await compare(exec, plain([], "ssh warm"), {
    runs: RUNS,
    warmup: 2,
  });
  rows.push({
    what: '`windows exec --raw -- "echo ok"` (lab)',
    ...warm,
    baselineName: "plain `ssh ... powershell`, warm multiplexed connection",
    goal: "<= 1.2x",
    met: (x) => x <= 1.2,
  });
  const cold = await compare(
    exec,
    plain(["-o", "ControlMaster=no", "-o", "ControlPath=none"], "ssh cold"),
    { runs: RUNS, warmup: 1 },
  );
  rows.push({
    what: '`windows exec --raw -- "echo ok"` (lab)',
    ...cold,
    baselineName: "plain `ssh ... powershell`, new connection each time",
    goal: "<= 0.7x",
    met: (x) => x <= 0.7,
  });
}

// Playwright: playwright run --screenshot against the lab's server, and a plain
// script that connects and takes the same screenshot.
if (want("playwright")) {
  const out = await Deno.makeTempDir({ prefix: "wa-bench-pw-" });
  const url = env.WIN_LAB_PAGE_URL!;
  const r = await compare(
    cli(["playwright", "run", "--url", url, "--screenshot"], {
      ...env,
      WIN_AUTOMATION_ARTIFACT_OUT: out,
    }),
    {
      label: "plain playwright-core screenshot",
      program: DENO,
      args: [
        "run",
        ...CLI_PERMISSIONS,
        "--quiet",
        `${ROOT}tests/bench/pw_screenshot.ts`,
        url,
        `${out}/plain.png`,
      ],
      env,
    },
    { runs: RUNS, warmup: 2 },
  );
  await Deno.remove(out, { recursive: true });
  rows.push({
    what: "`playwright run --screenshot` (lab page)",
    ...r,
    baselineName: "plain script: connect, goto, screenshot",
    goal: "<= 1.3x",
    met: (x) => x <= 1.3,
  });
}

// Supervisor: one healthy `supervisor run --once` pass against `doctor`, which
// probes the same services (and a little more) the same way.
if (want("supervisor")) {
  const r = await compare(
    cli(["supervisor", "run", "--once"], env),
    cli(["doctor"], env),
    { runs: RUNS, warmup: 2 },
  );
  rows.push({
    what: "`supervisor run --once`, healthy lab (no remediation)",
    ...r,
    baselineName: "`win-automation doctor`, same lab",
    goal: "<= 1.1x",
    met: (x) => x <= 1.1,
  });
}

// 3. Jobs on Hatchet: win-automation's worker against a no-op task on the
// same engine, and the worker's memory after 10 and after 1,000 jobs.
if (want("jobs")) {
  const { connectHatchet } = await import("../../lib/hatchet/mod.ts");
  const { loadConfig } = await import("../../lib/config/mod.ts");
  const { Logger } = await import("../../lib/log/mod.ts");
  const { startWorker } = await import("../_worker.ts");
  const { callsPerSecond, echoInput, noopFloor, runBatch, rssMiB } =
    await import("./_jobs_bench.ts");
  const { heapAfterGcMiB } = await import("./_heap.ts");
  const hatchet = await connectHatchet(
    await loadConfig({ env }),
    new Logger({ silent: true }),
    "bench",
  );
  const echo = echoInput("bench");
  // The same input and metadata as ours: the engine does the same work.
  const floor = await noopFloor(hatchet, {
    env,
    count: 200,
    slots: 5,
    input: echo,
  });

  // The lab's Windows side alone (sshd, a shell and the emulated PowerShell
  // share the machine's cores with everything else): 200 plain ssh calls, 5
  // at a time, over the same multiplexed connection the worker uses.
  const sshCall = plain([], "ssh warm");
  const ceiling = await callsPerSecond(() => timeOnce(sshCall), 200, 5);

  const inspect = freePort();
  const worker = await startWorker(env, [], [`--inspect=127.0.0.1:${inspect}`]);
  await runBatch(hatchet, "windows.exec", 10, echo);
  const rss10 = await rssMiB(worker.pid);
  const heap10 = await heapAfterGcMiB(inspect);
  const ours = await runBatch(hatchet, "windows.exec", 200, echo);
  await runBatch(hatchet, "windows.exec", 790, echo);
  const rss1000 = await rssMiB(worker.pid);
  const heap1000 = await heapAfterGcMiB(inspect);
  await worker.stop();

  rows.push({
    what: "jobs/s, 200 `windows.exec echo ok` jobs, 5 slots (lab)",
    subject: ours.jobsPerSecond,
    baseline: floor.jobsPerSecond,
    baselineName: "no-op Hatchet task, same engine and slots",
    goal: ">= 0.8x",
    met: (x) => x >= 0.8,
    unit: "/s",
  });
  rows.push({
    what: "jobs/s, the same 200 jobs",
    subject: ours.jobsPerSecond,
    baseline: ceiling,
    baselineName:
      "200 plain `ssh ... powershell` calls, 5 at a time (the lab's Windows side alone)",
    goal: "info",
    met: () => true,
    unit: "/s",
  });
  // A job needs both: the engine's work and the Windows side's. On one
  // machine they share the cores, so the best a job can do here is both
  // floors in series.
  const bound = 1 / (1 / floor.jobsPerSecond + 1 / ceiling);
  rows.push({
    what: "jobs/s, the same 200 jobs",
    subject: ours.jobsPerSecond,
    baseline: bound,
    baselineName:
      "both floors in series, 1/(1/no-op + 1/ssh) (one machine runs both)",
    goal: "info",
    met: () => true,
    unit: "/s",
  });
  rows.push({
    what: "p50 enqueue-to-completed latency",
    subject: ours.p50Ms,
    baseline: floor.p50Ms,
    baselineName: "no-op Hatchet task",
    goal: "info",
    met: () => true,
  });
  rows.push({
    what: "p95 enqueue-to-completed latency",
    subject: ours.p95Ms,
    baseline: floor.p95Ms,
    baselineName: "no-op Hatchet task",
    goal: "info",
    met: () => true,
  });
  rows.push({
    what: "worker live heap after a full GC, after 1,000 jobs",
    subject: heap1000,
    baseline: heap10,
    baselineName: "after 10 jobs",
    goal: "< 1.2x",
    met: (x) => x < 1.2,
    unit: "MiB",
  });
  rows.push({
    what: "worker RSS after 1,000 jobs",
    subject: rss1000,
    baseline: rss10,
    baselineName: "after 10 jobs",
    goal: "info",
    met: () => true,
    unit: "MiB",
  });
}

// 3b. A batch on Hatchet: `jobs enqueue --targets` of 60 `windows.exec`
// jobs over the lab's 3 hosts (60 targets, 20 per host), paced by the
// parent task on the worker, against 60 no-op tasks on the same engine and
// slots, and next to both floors in series as the jobs row is.
if (want("batch")) {
  const { connectHatchet } = await import("../../lib/hatchet/mod.ts");
  const { loadConfig } = await import("../../lib/config/mod.ts");
  const { Logger } = await import("../../lib/log/mod.ts");
  const { startWorker } = await import("../_worker.ts");
  const { callsPerSecond, echoInput, noopFloor } = await import(
    "./_jobs_bench.ts"
  );
  const { benchFleetConfig, measureBatch } = await import(
    "./_batch_bench.ts"
  );
  const COUNT = 60;
  const SLOTS = 5;
  // BENCH_BATCH_CONCURRENCY: the batch's --max-concurrency (default 100%:
  // every child created at once, the engine queues them for the slots).
  const CONCURRENCY = Deno.env.get("BENCH_BATCH_CONCURRENCY") ?? "100%";
  const fleet = await labUp({ hosts: 3 });
  const dir = await Deno.makeTempDir({ prefix: "wa-bench-batch-" });
  const { config } = await benchFleetConfig(
    fleet.WIN_AUTOMATION_CONFIG!,
    COUNT,
  );
  const benchEnv = {
    ...fleet,
    WIN_AUTOMATION_CONFIG: `${dir}/config.json`,
    WIN_AUTOMATION_HATCHET_WORKER_CONCURRENCY: String(SLOTS),
  };
  await Deno.writeTextFile(
    benchEnv.WIN_AUTOMATION_CONFIG,
    JSON.stringify(config),
  );
  const loaded = await loadConfig({ env: benchEnv });
  const hatchet = await connectHatchet(
    loaded,
    new Logger({ silent: true }),
    "bench",
  );
  const floor = await noopFloor(hatchet, {
    env,
    count: COUNT,
    slots: SLOTS,
    input: echoInput("benchb"),
  });
  // The Windows side alone: 60 plain ssh calls, 5 at a time.
  const sshCall = plain([], "ssh warm");
  const ceiling = await callsPerSecond(() => timeOnce(sshCall), COUNT, 5);

  const worker = await startWorker(benchEnv, ["--targets", "bench"]);
  const enqueue = async () => {
    const out = await new Deno.Command(DENO, {
      args: [
        "run",
        ...CLI_PERMISSIONS,
        "--quiet",
        SHIPPED,
        "jobs",
        "enqueue",
        "--targets",
        "bench",
        "--max-concurrency",
        CONCURRENCY,
        "--type",
        "windows.exec",
        "--cmd",
        "echo ok",
      ],
      env: benchEnv,
      stdout: "piped",
      stderr: "piped",
    }).output();
    const text = new TextDecoder().decode(out.stdout);
    const id = text.match(/batch_id=(\S+)/)?.[1];
    if (out.code !== 0 || !id) {
      throw new Error(
        `jobs enqueue --targets failed: ${text}${
          new TextDecoder().decode(out.stderr)
        }`,
      );
    }
    return id;
  };
  // A warm-up batch, then the measured one.
  await measureBatch(
    hatchet,
    await enqueue(),
    COUNT,
    loaded.hatchet.grpcAddress,
  );
  const ours = await measureBatch(
    hatchet,
    await enqueue(),
    COUNT,
    loaded.hatchet.grpcAddress,
  );
  await worker.stop();

  rows.push({
    what:
      `jobs/s, a batch of 60 \`windows.exec echo ok\` jobs over 3 lab hosts (\`jobs enqueue --targets --max-concurrency ${CONCURRENCY}\`, 5 slots)`,
    subject: ours.jobsPerSecond,
    baseline: floor.jobsPerSecond,
    baselineName: "60 no-op Hatchet tasks, same engine and slots",
    goal: "info",
    met: () => true,
    unit: "/s",
  });
  rows.push({
    what: "jobs/s, the same batch",
    subject: ours.jobsPerSecond,
    baseline: ceiling,
    baselineName: "60 plain `ssh ... powershell` calls, 5 at a time",
    goal: "info",
    met: () => true,
    unit: "/s",
  });
  rows.push({
    what: "jobs/s, the same batch",
    subject: ours.jobsPerSecond,
    baseline: 1 / (1 / floor.jobsPerSecond + 1 / ceiling),
    baselineName: "both floors in series, 1/(1/no-op + 1/ssh)",
    goal: "info",
    met: () => true,
    unit: "/s",
  });
  rows.push({
    what: "p50 child created-to-completed latency, the same batch",
    subject: ours.p50Ms,
    baseline: floor.p50Ms,
    baselineName: "no-op Hatchet task",
    goal: "info",
    met: () => true,
  });
  rows.push({
    what:
      "(attribution) p50 child started-to-completed, the same batch (5 slots, the parent holds 1)",
    subject: ours.runP50Ms,
    baseline: ours.p50Ms,
    baselineName: "p50 child created-to-completed",
    goal: "info",
    met: () => true,
  });
}

// 4. Artifacts: `artifacts fetch` of a 200 MB file that exists only in the
// Windows artifact root (scp, hashed while it streams) against plain `scp` of
// the same file, both over the warm multiplexed connection.
if (want("artifacts")) {
  const { artifactsFetchBench } = await import("./_artifacts_bench.ts");
  const r = await artifactsFetchBench({
    env,
    target,
    runs: RUNS,
    cli: (args, extra) => cli(args, { ...env, ...extra }),
  });
  rows.push({
    what:
      "`artifacts fetch` of a 200 MB Windows-side artifact (lab), throughput",
    subject: r.subjectMBps,
    baseline: r.baselineMBps,
    baselineName: "plain `scp` of the same file, warm connection",
    goal: ">= 0.9x",
    met: (x) => x >= 0.9,
    unit: "MB/s",
  });
  rows.push({
    what: "(attribution) sha256 of the same 200 MB in-process (node:crypto)",
    subject: r.hashMs,
    baseline: r.scpMs,
    baselineName: "plain `scp` of the file",
    goal: "info",
    met: () => true,
  });
}

// 5. Fleet: a direct fan-out `windows exec --targets all` over the lab's three
// hosts against three plain warm `ssh ... powershell` calls, one per host, run
// in parallel (a shell starts them and waits for all three).
if (want("fleet")) {
  const fleet = await labUp({ hosts: 3 });
  const file = JSON.parse(
    await Deno.readTextFile(fleet.WIN_AUTOMATION_CONFIG!),
  ) as {
    windows: { ssh_user: string; ssh_identity_file: string };
    targets: Record<
      string,
      { windows: { ssh_host: string; ssh_port: number; ssh_host_key: string } }
    >;
  };
  const sshOf = (name: string) => {
    const w = file.targets[name]!.windows;
    const args = sshOptions({
      host: w.ssh_host,
      port: w.ssh_port,
      user: file.windows.ssh_user,
      identityFile: file.windows.ssh_identity_file,
      hostKey: w.ssh_host_key,
      connectTimeoutMs: 10_000,
      stateDir: fleet.WIN_AUTOMATION_STATE_DIR!,
    });
    const quoted = [
      ...args,
      "-T",
      "--",
      w.ssh_host,
      'powershell -NoProfile -Command "echo ok"',
    ]
      .map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(" ");
    return `ssh ${quoted} >/dev/null`;
  };
  const names = Object.keys(file.targets);
  const parallel = names.map((n, i) => `${sshOf(n)} & p${i}=$!`).join("; ") +
    "; " + names.map((_, i) => `wait $p${i}`).join(" && ");
  const [fanOut, ssh3, single] = await interleave([
    cli(["windows", "exec", "--targets", "all", "--", "echo ok"], fleet),
    { label: "3 plain ssh in parallel", program: "sh", args: ["-c", parallel] },
    cli(
      ["windows", "exec", "--raw", "--target", names[0]!, "--", "echo ok"],
      fleet,
    ),
  ], { runs: RUNS, warmup: 2 });
  rows.push({
    what:
      '`windows exec --targets all -- "echo ok"` over 3 lab hosts (the bundle)',
    subject: fanOut!,
    baseline: ssh3!,
    baselineName:
      "3 plain `ssh ... powershell` calls in parallel, warm multiplexed connections",
    goal: "<= 1.3x",
    met: (x) => x <= 1.3,
  });
  rows.push({
    what: "(attribution) the same fan-out",
    subject: fanOut!,
    baseline: single!,
    baselineName: 'one `windows exec --target win-01 -- "echo ok"` (same run)',
    goal: "info",
    met: () => true,
  });
  await labUp();
}

const f = (ms: number, unit = "ms") => `${ms.toFixed(1)} ${unit}`;
const lines = [
  `| what | value | baseline | baseline value | ratio | goal | met |`,
  `| --- | --- | --- | --- | --- | --- | --- |`,
  ...rows.map((r) => {
    const ratio = r.subject / r.baseline;
    return `| ${r.what} | ${f(r.subject, r.unit)} | ${r.baselineName} | ${
      f(r.baseline, r.unit)
    } | ${ratio.toFixed(2)}x | ${r.goal} | ${
      r.goal === "info" ? "-" : r.met(ratio) ? "yes" : "no"
    } |`;
  }),
];
const table = lines.join("\n");
console.log(table);
console.log(
  `\n${RUNS} interleaved runs per side, medians; ${Deno.build.target}, ${navigator.hardwareConcurrency} cores, Deno ${Deno.version.deno}.`,
);

if (Deno.args.includes("--write") && !only) {
  const path = `${ROOT}docs/PERFORMANCE.md`;
  const doc = await Deno.readTextFile(path);
  const start = doc.indexOf("<!-- bench:start -->");
  const end = doc.indexOf("<!-- bench:end -->");
  if (start < 0 || end < 0) {
    throw new Error(`Cannot update ${path}: bench markers missing`);
  }
  const stamp = `Measured ${
    new Date().toISOString().slice(0, 10)
  } with \`deno task bench\` (${RUNS} interleaved runs per side, medians; ${navigator.hardwareConcurrency} cores, Deno ${Deno.version.deno}).`;
  await Deno.writeTextFile(
    path,
    `${doc.slice(0, start)}<!-- bench:start -->\n${stamp}\n\n${table}\n${
      doc.slice(end)
    }`,
  );
  await new Deno.Command(DENO, { args: ["fmt", "--quiet", path] }).output();
  console.log(`updated ${path}`);
}
Deno.exit(0);
