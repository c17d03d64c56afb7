import { assert } from "@test/assert";
import { requiredFirewallRules } from "./firewall_rules.ts";

const config = (via: "ssh" | "direct") => ({
  aloha: {
    via,
    serverUrl: "http://10.0.0.5:7887",
    clientUrl: "https://10.0.0.5",
  },
  playwright: { via, port: 3000 },
});

Deno.test("requiredFirewallRules() names a rule per direct service port, none through ssh", () => {
  assert.deepEqual(requiredFirewallRules(config("ssh")), []);
  const rules = requiredFirewallRules(config("direct"));
  assert.deepEqual(rules.map((r) => r[1]), [7887, 443, 3000]);
  assert.ok(rules.every(([name]) => name.length > 0));
});
