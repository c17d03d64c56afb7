/**
 * The `exec` and `kill` kinds of protocol v2 (docs/CONTEXT.md (Delivery of PowerShell)), against
 * the lab: the run folder `C:\ProgramData\win-automation\run\<run_id>\`, the
 * user command run as the script file `command.ps1` by the interpreter, its
 * merged records rendered as the shipped body does, and kill by pid + start
 * time. Both start with the body's ROOT_GUARD: the tool's root is created
 * locked when it is missing (lab/windows/acl.ts).
 * @module
 */
import { ensureLockedRoot, mapWindowsPath } from "../windows/mod.ts";
import { runUserScript } from "./_interpreter.ts";
import {
  descendants,
  isAlive,
  processStartTime,
  signal,
} from "../linux/mod.ts";
import type { PsRecord } from "./_records.ts";
import { type ShellContext, sleep } from "./_shell_io.ts";

const RUN_DIR = "C:\\ProgramData\\win-automation\\run";
/** FILETIME of the Unix epoch (100 ns ticks since 1601-01-01). */
const EPOCH_FILETIME = 116444736000000000n;

type Input = Record<string, string | number | boolean | string[]>;

function runDir(ctx: ShellContext, runId: string): string {
  return mapWindowsPath(ctx.labDir, `${RUN_DIR}\\${runId}`);
}

function bootTimeSeconds(): bigint {
  const stat = Deno.readTextFileSync("/proc/stat");
  return BigInt(/^btime (\d+)$/m.exec(stat)?.[1] ?? "0");
}

/**
 * A process's start time as `StartTime.ToFileTimeUtc()` would give it (from
 * the kernel's start time in clock ticks, 100 Hz), or null if it is gone.
 */
export function startFileTime(pid: number): bigint | null {
  const ticks = processStartTime(pid);
  if (ticks === null) return null;
  const ms = bootTimeSeconds() * 1000n + BigInt(ticks) * 10n;
  return ms * 10000n + EPOCH_FILETIME;
}

/** `exec`: runs `command` as `command.ps1`; returns the script's code. */
export async function execKind(
  input: Input,
  ctx: ShellContext,
): Promise<number> {
  const dir = runDir(ctx, String(input.run_id));
  await ensureLockedRoot(ctx.labDir);
  await Deno.mkdir(dir, { recursive: true });
  if (await Deno.stat(`${dir}/cancelled`).then(() => true, () => false)) {
    await ctx.io.err("cancelled before it started\n");
    return 130;
  }
  await Deno.writeTextFile(
    `${dir}/pid`,
    `${Deno.pid} ${startFileTime(Deno.pid)}\r\n`,
  );
  const command = String(input.command);
  await Deno.writeFile(
    `${dir}/command.ps1`,
    new TextEncoder().encode(
      "\ufeff" + command.replace(/\r?\n/g, "\r\n") + "\r\n",
    ),
  );
  try {
    let failed = false;
    const emit = async (record: PsRecord) => {
      switch (record.kind) {
        case "error":
          if (!record.native) failed = true;
          return await ctx.io.err(record.message + "\n");
        case "warning":
        case "verbose":
        case "debug":
          return await ctx.io.err(
            `${record.kind.toUpperCase()}: ${record.message}\n`,
          );
        case "information":
          return await ctx.io.out(record.message + "\n");
        case "output":
          return await ctx.io.out(record.text + "\n");
      }
    };
    const outcome = await runUserScript(command, {
      ctx,
      emit,
      nativeStderr: "records",
      lastExitCode: null,
    });
    if (outcome.terminating) return 1;
    const last = outcome.exit ?? outcome.lastExitCode;
    if (last !== null && last !== 0) return last;
    return failed ? 1 : 0;
  } finally {
    await Deno.remove(`${dir}/pid`).catch(() => {});
  }
}

/** `kill`: stops a run's process tree if its pid file names it still. */
export async function killKind(
  input: Input,
  ctx: ShellContext,
): Promise<unknown> {
  const dir = runDir(ctx, String(input.run_id));
  await ensureLockedRoot(ctx.labDir);
  await Deno.mkdir(dir, { recursive: true });
  await Deno.writeTextFile(`${dir}/cancelled`, "cancelled\r\n");
  const text = await Deno.readTextFile(`${dir}/pid`).catch(() => "");
  const match = /^\s*(\d+) (\d+)\s*$/.exec(text);
  if (!match) return { state: "not_running" };
  const pid = Number(match[1]);
  if (pid <= 4) {
    return { state: "refused", reason: `pid ${pid} is a system process` };
  }
  if (startFileTime(pid) !== BigInt(match[2]!)) {
    return { state: "not_running", reason: "pid reused" };
  }
  for (const child of descendants(pid)) signal(child, "SIGKILL");
  signal(pid, "SIGKILL");
  for (let i = 0; i < 50 && isAlive(pid); i++) await sleep(20);
  await Deno.remove(`${dir}/pid`).catch(() => {});
  // A run (run_start claimed `started`): mark it killed, and finished unless
  // the runner wrote that first.
  if (await Deno.stat(`${dir}/started`).then(() => true, () => false)) {
    await Deno.writeTextFile(`${dir}/killed`, "killed\r\n");
    await Deno.writeTextFile(`${dir}/finished`, new Date().toISOString(), {
      createNew: true,
    }).catch(() => {});
  }
  return { state: "killed" };
}
