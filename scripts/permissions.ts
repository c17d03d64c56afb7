/**
 * The one permission set the CLI runs with, from source (`scripts/lab`'s
 * wrapper, the tests) and compiled (`deno task compile`). Never `--allow-all`.
 * Run it to print the flags for a shell.
 * @module
 */

/** Directories where a system's OpenSSH client lives (NixOS last). */
const PROGRAM_DIRS = [
  "/usr/bin",
  "/bin",
  "/usr/local/bin",
  "/run/current-system/sw/bin",
];

/**
 * Programs the CLI may run: ssh and scp by absolute path only, never a bare
 * name that resolves through whatever PATH the process gets. At run time the
 * CLI resolves each once on PATH, checks the file is a root-owned regular
 * executable and runs that absolute path, which must be one of these.
 */
export const CLI_RUN: readonly string[] = PROGRAM_DIRS.flatMap((dir) => [
  `${dir}/ssh`,
  `${dir}/scp`,
]);

/** The deno permission flags of the CLI. */
export const CLI_PERMISSIONS: readonly string[] = [
  "--allow-read",
  "--allow-write",
  "--allow-net",
  `--allow-run=${CLI_RUN.join(",")}`,
  // Not scoped to a list: the `debug` package, which the Hatchet SDK's HTTP
  // stack loads (axios -> follow-redirects), enumerates the whole environment
  // when it loads, and Deno refuses that to a scoped `--allow-env`. What the
  // CLI itself reads is one list (lib/config/fields.ts).
  "--allow-env",
  // playwright-core (client side, `playwright` commands and the worker) reads
  // the home directory and the OS release when it loads (Chrome profile
  // paths, a WSL check); the artifact pipeline records the host name in a
  // job's `.running` marker (gc keeps jobs alive on this host); the uid
  // checks that the state dir belongs to the user running the CLI; nothing
  // else of the system.
  "--allow-sys=homedir,osRelease,hostname,uid",
  "--no-prompt",
];

if (import.meta.main) {
  // deno-lint-ignore no-console
  console.log(CLI_PERMISSIONS.join(" "));
}
