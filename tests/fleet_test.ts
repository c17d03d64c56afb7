/**
 * Per-target health against the lab: a config with two targets, `win-01` and
 * `win-02`, both naming the lab's one Windows host. `doctor --target`,
 * `doctor --targets`, the `worker` check with and without a worker carrying
 * the target's label (a bare SDK worker, `_labelled_worker.ts`),
 * `targets list`, and `supervisor run --once --targets`.
 * @module
 */
import { assert } from "@test/assert";
import { parseLine } from "../lib/log/mod.ts";
import { runCli } from "./_cli.ts";
import { labOnly, targetEnv } from "./_target.ts";

const ROOT = new URL("..", import.meta.url).pathname;

const dir = await Deno.makeTempDir({ prefix: "wa-fleet-" });
const FLEET = `${dir}/fleet.json`;
await Deno.writeTextFile(
  FLEET,
  JSON.stringify({
    targets: {
      "win-01": { tags: ["lab"] },
      "win-02": { tags: ["lab", "edge"] },
    },
    groups: { pool: ["win-01", "win-02"], edge: ["win-02"] },
    default_target: "win-01",
  }),
);

const lines = (stdout: string) =>
  stdout.trim().split("\n").filter((l) => l !== "").map(parseLine);

/** The CLI with the fleet config. */
async function fleet(args: string[], extra: Record<string, string> = {}) {
  return await runCli(["--config", FLEET, ...args], {
    ...await targetEnv(),
    ...extra,
  });
}

/** Whether Hatchet's worker name is `name` (the SDK prefixes its namespace). */
const isNamed = (listed: string, name: string) =>
  listed === name || listed.endsWith(`_${name}`);

