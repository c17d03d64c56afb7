/**
 * The one permission set the CLI runs with, from source (`scripts/lab`'s
 * wrapper, the tests) and compiled (`deno task compile`). Never `--allow-all`.
 * Run it to print the flags for a shell.
 * @module
 */

/** Programs the CLI may run. */
export const CLI_RUN = ["ssh", "scp"];

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
  // job's `.running` marker (gc keeps jobs alive on this host); nothing else
  // of the system.
  "--allow-sys=homedir,osRelease,hostname",
  "--no-prompt",
];

if (import.meta.main) {
  // deno-lint-ignore no-console
  console.log(CLI_PERMISSIONS.join(" "));
}
