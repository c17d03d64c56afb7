import type { AlohaClient } from "../aloha/mod.ts";
import type { ResolvedConfig, Via } from "../config/mod.ts";
import { type HatchetHealth, hatchetHealth } from "../hatchet/mod.ts";
import {
  type PlaywrightHealth,
  playwrightHealth,
  type PlaywrightTarget,
  targetOf,
} from "../playwright/mod.ts";
import type { SshClient } from "../ssh/mod.ts";
import {
  firewallProblem,
  firewallRule,
  firewallRuleName,
  type FirewallRuleSpec,
  type FirewallRuleState,
  type RemoteVersion,
  remoteVersion,
  requiredFirewallRules,
  urlPort,
} from "../windows/mod.ts";

/** What the probes look at: the resolved config and the clients. */
export interface ProbeDeps {
  config: ResolvedConfig;
  ssh: SshClient;
  /** An Aloha client; its HTTP retries are the caller's choice. */
  aloha: AlohaClient;
}

/** One side of Aloha: its server or its client. */
export type AlohaSide = "server" | "client";

/** SSH and PowerShell: the Windows side's version, host name and OS. */
export function probeSsh(
  deps: Pick<ProbeDeps, "config" | "ssh">,
): Promise<RemoteVersion> {
  const { config, ssh } = deps;
  return remoteVersion(ssh, { timeoutMs: config.limits.stepMs });
}

/** Where one side of Aloha is: its URL, how it is reached, its port on Windows. */
export interface AlohaEndpoint {
  url: string;
  via: Via;
  port: number;
}

/** Where one side of Aloha is, as the config says. */
export function alohaEndpoint(
  config: ResolvedConfig,
  side: AlohaSide,
): AlohaEndpoint {
  const url = side === "server"
    ? config.aloha.serverUrl
    : config.aloha.clientUrl;
  return { url, via: config.aloha.via, port: urlPort(url) };
}

/**
 * Asks one side of Aloha: the server's health page (a wrong answer throws),
 * or whether the client answers at all (its HTTP status, any). Throws when
 * it cannot be reached.
 */
export async function probeAloha(
  deps: Pick<ProbeDeps, "aloha">,
  side: AlohaSide,
): Promise<{ httpStatus?: number }> {
  if (side === "server") {
    await deps.aloha.serverHealth();
    return {};
  }
  return { httpStatus: await deps.aloha.clientReachable() };
}

/**
 * The firewall rules the config needs, each limited to `windows.allow_from`:
 * one per service reached directly (`aloha.via`, `playwright.via`), none
 * through ssh.
 */
export function firewallSpecs(config: ResolvedConfig): FirewallRuleSpec[] {
  const allowFrom = config.windows.allowFrom;
  return requiredFirewallRules(config).map(([name, port]) => ({
    name,
    port,
    allowFrom,
  }));
}

/**
 * The firewall rule one service needs: an Aloha side's or the Playwright
 * server's, limited to `windows.allow_from`; undefined when it is reached
 * through ssh (there is none to check or create).
 */
export function firewallSpecOf(
  config: ResolvedConfig,
  service: AlohaSide | "playwright",
): FirewallRuleSpec | undefined {
  const name = service === "playwright"
    ? firewallRuleName("Playwright", config.playwright.port)
    : firewallRuleName("Aloha", alohaEndpoint(config, service).port);
  return firewallSpecs(config).find((spec) => spec.name === name);
}

/** What {@linkcode probeFirewallRule} found. */
export interface FirewallFinding {
  /** The rule as Windows reports it. */
  rule: FirewallRuleState;
  /** What is wrong with it and the exact fix; null when it is right. */
  problem: { problem: string; fix: string } | null;
}

/** Reads one firewall rule and says what is wrong with it, if anything. */
export async function probeFirewallRule(
  deps: Pick<ProbeDeps, "config" | "ssh">,
  spec: FirewallRuleSpec,
): Promise<FirewallFinding> {
  const { config, ssh } = deps;
  const rule = await firewallRule(ssh, spec.name, {
    timeoutMs: config.limits.stepMs,
  });
  return { rule, problem: firewallProblem(spec, rule) };
}

/** What {@linkcode probeHatchet} found. */
export interface HatchetFinding extends HatchetHealth {
  /** Why it is not usable (not live, or live but not ready); undefined when it is. */
  problem?: string;
}

/** Options for {@linkcode probeHatchet}. */
export interface HatchetProbeOptions {
  /**
   * Delays before HTTP retries; `[]` leaves retrying to the caller.
   * @default the HTTP retry policy's
   */
  retryDelaysMs?: readonly number[];
}

/**
 * Asks Hatchet-lite's health endpoints whether it is live and ready. Throws
 * (a DependencyError) when they cannot be reached.
 */
export async function probeHatchet(
  deps: Pick<ProbeDeps, "config">,
  options: HatchetProbeOptions = {},
): Promise<HatchetFinding> {
  const { config } = deps;
  const { retryDelaysMs } = options;
  const health = await hatchetHealth(config.hatchet.healthUrl, {
    timeoutMs: config.limits.stepMs,
    ...(retryDelaysMs ? { http: { retryDelaysMs } } : {}),
  });
  const problem = !health.live
    ? "hatchet-lite not live"
    : !health.ready
    ? "hatchet-lite live but not ready"
    : undefined;
  return { ...health, problem };
}

/**
 * The Playwright server the config names. Through ssh, the probe's
 * WebSocket (and the ws path in it) goes to the server on the Windows side
 * through sshd, whose host key is checked: never to whatever listens on a
 * local port.
 */
export function playwrightTarget(
  deps: Pick<ProbeDeps, "config" | "ssh">,
): PlaywrightTarget {
  return targetOf(deps.config, deps.ssh);
}

/** Whether a Playwright ws path is set: without it the server cannot be connected to. */
export function playwrightConfigured(target: PlaywrightTarget): boolean {
  return target.wsPath !== "";
}

/**
 * Connects to the Playwright server with the pinned client and reads its
 * versions. Throws when it cannot connect or the versions do not match.
 */
export function probePlaywright(
  deps: Pick<ProbeDeps, "config">,
  target: PlaywrightTarget,
): Promise<PlaywrightHealth> {
  return playwrightHealth(target, {
    timeoutMs: deps.config.limits.playwrightConnectMs,
  });
}
