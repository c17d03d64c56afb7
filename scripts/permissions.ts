/**
 * The one permission set the CLI runs with, from source (`scripts/lab`'s
 * wrapper, the tests) and compiled (`deno task compile`). Never `--allow-all`.
 * Run it to print the flags for a shell.
 * @module
 */

/** Environment variables the CLI may read. */
export const CLI_ENV = [
  "WIN_AUTOMATION_*",
  "HOME",
  "XDG_STATE_HOME",
  // commander's help reads these to decide on colour.
  "NO_COLOR",
  "FORCE_COLOR",
  "CLICOLOR",
  "CLICOLOR_FORCE",
];

/** Programs the CLI may run. */
export const CLI_RUN = ["ssh", "scp"];

/** The deno permission flags of the CLI. */
export const CLI_PERMISSIONS: readonly string[] = [
  "--allow-read",
  "--allow-write",
  "--allow-net",
  `--allow-run=${CLI_RUN.join(",")}`,
  `--allow-env=${CLI_ENV.join(",")}`,
  "--no-prompt",
];

if (import.meta.main) {
  // deno-lint-ignore no-console
  console.log(CLI_PERMISSIONS.join(" "));
}
