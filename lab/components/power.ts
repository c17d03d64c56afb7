// deno-lint-ignore-file no-console
/**
 * The lab's power program (`<lab>/lab-power <lab dir>`): carries out the
 * restart the emulated `shutdown.exe /r` scheduled (lab/windows/power.ts).
 * After the request's time-out it stops every emulated Windows process and
 * the real sshd with every session under it (connections drop; new ones are
 * refused while the machine is down), waits the `reboot_down_ms` knob, then
 * boots: a new boot time, the `AtStartup` tasks, and the same sshd (same
 * config, port and host key) started again, unless the `sshd_start_type`
 * knob is `Manual`. One line per step goes to
 * `<lab>/power.log`.
 * @module
 */
import {
  bootWindows,
  clearRestart,
  pendingRestart,
  readWindowsKnobs,
  shutDownWindows,
} from "../windows/mod.ts";
import { labPaths, labPorts } from "./paths.ts";
import { startSshd, stopSshd } from "./sshd.ts";

function log(step: string, fields: Record<string, unknown> = {}): void {
  console.log(
    JSON.stringify({ ts: new Date().toISOString(), step, ...fields }),
  );
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Carries out the pending restart of the lab in `dir`, if there is one. */
export async function powerCycle(dir: string): Promise<void> {
  const paths = labPaths(dir);
  const { pending } = await pendingRestart(dir);
  if (!pending) return log("nothing pending");
  const wait = Date.parse(pending.at) - Date.now();
  log("scheduled", { at: pending.at, comment: pending.comment });
  if (wait > 0) await sleep(wait);
  const knobs = await readWindowsKnobs(dir);
  await stopSshd(paths, 0);
  const killed = await shutDownWindows(dir);
  log("down", { killed: killed.length });
  await sleep(knobs.reboot_down_ms);
  const started = await bootWindows(dir);
  log("booted", { tasks: started });
  if ((await readWindowsKnobs(dir)).sshd_start_type === "Automatic") {
    await startSshd(paths, await labPorts(paths));
    log("sshd up");
  } else {
    log("sshd left stopped (start type Manual)");
  }
  await clearRestart(dir);
}

if (import.meta.main) {
  const dir = Deno.args[0];
  if (!dir) {
    console.error("usage: lab-power <lab dir>");
    Deno.exit(2);
  }
  try {
    await powerCycle(dir);
  } catch (error) {
    log("failed", { error: (error as Error).message });
    Deno.exit(1);
  }
}
