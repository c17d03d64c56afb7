import { assert } from "@test/assert";
import {
  addressListProblem,
  normalizeRemoteAddress,
  parseAddressList,
  sameAddresses,
} from "./remote_address.ts";
import { firewallProblem } from "./probes.ts";

Deno.test("normalizeRemoteAddress() gives one form for what Windows and the config write", () => {
  assert.equal(normalizeRemoteAddress("192.168.122.1"), "192.168.122.1");
  assert.equal(normalizeRemoteAddress("192.168.122.1/32"), "192.168.122.1");
  assert.equal(normalizeRemoteAddress("10.0.0.0/24"), "10.0.0.0/24");
  assert.equal(normalizeRemoteAddress("10.0.0.0/255.255.255.0"), "10.0.0.0/24");
  assert.equal(normalizeRemoteAddress("FD00:0::1"), "fd00::1");
  assert.equal(normalizeRemoteAddress("fd00::1/128"), "fd00::1");
  for (
    const bad of [
      "Any",
      "LocalSubnet",
      "1.2.3",
      "256.1.1.1",
      "1.2.3.4/33",
      "10.0.0.0/255.0.255.0",
      "host.example",
      "",
    ]
  ) {
    assert.equal(normalizeRemoteAddress(bad), undefined, bad);
  }
});

Deno.test("addressListProblem() refuses what is not an address and what allows everyone; parseAddressList() normalises", () => {
  assert.equal(addressListProblem(""), undefined);
  assert.equal(
    addressListProblem("192.168.122.1, 10.0.0.0/24 fd00::1"),
    undefined,
  );
  assert.match(addressListProblem("Any")!, /"Any" is not one/);
  assert.match(addressListProblem("0.0.0.0/0")!, /allows every address/);
  assert.match(addressListProblem("::/0")!, /allows every address/);
  assert.deepEqual(
    parseAddressList("10.0.0.0/255.255.255.0,10.0.0.0/24, 1.2.3.4/32"),
    ["10.0.0.0/24", "1.2.3.4"],
  );
});

Deno.test("firewallProblem() wants an enabled Inbound Allow rule on the port from exactly windows.allow_from", () => {
  const allow = ["192.168.122.1", "10.0.0.0/24"];
  const good = {
    exists: true,
    enabled: true,
    ports: "7887",
    direction: "Inbound",
    action: "Allow",
    // As Windows reports it: the subnet in mask form, another order.
    remote_addresses: ["10.0.0.0/255.255.255.0", "192.168.122.1"],
  };
  assert.equal(
    firewallProblem({ name: "Aloha-7887", port: 7887, allowFrom: allow }, good),
    null,
  );
  assert.equal(sameAddresses(good.remote_addresses, allow), true);
  const cases: Array<[Partial<typeof good>, RegExp]> = [
    [{ direction: "Outbound" }, /Outbound Allow, not Inbound Allow/],
    [{ action: "Block" }, /Inbound Block, not Inbound Allow/],
    [{ ports: "7888" }, /opens port 7888, not 7887/],
    [{ remote_addresses: ["Any"] }, /allows any remote address/],
    [{ remote_addresses: ["192.168.122.1"] }, /allows 192\.168\.122\.1, not/],
  ];
  for (const [change, want] of cases) {
    const found = firewallProblem({
      name: "Aloha-7887",
      port: 7887,
      allowFrom: allow,
    }, {
      ...good,
      ...change,
    });
    assert.match(found?.problem ?? "", want, JSON.stringify(change));
  }
  assert.match(
    firewallProblem({ name: "Aloha-7887", port: 7887, allowFrom: allow }, {
      exists: false,
      enabled: false,
      ports: "",
    })!.fix,
    /-RemoteAddress '192\.168\.122\.1','10\.0\.0\.0\/24' -Profile Any$/,
  );
});
