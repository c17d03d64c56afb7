/** Options of {@linkcode spawnDetached}. */
export interface SpawnDetachedOptions {
  /** File that stdout is appended to. @default "/dev/null" */
  stdoutPath?: string;
  /** File that stderr is appended to. @default "/dev/null" */
  stderrPath?: string;
  /** Extra environment variables. @default {} */
  env?: Record<string, string>;
  /** Working directory. @default the caller's */
  cwd?: string;
}

const SCRIPT =
  'out=$1; err=$2; shift 2; setsid "$@" </dev/null >>"$out" 2>>"$err" & echo $!';

/**
 * Starts a program in its own session (so it outlives the caller and any ssh
 * session), stdin from /dev/null, output appended to files. Returns its pid:
 * `setsid` does not fork when its caller leads no process group, so the pid
 * that bash reports is the program's own.
 */
export async function spawnDetached(
  program: string,
  args: string[],
  options: SpawnDetachedOptions = {},
): Promise<number> {
  const {
    stdoutPath = "/dev/null",
    stderrPath = "/dev/null",
    env = {},
    cwd,
  } = options;
  const output = await new Deno.Command("bash", {
    args: ["-c", SCRIPT, "bash", stdoutPath, stderrPath, program, ...args],
    env,
    ...(cwd === undefined ? {} : { cwd }),
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const pid = Number(new TextDecoder().decode(output.stdout).trim());
  if (!output.success || !Number.isInteger(pid) || pid <= 0) {
    const why = new TextDecoder().decode(output.stderr).trim();
    throw new Error(`Cannot start "${program}": ${why || "no pid reported"}`);
  }
  return pid;
}
