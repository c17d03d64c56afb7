/**
 * Runs that belong to Windows (docs/CONTEXT.md, "Runs"): the `run_start`,
 * `run_follow` and `run_list` kinds, and the runner (`runner.ps1`, started
 * by `powershell.exe -File`) they start, against the lab's run folders
 * `C:\ProgramData\win-automation\run\<run_id>\`. `run_start` creates the
 * runner the way the pinned body does, with Win32_Process.Create and
 * CREATE_BREAKAWAY_FROM_JOB (lab/windows/cim_process.ts): outside the ssh
 * session's job, so it survives the session.
 * @module
 */
import { dirname } from "node:path";
import {
  cimCreateProcess,
  CREATE_BREAKAWAY_FROM_JOB,
  ensureLockedRoot,
  mapWindowsPath,
  Unsupported,
  unsupportedLine,
} from "../windows/mod.ts";
import { isAlive } from "../linux/mod.ts";
import { runUserScript } from "./_interpreter.ts";
import type { PsRecord } from "./_records.ts";
import { type ShellContext, sleep } from "./_shell_io.ts";
import { startFileTime } from "./_exec_kinds.ts";
import { sha256Hex } from "./_script.ts";

const RUN_DIR = "C:\\ProgramData\\win-automation\\run";

type Input = Record<string, string | number | boolean | string[]>;

/** How every runner text begins. */
export const RUNNER_PREFIX = "# win-automation runner";

/** The run folder of a run id, mapped into the lab. */
function runDir(ctx: ShellContext, runId: string): string {
  return mapWindowsPath(ctx.labDir, `${RUN_DIR}\\${runId}`);
}

const exists = (path: string) => Deno.stat(path).then(() => true, () => false);

/** What `Set-Content -Encoding UTF8` writes in 5.1: a BOM, the text, CRLF. */
function setContentUtf8(text: string): Uint8Array {
  return new TextEncoder().encode("\ufeff" + text + "\r\n");
}

/**
 * The runner text the pinned `run_start` body carries in its `$WaRunner`
 * here-string (`@'` ... `'@`, each on a line of its own).
 */
export function runnerFromBody(body: string): string {
  const match = /\n\$WaRunner = @'\n([\s\S]*?)\n'@\n/.exec(body);
  if (!match) {
    throw new Unsupported("run_start body without a $WaRunner here-string");
  }
  return match[1]!;
}

/** `run_start`: claims `started`, writes the files, creates the runner. */
export async function runStartKind(
  input: Input,
  ctx: ShellContext,
  body: string,
): Promise<number> {
  const runId = String(input.run_id);
  const dir = runDir(ctx, runId);
  await ensureLockedRoot(ctx.labDir);
  await Deno.mkdir(dir, { recursive: true });
  const started = `${dir}/started`;
  if (await exists(started)) return print(ctx, { state: "exists" });
  const runnerWin = `${RUN_DIR}\\${runId}\\runner.ps1`;
  await Deno.writeFile(
    `${dir}/command.ps1`,
    setContentUtf8(String(input.command)),
  );
  await Deno.writeFile(
    `${dir}/runner.ps1`,
    setContentUtf8(runnerFromBody(body)),
  );
  let claim: Deno.FsFile;
  try {
    // [System.IO.File]::Open(..., 'CreateNew', ...): exclusive create.
    claim = await Deno.open(started, { write: true, createNew: true });
  } catch (error) {
    if (!(error instanceof Deno.errors.AlreadyExists)) throw error;
    return print(ctx, { state: "exists" });
  }
  try {
    await claim.write(new TextEncoder().encode(new Date().toISOString()));
  } finally {
    claim.close();
  }
  const pid = await cimCreateProcess(ctx.labDir, {
    commandLine:
      `powershell.exe -NoLogo -NoProfile -NonInteractive -ExecutionPolicy Bypass -File "${runnerWin}"`,
    currentDirectory: `${RUN_DIR}\\${runId}`,
    createFlags: CREATE_BREAKAWAY_FROM_JOB,
  });
  return print(ctx, { state: "started", pid });
}

async function print(ctx: ShellContext, value: unknown): Promise<number> {
  await ctx.io.out(JSON.stringify(value) + "\n");
  return 0;
}

/** Whether the run's process ended without `finished` (as the body's Test-WaLost). */
async function lost(dir: string): Promise<boolean> {
  const text = await Deno.readTextFile(`${dir}/pid`).catch(() => null);
  let gone: boolean;
  if (text !== null) {
    const match = /^\s*(\d{1,10})\s+(\d{1,19})\s*$/.exec(text);
    if (!match) return false;
    const pid = Number(match[1]);
    gone = !isAlive(pid) || startFileTime(pid) !== BigInt(match[2]!);
  } else {
    const since = Date.parse(
      (await Deno.readTextFile(`${dir}/started`)).trim(),
    );
    gone = Date.now() - since > 60_000;
  }
  return gone && !await exists(`${dir}/finished`);
}

