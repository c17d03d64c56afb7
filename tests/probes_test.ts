import { assert } from "@test/assert";
import { SshClient } from "../lib/ssh/mod.ts";
import {
  ensureFirewallRule,
  firewallRule,
  portListening,
  taskExists,
} from "../lib/windows/mod.ts";
import { labOnly, targetEnv, withLabState } from "./_target.ts";

async function ssh(): Promise<SshClient> {
  const env = await targetEnv();
  return new SshClient({
    host: env.WIN_AUTOMATION_WINDOWS_SSH_HOST!,
    port: Number(env.WIN_AUTOMATION_WINDOWS_SSH_PORT),
    user: env.WIN_AUTOMATION_WINDOWS_SSH_USER!,
    identityFile: env.WIN_AUTOMATION_WINDOWS_SSH_IDENTITY_FILE ?? "",
    connectTimeoutMs: 10_000,
    stateDir: env.WIN_AUTOMATION_STATE_DIR!,
  });
}

const opts = { timeoutMs: 10_000 };

Deno.test(labOnly("portListening() answers from real sockets"), async () => {
  const env = await targetEnv();
  const client = await ssh();
  const alohaPort = Number(new URL(env.WIN_AUTOMATION_ALOHA_SERVER_URL!).port);
  assert.equal(await portListening(client, alohaPort, opts), true);
  const probe = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const freePort = (probe.addr as Deno.NetAddr).port;
  assert.equal(await portListening(client, freePort, opts), true);
  probe.close();
  assert.equal(await portListening(client, freePort, opts), false);
});

Deno.test(
  labOnly("taskExists() is false for a task that was never created"),
  async () => {
    assert.equal(
      await taskExists(await ssh(), "WinAutomation-Nope", opts),
      false,
    );
  },
);

/** windows.allow_from of the direct-mode rules these tests create. */
const ALLOW = ["192.168.122.1", "10.0.0.0/24"];
const RULE = { name: "Test-4242", port: 4242, allowFrom: ALLOW };

Deno.test(
  labOnly("ensureFirewallRule() converges: created once, then unchanged"),
  async () => {
    const client = await ssh();
    await withLabState("firewall.json", (state) => state, async () => {
      assert.deepEqual(await firewallRule(client, "Test-4242", opts), {
        exists: false,
        enabled: false,
        ports: "",
        direction: "",
        action: "",
        remote_addresses: [],
      });
      assert.equal(
        (await ensureFirewallRule(client, RULE, opts))
          .state,
        "created",
      );
      assert.equal(
        (await ensureFirewallRule(client, RULE, opts))
          .state,
        "unchanged",
      );
      assert.deepEqual(await firewallRule(client, "Test-4242", opts), {
        exists: true,
        enabled: true,
        ports: "4242",
        direction: "Inbound",
        action: "Allow",
        // As Get-NetFirewallAddressFilter shows them: a subnet in mask form.
        remote_addresses: ["192.168.122.1", "10.0.0.0/255.255.255.0"],
      });
    });
  },
);
