import type { SshClient } from "../ssh/mod.ts";
import { runJsonScript } from "./remote.ts";
import { normalizeRemoteAddress, sameAddresses } from "./remote_address.ts";

/** A firewall rule as the `firewall_rule` kind reports it. */
export interface FirewallRuleState {
  exists: boolean;
  enabled: boolean;
  /** Local ports, comma-separated (`"Any"` for any; `""` when missing). */
  ports: string;
  /** `Inbound` or `Outbound` (`""` when missing). @default "Inbound" */
  direction?: string;
  /** `Allow` or `Block` (`""` when missing). @default "Allow" */
  action?: string;
  /** Remote addresses (`["Any"]` for any). @default ["Any"] */
  remote_addresses?: string[];
}

/** Options shared by the probes. */
export interface ProbeOptions {
  /** Time limit in ms. */
  timeoutMs: number;
  /** Cancels the probe. @default undefined */
  signal?: AbortSignal;
}

/** What the version kind reports about the Windows side. */
export interface RemoteVersion {
  ps_version: string;
  hostname: string;
  /** Win32_OperatingSystem's Caption, e.g. "Microsoft Windows Server 2022 Datacenter". */
  os_caption: string;
  os_build: string;
  /** Last boot, ISO 8601 UTC. */
  last_boot: string;
  /** sshd's DefaultShell registry value; empty when unset (cmd.exe). */
  default_shell: string;
  /** Whether winget is on PATH. */
  winget: boolean;
  /** Whether Microsoft Edge is installed. */
  edge: boolean;
}

/** The PowerShell version, host name, OS and sshd shell of the Windows side. */
export function remoteVersion(
  ssh: SshClient,
  options: ProbeOptions,
): Promise<RemoteVersion> {
  return runJsonScript(ssh, "version", {}, options);
}

/**
 * The short name of sshd's DefaultShell: `cmd` when unset (Win32-OpenSSH's
 * default), else the program's base name without `.exe`, lower case
 * (`powershell`, `pwsh`, `bash`, ...).
 */
export function defaultShellName(value: string): string {
  const base = value.trim().replace(/^"|"$/g, "").split(/[\\/]/).pop() ?? "";
  return base === "" ? "cmd" : base.toLowerCase().replace(/\.exe$/, "");
}

/**
 * A firewall rule by display name: whether it exists and is enabled, its
 * local ports (`"7887"`, `"Any"`, comma-separated; `""` when missing), its
 * direction, action and remote addresses.
 */
export function firewallRule(
  ssh: SshClient,
  name: string,
  options: ProbeOptions,
): Promise<FirewallRuleState> {
  return runJsonScript(ssh, "firewall_rule", { name }, options);
}

/** A firewall rule to converge: its name, local port and allowed remote addresses. */
export interface FirewallRuleSpec {
  name: string;
  port: number;
  /** `windows.allow_from`: the only remote addresses the rule allows. */
  allowFrom: readonly string[];
}

/**
 * Creates an inbound TCP allow rule from `allowFrom` only
 * (`-RemoteAddress`) unless it exists (converges).
 */
export function ensureFirewallRule(
  ssh: SshClient,
  rule: FirewallRuleSpec,
  options: ProbeOptions,
): Promise<{ state: "created" | "unchanged" }> {
  return runJsonScript(ssh, "firewall_add", firewallInput(rule), options);
}

/**
 * Makes an existing firewall rule an enabled inbound allow rule for `port`
 * from `allowFrom` only (converges: `changed` is empty when it already was
 * so); `missing` when there is none.
 */
export function repairFirewallRule(
  ssh: SshClient,
  rule: FirewallRuleSpec,
  options: ProbeOptions,
): Promise<{ state: "present" | "missing"; changed: string[] }> {
  return runJsonScript(ssh, "firewall_repair", firewallInput(rule), options);
}

function firewallInput(rule: FirewallRuleSpec) {
  return {
    name: rule.name,
    port: rule.port,
    remote_addresses: [...rule.allowFrom],
  };
}

/** `schtasks /Run` of a scheduled task unless it runs (converges). */
export function runScheduledTask(
  ssh: SshClient,
  name: string,
  options: ProbeOptions,
): Promise<{ state: "started" | "running" | "missing" }> {
  return runJsonScript(ssh, "task_run", { name }, options);
}

