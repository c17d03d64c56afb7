import { firewallRuleName } from "./probes.ts";

/** What {@linkcode requiredFirewallRules} reads of the resolved config. */
export interface FirewallRuleConfig {
  aloha: { via: "ssh" | "direct"; serverUrl: string; clientUrl: string };
  playwright: { via: "ssh" | "direct"; port: number };
}

/** The TCP port a service URL names (its scheme's default when none). */
export function urlPort(url: string): number {
  const u = new URL(url);
  return u.port ? Number(u.port) : u.protocol === "https:" ? 443 : 80;
}

/**
 * The firewall rules the Windows side needs: name and port, for the
 * services reached `direct`ly only (`aloha.via`, `playwright.via`). A
 * service reached through ssh listens on the Windows loopback and needs no
 * rule, so in the default mode the list is empty. Doctor reports them; the
 * supervisor repairs them.
 */
export function requiredFirewallRules(
  config: FirewallRuleConfig,
): Array<[string, number]> {
  const rules: Array<[string, number]> = [];
  if (config.aloha.via === "direct") {
    const server = urlPort(config.aloha.serverUrl);
    const client = urlPort(config.aloha.clientUrl);
    rules.push([firewallRuleName("Aloha", server), server]);
    rules.push([firewallRuleName("Aloha", client), client]);
  }
  if (config.playwright.via === "direct") {
    rules.push([
      firewallRuleName("Playwright", config.playwright.port),
      config.playwright.port,
    ]);
  }
  return rules;
}
