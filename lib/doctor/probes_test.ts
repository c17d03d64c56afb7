import { assert } from "@test/assert";
import { loadConfig } from "../config/mod.ts";
import {
  alohaEndpoint,
  firewallSpecOf,
  firewallSpecs,
  probeHatchet,
} from "./probes.ts";

/** A resolved config from env only (no file, no home). */
function configOf(env: Record<string, string> = {}) {
  return loadConfig({
    env: {
      WIN_AUTOMATION_STATE_DIR: "/nonexistent/state",
      WIN_AUTOMATION_ARTIFACT_OUT: "/nonexistent/artifacts",
      ...env,
    },
  });
}

const DIRECT = {
  WIN_AUTOMATION_ALOHA_VIA: "direct",
  WIN_AUTOMATION_PLAYWRIGHT_VIA: "direct",
  WIN_AUTOMATION_WINDOWS_ALLOW_FROM: "192.0.2.7",
  WIN_AUTOMATION_ALOHA_SERVER_URL: "http://192.0.2.1:7887",
  WIN_AUTOMATION_ALOHA_CLIENT_URL: "http://192.0.2.1",
  WIN_AUTOMATION_PLAYWRIGHT_PORT: "9323",
};

Deno.test("firewallSpecs() needs no rule when every service is reached through ssh", async () => {
  const config = await configOf();
  assert.deepEqual(firewallSpecs(config), []);
  assert.equal(firewallSpecOf(config, "server"), undefined);
  assert.equal(firewallSpecOf(config, "playwright"), undefined);
});

Deno.test("firewallSpecOf() gives each direct service its rule, limited to windows.allow_from", async () => {
  const config = await configOf(DIRECT);
  const allowFrom = ["192.0.2.7"];
  assert.deepEqual(firewallSpecs(config), [
    { name: "Aloha-7887", port: 7887, allowFrom },
    { name: "Aloha-80", port: 80, allowFrom },
    { name: "Playwright-9323", port: 9323, allowFrom },
  ]);
  assert.deepEqual(firewallSpecOf(config, "client"), {
    name: "Aloha-80",
    port: 80,
    allowFrom,
  });
  assert.deepEqual(alohaEndpoint(config, "client"), {
    url: "http://192.0.2.1",
    via: "direct",
    port: 80,
  });
  // Only Aloha direct: Playwright, through ssh, has no rule.
  const aloha = await configOf({
    ...DIRECT,
    WIN_AUTOMATION_PLAYWRIGHT_VIA: "ssh",
  });
  assert.equal(firewallSpecOf(aloha, "playwright"), undefined);
  assert.equal(firewallSpecOf(aloha, "server")?.name, "Aloha-7887");
});

Deno.test("probeHatchet() names what is wrong: not live, or live but not ready", async () => {
  const answers: Record<string, number> = { "/live": 200, "/ready": 500 };
  const server = Deno.serve(
    { port: 0, hostname: "127.0.0.1", onListen: () => {} },
    (req) => new Response(null, { status: answers[new URL(req.url).pathname] }),
  );
  try {
    const config = await configOf({
      WIN_AUTOMATION_HATCHET_HEALTH_URL: `http://127.0.0.1:${server.addr.port}`,
    });
    const probe = () => probeHatchet({ config }, { retryDelaysMs: [] });
    assert.deepEqual(await probe(), {
      live: true,
      ready: false,
      problem: "hatchet-lite live but not ready",
    });
    answers["/live"] = 500;
    assert.equal((await probe()).problem, "hatchet-lite not live");
    answers["/live"] = 200;
    answers["/ready"] = 200;
    assert.deepEqual(await probe(), {
      live: true,
      ready: true,
      problem: undefined,
    });
  } finally {
    await server.shutdown();
  }
});