async function exitCode(dir: string): Promise<number | null> {
  const text = await Deno.readTextFile(`${dir}/exit_code`).catch(() => null);
  const t = text?.trim() ?? "";
  return /^-?\d{1,10}$/.test(t) ? Number(t) : null;
}

async function endState(dir: string): Promise<string> {
  if (await exists(`${dir}/killed`)) return "killed";
  if (await exists(`${dir}/start_error`)) return "start_failed";
  return "finished";
}

/** `run_follow`: streams new lines from the offsets, then one status line. */
export async function runFollowKind(
  input: Input,
  ctx: ShellContext,
): Promise<number> {
  const dir = runDir(ctx, String(input.run_id));
  const started = `${dir}/started`;
  if (!await exists(started)) {
    await ctx.io.out('x {"state":"not_found"}\n');
    return 0;
  }
  const since = Date.parse((await Deno.readTextFile(started)).trim());
  const pos = {
    o: Number(input.stdout_offset),
    e: Number(input.stderr_offset),
  };
  const files = { o: `${dir}/stdout.txt`, e: `${dir}/stderr.txt` };
  const send = async (tag: "o" | "e", all: boolean) => {
    const bytes = await Deno.readFile(files[tag]).catch(() => null);
    if (!bytes || bytes.length <= pos[tag]) return;
    const buf = bytes.subarray(pos[tag]);
    let at = 0;
    const line = (from: number, to: number, end: number) =>
      ctx.io.out(
        `${tag} ${end} ${
          new TextDecoder().decode(buf.subarray(from, to)).replace(/\r+$/, "")
        }\n`,
      );
    for (;;) {
      const lf = buf.indexOf(10, at);
      if (lf < 0) break;
      await line(at, lf, pos[tag] + lf + 1);
      at = lf + 1;
    }
    if (all && at < buf.length) {
      await line(at, buf.length, pos[tag] + buf.length);
      at = buf.length;
    }
    pos[tag] += at;
  };
  const deadline = Date.now() + Number(input.wait_ms);
  const timeout = Number(input.timeout_ms);
  for (;;) {
    const done = await exists(`${dir}/finished`);
    await send("o", done);
    await send("e", done);
    const elapsed = Date.now() - since;
    const status = (value: Record<string, unknown>) =>
      ctx.io.out(`x ${JSON.stringify(value)}\n`).then(() => 0);
    if (done) {
      return status({
        state: await endState(dir),
        exit_code: await exitCode(dir),
        elapsed_ms: elapsed,
      });
    }
    if (await lost(dir)) return status({ state: "lost", elapsed_ms: elapsed });
    if (timeout > 0 && elapsed >= timeout) {
      return status({ state: "timeout", elapsed_ms: elapsed });
    }
    if (Date.now() >= deadline) {
      return status({ state: "running", elapsed_ms: elapsed });
    }
    await sleep(200);
  }
}

/** `run_list`: one JSON line per run folder that has `started`. */
export async function runListKind(
  _input: Input,
  ctx: ShellContext,
): Promise<number> {
  const root = mapWindowsPath(ctx.labDir, RUN_DIR);
  const entries = await Array.fromAsync(Deno.readDir(root)).catch(() => []);
  for (const entry of entries.filter((e) => e.isDirectory)) {
    const dir = `${root}/${entry.name}`;
    const started = await Deno.readTextFile(`${dir}/started`).catch(() => null);
    if (started === null) continue;
    let state = "running";
    if (await exists(`${dir}/finished`)) state = await endState(dir);
    else if (await lost(dir)) state = "lost";
    await print(ctx, {
      run_id: entry.name,
      state,
      started: started.trim(),
      exit_code: await exitCode(dir),
    });
  }
  return 0;
}

/**
 * The runner (`powershell.exe -File <run folder>\runner.ps1`, whose text was
 * checked against `RUNNER_PIN`): writes `pid`, runs `command.ps1` with the
 * streams merged, appending output to `stdout.txt` and errors, warnings,
 * verbose and debug lines to `stderr.txt` (UTF-8, CRLF, each line written as
 * it comes), then `exit_code`, `finished`, and removes `pid`. Returns its
 * exit code. A command the lab does not model fails loudly: its
 * `lab: unsupported ...` line in `stderr.txt`, exit code 1.
 */