/** Whether something listens on a TCP port on Windows. */
export async function portListening(
  ssh: SshClient,
  port: number,
  options: ProbeOptions,
): Promise<boolean> {
  const answer = await runJsonScript<"port_listening", { listening: boolean }>(
    ssh,
    "port_listening",
    { port },
    options,
  );
  return answer.listening;
}

/** Whether the interactive desktop is locked (LogonUI running). */
export async function desktopLocked(
  ssh: SshClient,
  options: ProbeOptions,
): Promise<boolean> {
  const answer = await runJsonScript<"desktop", { state: string }>(
    ssh,
    "desktop",
    {},
    options,
  );
  return answer.state === "locked";
}

/** Whether a scheduled task exists. */
export async function taskExists(
  ssh: SshClient,
  name: string,
  options: ProbeOptions,
): Promise<boolean> {
  const answer = await runJsonScript<"task_exists", { exists: boolean }>(
    ssh,
    "task_exists",
    { name },
    options,
  );
  return answer.exists;
}

/** The display name of the firewall rule for a port (e.g. `Aloha-7887`). */
export function firewallRuleName(
  prefix: "Aloha" | "Playwright",
  port: number,
): string {
  return `${prefix}-${port}`;
}

/**
 * What is wrong with a firewall rule for `port` from `allowFrom` and the
 * exact PowerShell command that fixes it, or null when it is as it should
 * be: present, enabled, inbound, allow, on the port (or `Any`), and open to
 * exactly `allowFrom` (a rule open to `Any` remote address is a problem).
 */
export function firewallProblem(
  name: string,
  port: number,
  allowFrom: readonly string[],
  rule: FirewallRuleState,
): { problem: string; fix: string } | null {
  const q = psQuote(name);
  if (!rule.exists) {
    return {
      problem: "firewall rule missing",
      fix: firewallFixCommand(name, port, allowFrom),
    };
  }
  if (!rule.enabled) {
    return {
      problem: "firewall rule disabled",
      fix: `Enable-NetFirewallRule -DisplayName ${q}`,
    };
  }
  const direction = rule.direction ?? "Inbound";
  const action = rule.action ?? "Allow";
  if (direction !== "Inbound" || action !== "Allow") {
    return {
      problem: `firewall rule is ${direction} ${action}, not Inbound Allow`,
      fix:
        `Set-NetFirewallRule -DisplayName ${q} -Direction Inbound -Action Allow`,
    };
  }
  const ports = rule.ports.split(",");
  if (!ports.includes(String(port)) && !ports.includes("Any")) {
    return {
      problem: `firewall rule opens port ${rule.ports || "none"}, not ${port}`,
      fix:
        `Set-NetFirewallRule -DisplayName ${q} -Protocol TCP -LocalPort ${port}`,
    };
  }
  const remote = rule.remote_addresses ?? ["Any"];
  if (!sameAddresses(remote, allowFrom)) {
    const shown = remote.map((r) => normalizeRemoteAddress(r) ?? r).join(",");
    return {
      problem: remote.some((r) => /^any$/i.test(r))
        ? `firewall rule allows any remote address, not only ${
          allowFrom.join(",")
        }`
        : `firewall rule allows ${shown || "none"}, not ${allowFrom.join(",")}`,
      fix: `Set-NetFirewallRule -DisplayName ${q} -RemoteAddress ${
        remoteList(allowFrom)
      }`,
    };
  }
  return null;
}

/** `'a','b'`: addresses as a PowerShell list of literals. */
function remoteList(allowFrom: readonly string[]): string {
  return allowFrom.map(psQuote).join(",");
}

/** The PowerShell command that creates a firewall rule, as shown to operators. */
export function firewallFixCommand(
  name: string,
  port: number,
  allowFrom: readonly string[],
): string {
  return `New-NetFirewallRule -DisplayName ${
    psQuote(name)
  } -Direction Inbound -Action Allow -Protocol TCP -LocalPort ${port} -RemoteAddress ${
    remoteList(allowFrom)
  } -Profile Any`;
}

/** A PowerShell single-quoted string literal (`'` doubled inside). */
export function psQuote(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}
