/**
 * The texts the lab's author has reviewed the emulation against: sha256 (hex)
 * of the UTF-16LE-decoded bootstrap text and of each kind's body (the script
 * text after its header line and `\n`), as lib/powershell ships them.
 *
 * The emulator refuses any bootstrap or body whose hash is not pinned here. It
 * never computes these from lib/ at run time: that would agree with the client
 * by construction. `_pins_test.ts` compares them with lib/powershell's current
 * texts; when one differs, re-review that kind's emulation against the new
 * body (lab/powershell/_script_kinds.ts and README "Script kinds"), then update its
 * line here. `TODO` means not yet reviewed: the emulator refuses that text.
 * @module
 */

/** A pin that has not been reviewed: the emulator refuses its text. */
export const UNREVIEWED: string = "TODO";

/** sha256 of the v2 bootstrap text (`# win-automation bootstrap v2` ...). */
export const BOOTSTRAP_PIN: string =
  "21d9dc0e7660bc7d97ba17aaf12506670c70b5cfd236626b7b77766141463547";

/**
 * sha256 of the runner text (`# win-automation runner v1` ..., LF line ends)
 * that `run_start` writes as `runner.ps1` and starts with `-File`.
 */
export const RUNNER_PIN: string =
  "24cf480585394d9ab7a930bc816cb4844752bcc77101da005e268f1cbe761097";

/** sha256 of each kind's v2 body, one line per kind. */
export const BODY_PINS: Record<string, string> = {
  exec: "5e11150be88486015da43189966865fb1baad19194a8b5833f20579dc47ec1f6",
  reboot: "12e48f04f31afd209a3e60ee1fa2465abcec7a426503c0e769c189c317e8531f",
  run_start: "0ff460c0b3f7367fb9b052ca9794a2e6d1c40fde69ceb75dc57a7a681e2a7331",
  run_follow:
    "365e326a0d4ffcae46547581030a0f8c0da2e44ad4f94572fb7bdf4df4d61ece",
  run_list: "d18d70362600e026eb897891fb9569a54184e0038b504a71dfc2484dfa5595f6",
  run_gc: "364921cfb2ae46c2761a6542cf84c7becca4a1db7747d60754d8a95ddd15d43d",
  kill: "ac1ad9bd8c8b4d96161327157501ce0e3247731050b48e7ea89457013a42f8ca",
  version: "1dcef7a3981600cabe4da231e9aa52f158f8534839758ddd8ad80863acdc5fa7",
  firewall_rule:
    "64a147c5eb8bd3e0f2522c260fe71dfe8fbfc68ba4e8a7360cb7a5415f5afe53",
  firewall_add:
    "8626d6f09b2ddd9a0f965852e9886c42d213f9d9eec68db6c97c3ca5ac9ab7e4",
  firewall_repair:
    "1e3e1cf63e2e7b3692ee5b66c4ddd9b341edc713196eef0a6eff8ddbc5834d16",
  task_run: "d5b14a32854e482403d4861c511f720612b42e492023b5f87a52241f540e15fe",
  port_listening:
    "f174bf4fb32fb26c0c568e296cb453e891f358aca2a8c2a41f83296afb482205",
  desktop: "ade4b3ee8812350f1729abdb18952eb7389d40b5296f7ce7591490b31dfbb726",
  task_exists:
    "09be8b3986f06ba415b1781097350a6b2cd64a79528e29293224214d284d4bb7",
  file_size: "cc73b397b6edc81445a4ab7cc5e1f388f6583d5b0a2e3102a85c0673e9c41f46",
  playwright_prereq:
    "250fe86363708ac92e993ae26839107bf3dbbe596b9c918c95bb9395c29d41a3",
  playwright_install:
    "edf30237c242b00c17e162e3ffc15593242da3b26ec240927007ceffb79393b4",
  log_follow:
    "0b05d0732922082ee84e9418e0ca71fc4c30f8225bd3d949d9d680fc7110f2be",
  artifact_dir:
    "7f4e8e6c3157c91daa8972907f604d39c8983e79b3ae14b752e10df43fc11864",
  aloha_tasks:
    "0b4d2030ca9fc36dd0263467d6de6df1eb3a3ece5b4ad3fdff84bb769618b108",
  acl_check: "f4b1e834f6e44629af347e7c4228863735ff5e75d09f02d1e2f5efff2627fbac",
  root_lock: "4d6cfc068c2ff1a5e2413a001ea7895792d7e96606e5052d36bcf760b3696ff4",
};
