/**
 * What the emulated Windows is: its name, PowerShell version, edition facts
 * per the `os` knob, and its services. One place, so a multi-host lab can
 * change them. Sources are in lab/README.md, "PowerShell 5.1 host".
 * @module
 */
import type { LabOs } from "./knobs.ts";

/** The default machine name (`hostname`, `[Environment]::MachineName`). */
export const DEFAULT_HOSTNAME = "WIN-LAB";

/**
 * The machine name of the emulated host: `WIN_LAB_HOSTNAME` when a lab sets
 * it for a host, else {@linkcode DEFAULT_HOSTNAME}.
 */
export function machineName(): string {
  return Deno.env.get("WIN_LAB_HOSTNAME") || DEFAULT_HOSTNAME;
}

/** What an edition is and ships. */
export interface OsFacts {
  /** Win32_OperatingSystem.Caption. */
  caption: string;
  /** Win32_OperatingSystem.BuildNumber. */
  build: string;
  /** `$PSVersionTable.PSVersion.ToString()`: 5.1 with the edition's build. */
  psVersion: string;
  /** Whether winget (App Installer) is installed. */
  winget: boolean;
  /** Whether Microsoft Edge is installed. */
  edge: boolean;
}

/** The facts of each edition the lab can be. */
export const OS_FACTS: Record<LabOs, OsFacts> = {
  server2019: {
    caption: "Microsoft Windows Server 2019 Datacenter",
    build: "17763",
    psVersion: "5.1.17763.6414",
    winget: false,
    edge: false,
  },
  server2022: {
    caption: "Microsoft Windows Server 2022 Datacenter",
    build: "20348",
    psVersion: "5.1.20348.2849",
    winget: false,
    edge: true,
  },
  win11: {
    caption: "Microsoft Windows 11 Pro",
    build: "22631",
    psVersion: "5.1.22621.4391",
    winget: true,
    edge: true,
  },
};

/** Where Edge is installed when the edition ships it. */
export const EDGE_PATH =
  "C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe";
/** Where winget's app execution alias is when the edition ships it. */
export const WINGET_PATH =
  "C:\\Users\\Administrator\\AppData\\Local\\Microsoft\\WindowsApps\\winget.exe";
/** What `winget --version` prints. */
export const WINGET_VERSION = "v1.9.25200";

/** powershell.exe's path (DefaultShell, where.exe). */
export const POWERSHELL_PATH =
  "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe";

/** The services `Get-Service` knows: name, display name, status. */
export const SERVICES: { name: string; display: string; status: string }[] = [
  { name: "Schedule", display: "Task Scheduler", status: "Running" },
  { name: "Spooler", display: "Print Spooler", status: "Stopped" },
  { name: "sshd", display: "OpenSSH SSH Server", status: "Running" },
  {
    name: "WinRM",
    display: "Windows Remote Management (WS-Management)",
    status: "Running",
  },
];

/** `LastBootUpTime` when `<lab>/state/boot.json` does not say. */
export const DEFAULT_LAST_BOOT = "2025-01-06T08:00:00Z";