export async function runRunner(
  runnerPath: string,
  ctx: Omit<ShellContext, "io">,
): Promise<number> {
  const dir = dirname(runnerPath);
  const utf8 = new TextEncoder();
  await Deno.writeTextFile(
    `${dir}/pid`,
    `${Deno.pid} ${startFileTime(Deno.pid)}`,
  );
  const out = await Deno.open(`${dir}/stdout.txt`, {
    append: true,
    create: true,
  });
  const err = await Deno.open(`${dir}/stderr.txt`, {
    append: true,
    create: true,
  });
  const line = async (file: Deno.FsFile, text: string) => {
    for (const one of text.split("\n")) {
      let rest = utf8.encode(one + "\r\n");
      while (rest.length) rest = rest.subarray(await file.write(rest));
    }
  };
  let code = 0;
  try {
    if (await exists(`${dir}/cancelled`)) {
      await line(err, "cancelled before it started");
      code = 130;
    } else {
      const raw = await Deno.readTextFile(`${dir}/command.ps1`);
      const command = raw.replace(/^\ufeff/, "").replace(/\r\n$/, "");
      let failed = false;
      const emit = async (record: PsRecord) => {
        switch (record.kind) {
          case "error":
            if (!record.native) failed = true;
            return await line(err, record.message);
          case "warning":
          case "verbose":
          case "debug":
            return await line(
              err,
              `${record.kind.toUpperCase()}: ${record.message}`,
            );
          case "information":
            return await line(out, record.message);
          case "output":
            return await line(out, record.text);
        }
      };
      const fileIo = {
        out: (text: string) => line(out, text.replace(/\r?\n$/, "")),
        err: (text: string) => line(err, text.replace(/\r?\n$/, "")),
      };
      try {
        const outcome = await runUserScript(command, {
          ctx: { ...ctx, io: fileIo },
          emit,
          nativeStderr: "records",
          lastExitCode: null,
        });
        const last = outcome.exit ?? outcome.lastExitCode;
        if (outcome.terminating) code = 1;
        else if (last !== null && last !== 0) code = last;
        else code = failed ? 1 : 0;
      } catch (error) {
        if (!(error instanceof Unsupported)) throw error;
        await line(err, unsupportedLine(error).trimEnd());
        code = 1;
      }
    }
  } finally {
    out.close();
    err.close();
  }
  await Deno.writeTextFile(`${dir}/exit_code`, String(code));
  await Deno.writeTextFile(`${dir}/finished`, new Date().toISOString());
  await Deno.remove(`${dir}/pid`).catch(() => {});
  return code;
}

/** Whether a `-File` script is the runner, and its text's pin hash. */
export function runnerHash(fileBytes: Uint8Array): string | null {
  const text = new TextDecoder().decode(fileBytes).replace(/^\ufeff/, "")
    .replace(/\r\n$/, "");
  if (!text.startsWith(RUNNER_PREFIX)) return null;
  return sha256Hex(text);
}

/**
 * `run_gc`: deletes (or, dry, lists) run folders older than `days`, as the
 * body does: age from `finished`'s last write, else from `started`'s when
 * the run's process is gone, else (no `started`) from the folder's own last
 * write unless it holds `pid`; running runs, names that are not run ids and
 * reparse points (symlinks here) are left alone.
 */
export async function runGcKind(
  input: Input,
  ctx: ShellContext,
): Promise<number> {
  const root = mapWindowsPath(ctx.labDir, RUN_DIR);
  const entries = await Array.fromAsync(Deno.readDir(root)).catch(() => []);
  const mtime = async (path: string) => (await Deno.stat(path)).mtime!;
  for (const entry of entries) {
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(entry.name)) continue;
    const dir = `${root}/${entry.name}`;
    const info = await Deno.lstat(dir);
    if (info.isSymlink || !info.isDirectory) continue;
    let since: Date | null = null;
    if (await exists(`${dir}/finished`)) since = await mtime(`${dir}/finished`);
    else if (await exists(`${dir}/started`)) {
      if (await lost(dir)) since = await mtime(`${dir}/started`);
    } else if (!await exists(`${dir}/pid`)) since = info.mtime!;
    if (since === null) continue;
    const age = (Date.now() - since.getTime()) / 86_400_000;
    if (age < Number(input.days)) continue;
    if (!input.dry_run) await Deno.remove(dir, { recursive: true });
    await print(ctx, {
      run_id: entry.name,
      action: input.dry_run ? "would_delete" : "deleted",
      age_days: Math.floor(age),
    });
  }
  return 0;
}
