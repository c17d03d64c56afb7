/**
 * The `reboot` kind of protocol v2 against the lab, as its body does: the
 * root guard, the marker folder `C:\ProgramData\win-automation\reboot\`, the
 * boot time of `Win32_OperatingSystem`, a marker per request id (written,
 * ASCII with CRLF as `Set-Content -Encoding ascii` leaves it, before
 * `shutdown.exe` runs; removed when it fails), and `shutdown.exe /r /t
 * <delay_s>` (lab/windows/power.ts). Sources: lab/README.md ("Restarts").
 * @module
 */
import {
  DEFAULT_LAST_BOOT,
  ensureLockedRoot,
  machineName,
  mapWindowsPath,
  requestRestart,
} from "../windows/mod.ts";
import { readJson } from "../linux/mod.ts";
import type { ShellContext } from "./_shell_io.ts";

const REBOOT_DIR = "C:\\ProgramData\\win-automation\\reboot";

type Input = Record<string, string | number | boolean | string[]>;

/** `LastBootUpTime` as the version and reboot kinds read it. */
export async function lastBoot(labDir: string): Promise<string> {
  const boot = await readJson<{ last_boot?: string }>(
    `${labDir}/state/boot.json`,
    {},
  );
  return boot.last_boot ?? DEFAULT_LAST_BOOT;
}

/** What `shutdown.exe /r` prints on stderr for a Win32 error code. */
export function shutdownMessage(code: number): string {
  return code === 1190
    ? `${machineName()}: A system shutdown has already been scheduled.(1190)`
    : `${machineName()}: error (${code})`;
}

/** `reboot`: asks the emulated Windows to restart once per request id. */
export async function rebootKind(
  input: Input,
  ctx: ShellContext,
): Promise<number> {
  await ensureLockedRoot(ctx.labDir);
  const dir = mapWindowsPath(ctx.labDir, REBOOT_DIR);
  await Deno.mkdir(dir, { recursive: true });
  const marker = `${dir}/${String(input.request_id)}`;
  const boot = await lastBoot(ctx.labDir);
  const asked = await Deno.readTextFile(marker).catch(() => null);
  if (asked !== null) {
    await ctx.io.out(
      JSON.stringify({
        state: "already_requested",
        last_boot: boot,
        requested_boot: asked.split(/\r?\n/)[0]!.trim(),
      }) + "\n",
    );
    return 0;
  }
  await Deno.writeTextFile(marker, `${boot}\r\n`);
  const code = await requestRestart(ctx.labDir, {
    delaySeconds: Number(input.delay_s),
    comment: "win-automation reboot",
  });
  if (code !== 0) {
    await Deno.remove(marker).catch(() => {});
    await ctx.io.err(`shutdown /r exited ${code}: ${shutdownMessage(code)}\n`);
    return 1;
  }
  await ctx.io.out(
    JSON.stringify({
      state: "requested",
      last_boot: boot,
      requested_boot: boot,
    }) + "\n",
  );
  return 0;
}
