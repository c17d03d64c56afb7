import assert from "node:assert/strict";
import {
  HATCHET_VERSION,
  labPaths,
  labRestart,
  labStatus,
  labUp,
} from "./mod.ts";
import { repoRoot } from "./components/mod.ts";

async function get(
  url: string,
  token?: string,
): Promise<{ status: number; body: string }> {
  const response = await fetch(url, {
    headers: token ? { Authorization: `Bearer ${token}` } : {},
    signal: AbortSignal.timeout(10_000),
  });
  return { status: response.status, body: await response.text() };
}

/** The tenant a Hatchet API token belongs to: its `sub` claim. */
function tenantOf(token: string): string {
  const payload = token.split(".")[1]!.replaceAll("-", "+").replaceAll(
    "_",
    "/",
  );
  return JSON.parse(
    atob(payload.padEnd(Math.ceil(payload.length / 4) * 4, "=")),
  )
    .sub;
}

async function assertServes(env: Record<string, string>): Promise<void> {
  const health = env.WIN_AUTOMATION_HATCHET_HEALTH_URL!;
  const http = env.WIN_AUTOMATION_HATCHET_HTTP_URL!;
  const token = env.WIN_AUTOMATION_HATCHET_TOKEN!;
  for (const probe of ["live", "ready"]) {
    assert.equal((await get(`${health}/${probe}`)).status, 200, probe);
  }
  const version = await get(`${http}/api/v1/version`);
  assert.equal(version.status, 200, version.body);
  assert.equal(JSON.parse(version.body).version, HATCHET_VERSION);

  const since = new Date(Date.now() - 3_600_000).toISOString();
  const runs = `${http}/api/v1/stable/tenants/${
    tenantOf(token)
  }/workflow-runs?only_tasks=false&since=${encodeURIComponent(since)}`;
  const authed = await get(runs, token);
  assert.equal(authed.status, 200, authed.body);
  assert.ok(Array.isArray(JSON.parse(authed.body).rows), authed.body);
  const anonymous = await get(runs);
  assert.ok([401, 403].includes(anonymous.status), anonymous.body);
}

Deno.test("lab: real hatchet-lite serves health, version and the token's tenant; restart brings it back", async () => {
  const env = await labUp();
  assert.equal(env.WIN_AUTOMATION_HATCHET_TLS_STRATEGY, "none");
  assert.match(env.WIN_AUTOMATION_HATCHET_GRPC_ADDRESS!, /^127\.0\.0\.1:\d+$/);
  assert.match(
    env.WIN_AUTOMATION_HATCHET_TOKEN ?? "",
    /^[\w-]+\.[\w-]+\.[\w-]+$/,
  );
  await assertServes(env);

  const paths = labPaths();
  const info = await Deno.stat(paths.hatchetToken);
  assert.equal((info.mode ?? 0) & 0o777, 0o600);
  const token = await Deno.realPath(paths.hatchetToken);
  const repo = await Deno.realPath(repoRoot());
  assert.ok(!token.startsWith(`${repo}/`), token);
  assert.equal(
    (await Deno.readTextFile(token)).trim(),
    env.WIN_AUTOMATION_HATCHET_TOKEN,
  );

  const before = (await labStatus()).find((s) => s.component === "hatchet")!;
  assert.ok(before.up && before.pid !== null);
  const again = await labRestart("hatchet");
  assert.deepEqual(again, env);
  const after = (await labStatus()).find((s) => s.component === "hatchet")!;
  assert.ok(after.up && after.pid !== null && after.pid !== before.pid);
  assert.equal(
    after.port,
    Number(new URL(env.WIN_AUTOMATION_HATCHET_HTTP_URL!).port),
  );
  await assertServes(again);
});
