/**
 * The texts the lab's author has reviewed the emulation against: sha256 (hex)
 * of the UTF-16LE-decoded bootstrap text and of each kind's body (the script
 * text after its header line and `\n`), as lib/powershell ships them.
 *
 * The emulator refuses any bootstrap or body whose hash is not pinned here. It
 * never computes these from lib/ at run time: that would agree with the client
 * by construction. `_pins_test.ts` compares them with lib/powershell's current
 * texts; when one differs, re-review that kind's emulation against the new
 * body (tests/lab/_script_kinds.ts and README "Script kinds"), then update its
 * line here. `TODO` means not yet reviewed: the emulator refuses that text.
 * @module
 */

/** A pin that has not been reviewed: the emulator refuses its text. */
export const UNREVIEWED: string = "TODO";

/** sha256 of the v2 bootstrap text (`# win-automation bootstrap v2` ...). */
export const BOOTSTRAP_PIN: string = UNREVIEWED;

/** sha256 of each kind's v2 body, one line per kind. */
export const BODY_PINS: Record<string, string> = {
  exec: UNREVIEWED,
  kill: UNREVIEWED,
  version: UNREVIEWED,
  firewall_rule: UNREVIEWED,
  firewall_add: UNREVIEWED,
  firewall_repair: UNREVIEWED,
  task_run: UNREVIEWED,
  port_listening: UNREVIEWED,
  desktop: UNREVIEWED,
  task_exists: UNREVIEWED,
  file_size: UNREVIEWED,
  playwright_prereq: UNREVIEWED,
  playwright_install: UNREVIEWED,
  log_follow: UNREVIEWED,
  artifact_dir: UNREVIEWED,
  aloha_tasks: UNREVIEWED,
};
