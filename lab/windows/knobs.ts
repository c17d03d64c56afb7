import { readJson, writeJson } from "../linux/mod.ts";

/** The Windows editions the lab can pretend to be. */
export type LabOs = "server2019" | "server2022" | "win11";

/**
 * `<lab>/state/windows.json`: what kind of Windows the lab emulates. Read on
 * every invocation (missing file or key: the default).
 */
export interface WindowsKnobs {
  /** Which edition; decides what ships (winget, Edge). @default "server2022" */
  os: LabOs;
  /**
   * sshd's `HKLM:\SOFTWARE\OpenSSH\DefaultShell`: `cmd` (unset, cmd.exe runs
   * the command line) or `powershell` (powershell.exe -c runs it).
   * @default "cmd"
   */
  default_shell: "cmd" | "powershell";
  /** The OEM code page host-written output uses. @default 437 */
  oem_codepage: 437 | 850;
  /**
   * What the user's PowerShell profile prints when a profile loads (only with
   * `default_shell: "powershell"`, whose outer shell loads it). @default ""
   */
  profile_output: string;
  /**
   * How long a restart keeps the machine down: from the moment its processes
   * are stopped (sshd with them) until sshd and the start-up tasks run again.
   * @default 3000
   */
  reboot_down_ms: number;
  /**
   * A negative control: a restart that leaves `LastBootUpTime` as it was
   * (no real Windows does this; it lets a test prove the client waits for a
   * new boot time, not merely for ssh to answer). @default false
   */
  reboot_keeps_boot_time: boolean;
  /**
   * The `sshd` service's start type: `Automatic` starts it at boot, `Manual`
   * (OpenSSH's setup makes Automatic an optional step) leaves it stopped
   * after a restart, so nothing answers ssh again. @default "Automatic"
   */
  sshd_start_type: "Automatic" | "Manual";
}

/** The defaults of {@linkcode WindowsKnobs}. */
export const DEFAULT_WINDOWS_KNOBS: WindowsKnobs = {
  os: "server2022",
  default_shell: "cmd",
  oem_codepage: 437,
  profile_output: "",
  reboot_down_ms: 3_000,
  reboot_keeps_boot_time: false,
  sshd_start_type: "Automatic",
};

/** The knobs file's path. */
export function windowsKnobsPath(labDir: string): string {
  return `${labDir}/state/windows.json`;
}

/** Reads the knobs, filling in defaults; an unknown value throws. */
export async function readWindowsKnobs(labDir: string): Promise<WindowsKnobs> {
  const raw = await readJson<Partial<WindowsKnobs>>(
    windowsKnobsPath(labDir),
    {},
  );
  const knobs = { ...DEFAULT_WINDOWS_KNOBS, ...raw };
  if (!["server2019", "server2022", "win11"].includes(knobs.os)) {
    throw new Error(`lab: unknown os knob "${knobs.os}"`);
  }
  if (!["cmd", "powershell"].includes(knobs.default_shell)) {
    throw new Error(`lab: unknown default_shell knob "${knobs.default_shell}"`);
  }
  if (knobs.oem_codepage !== 437 && knobs.oem_codepage !== 850) {
    throw new Error(`lab: unknown oem_codepage knob "${knobs.oem_codepage}"`);
  }
  if (
    !Number.isInteger(knobs.reboot_down_ms) || knobs.reboot_down_ms < 0 ||
    knobs.reboot_down_ms > 600_000
  ) {
    throw new Error(
      `lab: unknown reboot_down_ms knob "${knobs.reboot_down_ms}"`,
    );
  }
  if (typeof knobs.reboot_keeps_boot_time !== "boolean") {
    throw new Error(
      `lab: unknown reboot_keeps_boot_time knob "${knobs.reboot_keeps_boot_time}"`,
    );
  }
  if (!["Automatic", "Manual"].includes(knobs.sshd_start_type)) {
    throw new Error(
      `lab: unknown sshd_start_type knob "${knobs.sshd_start_type}"`,
    );
  }
  return knobs;
}

/** Replaces the knobs (merged over the defaults). */
export async function writeWindowsKnobs(
  labDir: string,
  knobs: Partial<WindowsKnobs>,
): Promise<void> {
  await writeJson(windowsKnobsPath(labDir), {
    ...DEFAULT_WINDOWS_KNOBS,
    ...knobs,
  });
}