/** A bare SDK worker carrying `labels`, until `stop()`. */
async function labelledWorker(labels: Record<string, string | number>) {
  const name = `fleet-test-${crypto.randomUUID().slice(0, 8)}`;
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      "--quiet",
      `${ROOT}tests/_labelled_worker.ts`,
      JSON.stringify(labels),
      name,
    ],
    env: await targetEnv(),
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const stderr = new Response(child.stderr).text();
  // Ready when Hatchet lists it as active with its labels.
  const deadline = Date.now() + 60_000;
  for (;;) {
    const r = await fleet(["targets", "list", "--json"]);
    const listed = JSON.parse(r.stdout || "{}") as ListJson;
    const seen = listed.targets?.some((t) =>
      t.workers?.some((w) => isNamed(w.name, name) && w.status === "ACTIVE")
    );
    if (seen) break;
    if (Date.now() > deadline) {
      try {
        child.kill("SIGKILL");
      } catch { /* gone */ }
      throw new Error(
        `worker ${name} never became active: ${r.stderr}\n${await stderr}`,
      );
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  return {
    name,
    stop: async () => {
      try {
        child.kill("SIGTERM");
      } catch { /* gone */ }
      await child.status;
      await stderr;
      // Gone for the engine too (no heartbeat for 5 s), so the next test
      // starts without it.
      const until = Date.now() + 30_000;
      while (Date.now() < until) {
        const r = await fleet(["targets", "list", "--json"]);
        const listed = JSON.parse(r.stdout || "{}") as ListJson;
        const active = listed.targets?.some((t) =>
          t.workers?.some((w) => isNamed(w.name, name) && w.status === "ACTIVE")
        );
        if (!active) return;
        await new Promise((r) => setTimeout(r, 1000));
      }
      throw new Error(`worker ${name} still active 30 s after SIGTERM`);
    },
  };
}

interface ListJson {
  targets: {
    name: string;
    address: string;
    groups: string[];
    tags: string[];
    workers:
      | {
        name: string;
        status: string;
        slots: { limit: number } | null;
        version: string;
        last_heartbeat_at: string | null;
      }[]
      | null;
  }[];
  workers_error: string | null;
}

Deno.test(
  labOnly(
    "doctor --target win-02: every line carries target=win-02 (win-01's carry win-01); --target nope exits 2 naming the known targets",
  ),
  async () => {
    for (const name of ["win-02", "win-01"]) {
      const r = await fleet(["doctor", "--target", name]);
      const ls = lines(r.stdout);
      // Today's checks in today's order, then the worker check.
      assert.deepEqual(ls.map((l) => l.check), [
        "ssh",
        "aloha_server",
        "aloha_client",
        "firewall",
        "desktop",
        "windows_acl",
        "windows_acl",
        "hatchet",
        "playwright",
        "worker",
      ], r.stdout + r.stderr);
      for (const l of ls) assert.equal(l.target, name, JSON.stringify(l));
    }
    // Without a token the workers cannot be asked: said, with the fix, exit 2.
    const { WIN_AUTOMATION_HATCHET_TOKEN: _, ...noToken } = await targetEnv();
    const blind = await runCli(
      ["--config", FLEET, "doctor", "--target", "win-02"],
      noToken,
    );
    assert.equal(blind.code, 2, blind.stdout + blind.stderr);
    const w = lines(blind.stdout).find((l) => l.check === "worker")!;
    assert.equal(w.state, "error");
    assert.match(w.fix!, /^set WIN_AUTOMATION_HATCHET_TOKEN/);
    const nope = await fleet(["doctor", "--target", "nope"]);
    assert.equal(nope.code, 2, nope.stderr);
    assert.equal(nope.stdout, "");
    assert.match(
      nope.stderr,
      /config error: --target names an unknown target "nope" \(known: win-01, win-02\)/,
    );
  },
);

Deno.test(
  labOnly(
    "doctor without targets in the config prints today's lines: no target=, no worker check",
  ),
  async () => {
    const r = await runCli(["doctor"], await targetEnv());
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const ls = lines(r.stdout);
    assert.ok(ls.length > 0);
    assert.ok(ls.every((l) => l.target === undefined), r.stdout);
    assert.ok(!ls.some((l) => l.check === "worker"), r.stdout);
  },
);

Deno.test(
  labOnly(
    "doctor's worker check fails with the unit's fix when no worker carries target.win-02, and passes once one does (a win-01 worker does not count)",
  ),
  async () => {
    const worker = (stdout: string) =>
      lines(stdout).find((l) => l.check === "worker")!;
    const before = await fleet(["doctor", "--target", "win-02"]);
    assert.equal(before.code, 1, before.stdout + before.stderr);
    const missing = worker(before.stdout);
    assert.equal(missing.state, "error");
    assert.equal(
      missing.fix,
      "systemctl enable --now win-automation-worker@win-02",
    );
    assert.equal(missing.label, "target.win-02");
    // Every other check is ok: the worker check alone makes it exit 1.
    assert.ok(
      lines(before.stdout).filter((l) => l.check !== "worker").every((l) =>
        l.state === "ok"
      ),
      before.stdout,
    );
    // Negative control: a worker for win-01 only serves win-01.
    const other = await labelledWorker({ "target.win-01": 1 });
    try {
      const still = await fleet(["doctor", "--target", "win-02"]);
      assert.equal(worker(still.stdout).state, "error", still.stdout);
      const one = await fleet(["doctor", "--target", "win-01"]);
      assert.equal(worker(one.stdout).state, "ok", one.stdout);
      assert.equal(one.code, 0, one.stdout + one.stderr);
    } finally {
      await other.stop();
    }
    const serving = await labelledWorker({
      "target.win-02": 1,
      version: "9.9.9-test",
    });
    try {
      const after = await fleet(["doctor", "--target", "win-02"]);
      assert.equal(after.code, 0, after.stdout + after.stderr);
      const found = worker(after.stdout);
      assert.equal(found.state, "ok");
      assert.ok(isNamed(found.worker!, serving.name), String(found.worker));
      assert.equal(found.workers, "1");
      assert.equal(found.slots, "3");
    } finally {
      await serving.stop();
    }
  },
);

Deno.test(
  labOnly(
    "targets list shows each target's address, groups, tags and the worker that serves it; with Hatchet unreachable it still lists them, workers=unknown, exit 3",
  ),
  async () => {
    const env = await targetEnv();
    const address =
      `${env.WIN_AUTOMATION_WINDOWS_SSH_HOST}:${env.WIN_AUTOMATION_WINDOWS_SSH_PORT}`;
    const serving = await labelledWorker({
      "target.win-02": 1,
      version: "9.9.9-test",
    });
    try {
      const r = await fleet(["targets", "list", "--json"]);
      assert.equal(r.code, 0, r.stderr);
      const listed = JSON.parse(r.stdout) as ListJson;
      assert.equal(listed.workers_error, null);
      assert.deepEqual(
        listed.targets.map((t) => [t.name, t.address, t.groups, t.tags]),
        [
          ["win-01", address, ["pool"], ["lab"]],
          ["win-02", address, ["pool", "edge"], ["lab", "edge"]],
        ],
      );
      const win02 = listed.targets[1]!.workers!.filter((w) =>
        isNamed(w.name, serving.name)
      );
      assert.equal(win02.length, 1);
      assert.equal(win02[0]!.status, "ACTIVE");
      assert.equal(win02[0]!.version, "9.9.9-test");
      assert.equal(win02[0]!.slots?.limit, 3);
      assert.ok(
        Date.now() - Date.parse(win02[0]!.last_heartbeat_at!) < 60_000,
        win02[0]!.last_heartbeat_at!,
      );
      // Negative control: the worker does not serve win-01.
      assert.ok(
        !listed.targets[0]!.workers!.some((w) => isNamed(w.name, serving.name)),
      );
      const text = await fleet(["targets", "list"]);
      const ls = lines(text.stdout);
      assert.deepEqual(ls.map((l) => l.target), ["win-01", "win-02"]);
      assert.equal(ls[1]!.groups, "pool,edge");
      assert.match(ls[1]!.served_by!, new RegExp(`_${serving.name} active `));
    } finally {
      await serving.stop();
    }
    const down = {
      WIN_AUTOMATION_HATCHET_HTTP_URL: "http://127.0.0.1:9",
      WIN_AUTOMATION_HATCHET_GRPC_ADDRESS: "127.0.0.1:9",
    };
    const unknown = await fleet(["targets", "list"], down);
    assert.equal(unknown.code, 3, unknown.stderr);
    const ls = lines(unknown.stdout);
    assert.deepEqual(ls.map((l) => [l.target, l.workers]), [
      ["win-01", "unknown"],
      ["win-02", "unknown"],
    ]);
    assert.match(unknown.stderr, /unreachable/);
    const json = await fleet(["targets", "list", "--json"], down);
    assert.equal(json.code, 3);
    const parsed = JSON.parse(json.stdout) as ListJson;
    assert.deepEqual(parsed.targets.map((t) => t.workers), [null, null]);
    assert.match(parsed.workers_error!, /unreachable/);
  },
);

Deno.test(
  labOnly(
    "doctor --targets pool checks Hatchet once, then each target in turn",
  ),
  async () => {
    const r = await fleet(["doctor", "--targets", "pool"]);
    const ls = lines(r.stdout);
    const hatchet = ls.filter((l) => l.check === "hatchet");
    assert.equal(hatchet.length, 1, r.stdout);
    assert.equal(ls[0]!.check, "hatchet");
    assert.equal(ls[0]!.targets, "win-01,win-02");
    for (const name of ["win-01", "win-02"]) {
      assert.deepEqual(
        ls.filter((l) => l.target === name).map((l) => l.check),
        [
          "ssh",
          "aloha_server",
          "aloha_client",
          "firewall",
          "desktop",
          "windows_acl",
          "windows_acl",
          "playwright",
          "worker",
        ],
      );
    }
    // A group of one is one target: today's order, target= on every line.
    const edge = await fleet(["doctor", "--targets", "edge"]);
    assert.ok(lines(edge.stdout).every((l) => l.target === "win-02"));
  },
);

Deno.test(
  labOnly(
    "supervisor run --once --targets win-01,win-02 checks and heals both, Hatchet once; a failpoint makes both targets fail and names each",
  ),
  async () => {
    const r = await fleet([
      "supervisor",
      "run",
      "--once",
      "--targets",
      "win-01,win-02",
    ]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const ls = lines(r.stdout);
    assert.equal(ls.filter((l) => l.check === "hatchet").length, 1);
    for (const name of ["win-01", "win-02"]) {
      const mine = ls.filter((l) => l.target === name);
      assert.deepEqual(
        mine.filter((l) => l.check !== undefined).map((l) => [
          l.check,
          l.state,
        ]),
        [
          ["ssh", "ok"],
          ["aloha_server", "ok"],
          ["aloha_client", "ok"],
          ["playwright", "ok"],
        ],
      );
      assert.equal(mine.at(-1)!.state, "healthy");
    }
    const last = ls.at(-1)!;
    assert.equal(last.state, "healthy");
    assert.equal(last.targets, "win-01,win-02");
    // Negative control: a failing check on every target is named per target.
    const failing = await fleet(
      ["supervisor", "run", "--once", "--targets", "pool"],
      { WIN_AUTOMATION_SUPERVISOR_FAILPOINT: "aloha_server" },
    );
    assert.equal(failing.code, 1, failing.stdout + failing.stderr);
    const end = lines(failing.stdout).at(-1)!;
    assert.equal(end.state, "unhealthy");
    assert.equal(end.failed, "win-01:aloha_server,win-02:aloha_server");
  },
);
