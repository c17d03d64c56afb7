import type { SshClient } from "../ssh/mod.ts";
import { runJsonScript } from "./remote.ts";

/** Options shared by the probes. */
export interface ProbeOptions {
  /** Time limit in ms. */
  timeoutMs: number;
  /** Cancels the probe. @default undefined */
  signal?: AbortSignal;
}

/** The PowerShell version and host name of the Windows side. */
export function remoteVersion(
  ssh: SshClient,
  options: ProbeOptions,
): Promise<{ ps_version: string; hostname: string }> {
  return runJsonScript(ssh, "version", {}, options);
}

/** Whether a firewall rule with this display name exists and is enabled. */
export function firewallRule(
  ssh: SshClient,
  name: string,
  options: ProbeOptions,
): Promise<{ exists: boolean; enabled: boolean }> {
  return runJsonScript(ssh, "firewall_rule", { name }, options);
}

/** Creates an inbound TCP allow rule unless it exists (converges). */
export function ensureFirewallRule(
  ssh: SshClient,
  name: string,
  port: number,
  options: ProbeOptions,
): Promise<{ state: "created" | "unchanged" }> {
  return runJsonScript(ssh, "firewall_add", { name, port }, options);
}

/** Enables a disabled firewall rule (converges); `missing` when there is none. */
export function enableFirewallRule(
  ssh: SshClient,
  name: string,
  options: ProbeOptions,
): Promise<{ state: "enabled" | "unchanged" | "missing" }> {
  return runJsonScript(ssh, "firewall_enable", { name }, options);
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

/** The PowerShell command that creates a firewall rule, as shown to operators. */
export function firewallFixCommand(name: string, port: number): string {
  return `New-NetFirewallRule -DisplayName ${name} -Direction Inbound -Action Allow -Protocol TCP -LocalPort ${port} -Profile Any`;
}
