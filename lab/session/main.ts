/**
 * The lab's Win32-OpenSSH session handling: the lab sshd's `ForceCommand`
 * (through `<lab>/winbin/ssh-session`) runs every exec request here, so what
 * bash would have done with the command line, Windows does instead:
 *
 * - The line (`SSH_ORIGINAL_COMMAND`) goes to sshd's DefaultShell, the
 *   `default_shell` knob of `state/windows.json`: `cmd.exe /c <line>`
 *   ({@linkcode runCmdShell}) or `powershell.exe -c <line>`
 *   ({@linkcode runPowerShellShell}), as `do_exec_windows` in
 *   PowerShell/openssh-portable `contrib/win32/win32compat/w32-doexec.c`.
 * - Each session is a job ({@linkcode closeJob}): its processes carry its id,
 *   and when the shell exits every process left in the job is killed,
 *   `Start-Process` children included.
 * - A dropped connection does not end the session: without a pty, Win32-OpenSSH
 *   leaves the command running (PowerShell/Win32-OpenSSH #1751, open and
 *   reproduced by the maintainers; the job handle lives in the shell process,
 *   `w32-doexec.c`), its output is lost, and the job closes when the shell
 *   exits.
 *
 * Each session is journaled to `<lab>/sessions.jsonl`: a start line
 * `{"ts","session","shell","line","pid"}`, a `{"ts","session","event":
 * "disconnected"}` line if the connection drops, and an end line
 * `{"ts","session","event":"end","code","killed"}`. Anything the lab does not
 * model exits 1 with `lab: unsupported <cmd|PowerShell|session>: <what>`.
 * @module
 */
import { appendJsonLine } from "../linux/json_file.ts";
import { runCmdShell } from "./_cmd.ts";
import type { SessionContext } from "./_inner.ts";
import { closeJob } from "../windows/job_objects.ts";
import { readWindowsKnobs } from "../windows/knobs.ts";
import { SessionOutput } from "./_output.ts";
import { runPowerShellShell } from "./_powershell.ts";

/** One line of `<lab>/sessions.jsonl`. */
export type SessionJournalEntry =
  | {
    ts: string;
    session: string;
    shell: "cmd" | "powershell";
    line: string;
    /** The session program's pid (its parent is the sshd serving the connection). */
    pid: number;
  }
  | { ts: string; session: string; event: "disconnected" }
  | {
    ts: string;
    session: string;
    event: "end";
    code: number;
    killed: number[];
  };

/** An entry as the session writes it, before `ts` and `session` are added. */
type JournalLine<E = SessionJournalEntry> = E extends unknown
  ? Omit<E, "ts" | "session">
  : never;

/** The sessions journal's path. */
export function sessionsJournalPath(labDir: string): string {
  return `${labDir}/sessions.jsonl`;
}

/** How often the session checks that sshd still serves it. */
const PARENT_POLL_MS = 200;

async function fail(stderr: SessionOutput, what: string): Promise<number> {
  await stderr.write(new TextEncoder().encode(`lab: unsupported ${what}\n`));
  return 1;
}

/** Options of {@linkcode main}. */
export interface SessionOptions {
  labDir: string;
  /** `SSH_ORIGINAL_COMMAND`; undefined for a shell request. */
  line: string | undefined;
  /** Whether sshd gave the session a pty (`SSH_TTY` is set). */
  pty: boolean;
}

/** Runs one session; returns the exit status ssh reports. */
export async function main(options: SessionOptions): Promise<number> {
  const { labDir, line, pty } = options;
  const stdout = new SessionOutput(Deno.stdout);
  const stderr = new SessionOutput(Deno.stderr);
  if (line === undefined) {
    return await fail(stderr, "session: a shell without a command");
  }
  if (pty) return await fail(stderr, "session: a pty (ssh -t)");
  const knobs = await readWindowsKnobs(labDir);
  const job = crypto.randomUUID();
  const journal = (entry: JournalLine) =>
    appendJsonLine(sessionsJournalPath(labDir), {
      ts: new Date().toISOString(),
      session: job,
      ...entry,
    });
  await journal({ shell: knobs.default_shell, line, pid: Deno.pid });
  const ctx: SessionContext = { labDir, job, line, knobs, stdout, stderr };

  const parent = Deno.ppid;
  const watch = setInterval(() => {
    if (Deno.ppid === parent) return;
    clearInterval(watch);
    journal({ event: "disconnected" }).catch(() => {});
  }, PARENT_POLL_MS);
  const onTerm = () => {
    closeJob(labDir, job).finally(() => Deno.exit(143));
  };
  Deno.addSignalListener("SIGTERM", onTerm);

  let code = 1;
  try {
    code = knobs.default_shell === "cmd"
      ? await runCmdShell(ctx)
      : await runPowerShellShell(ctx);
  } finally {
    clearInterval(watch);
    const killed = await closeJob(labDir, job);
    await journal({ event: "end", code, killed });
    Deno.removeSignalListener("SIGTERM", onTerm);
  }
  return code;
}

if (import.meta.main) {
  const labDir = Deno.env.get("WIN_LAB_DIR");
  try {
    if (!labDir) throw new Error("WIN_LAB_DIR is not set");
    Deno.exit(
      await main({
        labDir,
        line: Deno.env.get("SSH_ORIGINAL_COMMAND"),
        pty: Deno.env.get("SSH_TTY") !== undefined,
      }),
    );
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    await Deno.stderr.write(
      new TextEncoder().encode(`lab: Cannot run the ssh session: ${why}\n`),
    ).catch(() => {});
    Deno.exit(1);
  }
}
