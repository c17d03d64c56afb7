import assert from "node:assert/strict";
import { spawnDetached } from "./spawn_detached.ts";
import { cmdline, waitUntil } from "./mod.ts";

Deno.test("spawnDetached(): the program inherits the caller's environment minus unsetEnv, plus env, in a session of its own", async () => {
  const dir = await Deno.makeTempDir({ prefix: "wa-spawn-" });
  const out = `${dir}/environ`;
  Deno.env.set("WA_SPAWN_DROP", "job-1");
  Deno.env.set("WA_SPAWN_KEEP", "kept");
  try {
    const pid = await spawnDetached("bash", [
      "-c",
      `tr '\\0' '\\n' < /proc/$$/environ > ${out}.tmp; ps -o sid= -p $$ >> ${out}.tmp; mv ${out}.tmp ${out}`,
    ], { unsetEnv: ["WA_SPAWN_DROP"], env: { WA_SPAWN_ADDED: "yes" } });
    const exists = () => {
      try {
        Deno.statSync(out);
        return true;
      } catch {
        return false;
      }
    };
    assert.ok(await waitUntil(exists, 10_000), "the program wrote its file");
    const lines = (await Deno.readTextFile(out)).trim().split("\n");
    assert.ok(lines.includes("WA_SPAWN_KEEP=kept"), "inherited");
    assert.ok(lines.includes("WA_SPAWN_ADDED=yes"), "added");
    assert.ok(lines.some((l) => l.startsWith("PATH=")), "PATH inherited");
    assert.ok(
      !lines.some((l) => l.startsWith("WA_SPAWN_DROP=")),
      "the dropped variable is not in the program's environment",
    );
    // Its own session: the session id is its own pid (setsid).
    assert.equal(Number(lines.at(-1)!.trim()), pid);
  } finally {
    Deno.env.delete("WA_SPAWN_DROP");
    Deno.env.delete("WA_SPAWN_KEEP");
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("spawnDetached(): a dropped variable is not in any of its processes' environment, even before the program execs (a lab job closing then would kill it)", async () => {
  const dir = await Deno.makeTempDir({ prefix: "wa-spawn-" });
  // A FIFO with no reader holds the forked child in its output redirection,
  // before it execs: its /proc/<pid>/environ is then still the one the
  // intermediate shell was started with (an `unset` in a shell does not
  // change it). Its command line names the FIFO, so the test finds it.
  const fifo = `${dir}/out.fifo`;
  const mk = await new Deno.Command("mkfifo", { args: [fifo] }).output();
  assert.ok(mk.success, "mkfifo");
  Deno.env.set("WA_SPAWN_DROP", "job-2");
  const holding = () =>
    [...Deno.readDirSync("/proc")]
      .map((entry) => Number(entry.name))
      .filter((pid) => Number.isInteger(pid) && cmdline(pid).includes(fifo));
  const started = spawnDetached("true", [], {
    stdoutPath: fifo,
    unsetEnv: ["WA_SPAWN_DROP"],
  });
  // The shell that forks it (our child) may be listed too, or be exiting,
  // when its environ reads empty; the forked child (not ours) stays until
  // released.
  let held: { pid: number; environ: string[]; ppid: number }[] = [];
  try {
    const read = () => {
      held = holding().map((pid) => {
        try {
          const environ = Deno.readTextFileSync(`/proc/${pid}/environ`);
          const status = Deno.readTextFileSync(`/proc/${pid}/status`);
          const ppid = Number(/^PPid:\s*(\d+)$/m.exec(status)?.[1]);
          return { pid, environ: environ.split("\0"), ppid };
        } catch {
          return { pid, environ: [], ppid: 0 }; // gone since the listing
        }
      }).filter(({ environ }) => environ.some((e) => e.startsWith("PATH=")));
      return held.some(({ ppid }) => ppid !== 0 && ppid !== Deno.pid);
    };
    assert.ok(
      await waitUntil(read, 10_000),
      "read a held process's environment",
    );
    for (const { environ } of held) {
      assert.ok(
        !environ.some((e) => e.startsWith("WA_SPAWN_DROP=")),
        "no process of the spawn shows the dropped variable",
      );
    }
  } finally {
    Deno.env.delete("WA_SPAWN_DROP");
    // Let it go, pass or fail: opening a FIFO read-write never blocks (Linux
    // fifo(7)), and a writer waiting in open(2) wakes on the reader count
    // having changed even if that reader has closed again (Linux
    // fs/pipe.c, wait_for_partner). The child then runs `true` and ends.
    (await Deno.open(fifo, { read: true, write: true })).close();
    await started.catch(() => {});
    await Deno.remove(dir, { recursive: true });
  }
  // What was read includes the spawned program's own process, before exec.
  const pid = await started;
  assert.ok(held.some((process) => process.pid === pid), "the held pid");
});
