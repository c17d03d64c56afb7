/**
 * The variables ssh and scp (and the ControlMaster an ssh forks, which keeps
 * its parent's environment for as long as it lives) are given, and why:
 * `PATH` for a `ProxyCommand` or `LocalCommand` run through the shell,
 * `HOME` for `~` in paths, `USER`/`LOGNAME` as the login name's default,
 * `LANG`/`LC_ALL` for the character set of messages (and `SendEnv`, which
 * Debian's ssh_config sets for them), `SSH_AUTH_SOCK` to reach an agent.
 * Nothing else: above all no `WIN_AUTOMATION_*` (the Hatchet token, the
 * Playwright ws path) and no debug or hook variables.
 */
export const CHILD_ENV_NAMES: readonly string[] = [
  "PATH",
  "HOME",
  "LANG",
  "LC_ALL",
  "USER",
  "LOGNAME",
  "SSH_AUTH_SOCK",
];

/**
 * The minimal environment of a child process: {@linkcode CHILD_ENV_NAMES}
 * that are set, read through `getEnv`; `PATH` falls back to
 * `/usr/bin:/bin`.
 */
export function childEnv(
  getEnv: (name: string) => string | undefined,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of CHILD_ENV_NAMES) {
    const value = getEnv(name);
    if (value !== undefined) env[name] = value;
  }
  env.PATH ??= "/usr/bin:/bin";
  return env;
}
