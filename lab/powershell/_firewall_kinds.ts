/**
 * The emulator's firewall kinds (`firewall_rule`, `firewall_add`,
 * `firewall_repair`) against `<lab>/state/firewall.json`, doing what the
 * bodies in lib/powershell/scripts.ts do with the NetSecurity cmdlets.
 *
 * A rule is `{name, port, enabled, direction?, action?, remote_addresses?}`;
 * a rule without the last three (the seed, or a rule written by an older
 * lab) is what `New-NetFirewallRule` makes by default: Inbound, Allow, any
 * remote address. Like `Get-NetFirewallAddressFilter`, the rule's remote
 * addresses are reported as Windows keeps them: `Any` for any, an IPv4
 * subnet given by its prefix length in mask form (`10.0.0.0/24` as
 * `10.0.0.0/255.255.255.0`), single addresses as given.
 * @module
 */
import { readJson, withLock, writeJson } from "../linux/mod.ts";
import type { ShellContext } from "./_shell_io.ts";

/** One rule in `state/firewall.json`. */
export interface FirewallRule {
  name: string;
  port: number;
  enabled: boolean;
  /** @default "Inbound" */
  direction?: string;
  /** @default "Allow" */
  action?: string;
  /** @default ["Any"] */
  remote_addresses?: string[];
}

interface FirewallFile {
  rules: FirewallRule[];
}

type Input = Record<string, unknown>;

function file(ctx: ShellContext): string {
  return `${ctx.labDir}/state/firewall.json`;
}

async function print(ctx: ShellContext, value: unknown): Promise<number> {
  await ctx.io.out(JSON.stringify(value) + "\n");
  return 0;
}

/** An IPv4 `a.b.c.d/<bits>` as Windows shows it, `a.b.c.d/<mask>`. */
function shown(address: string): string {
  const m = address.match(/^(\d+\.\d+\.\d+\.\d+)\/(\d+)$/);
  if (!m) return address;
  const bits = Number(m[2]);
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  const octets = [24, 16, 8, 0].map((s) => (mask >>> s) & 255);
  return `${m[1]}/${octets.join(".")}`;
}

function addresses(input: Input): string[] {
  const list = input.remote_addresses;
  return Array.isArray(list) ? list.map(String) : [];
}

/** `firewall_rule`: the rule's state, or `exists: false`. */
export async function firewallRuleKind(
  input: Input,
  ctx: ShellContext,
): Promise<number> {
  const data = await readJson<FirewallFile>(file(ctx), { rules: [] });
  const rule = data.rules.find((r) => r.name === input.name);
  if (!rule) {
    return print(ctx, {
      exists: false,
      enabled: false,
      ports: "",
      direction: "",
      action: "",
      remote_addresses: [],
    });
  }
  return print(ctx, {
    exists: true,
    enabled: rule.enabled,
    ports: String(rule.port),
    direction: rule.direction ?? "Inbound",
    action: rule.action ?? "Allow",
    remote_addresses: (rule.remote_addresses ?? ["Any"]).map(shown),
  });
}

/** `firewall_add`: an inbound allow rule from the given addresses, unless one of that name exists. */
export async function firewallAddKind(
  input: Input,
  ctx: ShellContext,
): Promise<number> {
  const path = file(ctx);
  const created = await withLock(`${path}.lock`, async () => {
    const data = await readJson<FirewallFile>(path, { rules: [] });
    if (data.rules.some((r) => r.name === input.name)) return false;
    data.rules.push({
      name: String(input.name),
      port: Number(input.port),
      enabled: true,
      direction: "Inbound",
      action: "Allow",
      remote_addresses: addresses(input),
    });
    await writeJson(path, data);
    return true;
  });
  return print(ctx, { state: created ? "created" : "unchanged" });
}

/** `firewall_repair`: enabled, inbound allow, on the port, from the given addresses. */
export async function firewallRepairKind(
  input: Input,
  ctx: ShellContext,
): Promise<number> {
  const path = file(ctx);
  const answer = await withLock(`${path}.lock`, async () => {
    const data = await readJson<FirewallFile>(path, { rules: [] });
    const rule = data.rules.find((r) => r.name === input.name);
    if (!rule) return { state: "missing", changed: [] };
    const changed: string[] = [];
    if (!rule.enabled) (rule.enabled = true, changed.push("enabled"));
    if (
      (rule.direction ?? "Inbound") !== "Inbound" ||
      (rule.action ?? "Allow") !== "Allow"
    ) {
      rule.direction = "Inbound";
      rule.action = "Allow";
      changed.push("direction");
    }
    if (String(rule.port) !== String(input.port)) {
      rule.port = Number(input.port);
      changed.push("port");
    }
    // The body compares the sorted lists as Windows shows them.
    const wanted = addresses(input);
    const now = (rule.remote_addresses ?? ["Any"]).map(shown).sort().join(",");
    if (now !== [...wanted].sort().join(",")) {
      rule.remote_addresses = wanted;
      changed.push("remote_address");
    }
    if (changed.length > 0) await writeJson(path, data);
    return { state: "present", changed };
  });
  return print(ctx, answer);
}
