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
  /** Variables of the caller's environment the program must not inherit. @default [] */
  unsetEnv?: string[];
}

const SCRIPT =
  'out=$1; err=$2; shift 2; setsid "$@" </dev/null >>"$out" 2>>"$err" & echo $!';

/**
 * Starts a program in its own Linux session (so no Linux signal or hang-up of
 * the caller reaches it: the lab's job objects, lab/windows/job_objects.ts,
 * decide when it dies), stdin from /dev/null, output appended to files. The
 * environment is inherited, minus `unsetEnv`, which is left out of the
 * intermediate shell's own environment too (not `unset` inside it): Linux
 * shows a forked child's environment as its parent's until it execs, so a
 * shell that only unset a variable showed it in the child for a moment, and
 * a lab job closing then (lab/windows/job_objects.ts finds its members by
 * their environment) killed a WMI-created runner before it ran (a run `lost`
 * after 60 s, once in 200 jobs under load). Returns its pid:
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
    unsetEnv = [],
  } = options;
  const inherited = Deno.env.toObject();
  for (const name of unsetEnv) delete inherited[name];
  const output = await new Deno.Command("bash", {
    args: ["-c", SCRIPT, "bash", stdoutPath, stderrPath, program, ...args],
    env: { ...inherited, ...env },
    clearEnv: true,
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
