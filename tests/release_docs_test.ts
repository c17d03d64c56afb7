/**
 * What the release issue promises in files: the release workflow builds both
 * Linux targets with sums on SemVer tags, and the operator docs have the
 * sections the runbook and README point to.
 * @module
 */
import { assert } from "@test/assert";

const read = (path: string) =>
  Deno.readTextFile(new URL(`../${path}`, import.meta.url));

Deno.test("release.yml builds linux x86_64 and aarch64 on vX.Y.Z tags and attaches sha256 sums", async () => {
  const yml = await read(".github/workflows/release.yml");
  assert.match(yml, /tags: \["v\*\.\*\.\*"\]/);
  assert.match(yml, /x86_64-unknown-linux-gnu/);
  assert.match(yml, /aarch64-unknown-linux-gnu/);
  assert.match(yml, /deno task compile \$\{\{ matrix\.target \}\}/);
  assert.match(yml, /sha256sum win-automation-\* > SHA256SUMS/);
  assert.match(yml, /gh release create .*SHA256SUMS/s);
  assert.doesNotMatch(yml, /--allow-all|deno run -A/);
});

Deno.test("ci.yml runs scripts/test (deno task ok with the lab) on pull requests", async () => {
  const yml = await read(".github/workflows/ci.yml");
  assert.match(yml, /pull_request/);
  assert.match(yml, /bash scripts\/test/);
  const test = await read("scripts/test");
  assert.match(test, /task ok/);
});

Deno.test("the operator docs have the sections they are referred to by", async () => {
  const readme = await read("README.md");
  assert.match(readme, /^## Versioning$/m);
  const nixos = await read("docs/NIXOS_INTEGRATION.md");
  assert.match(nixos, /compatibility matrix/i);
  assert.match(nixos, /drift checklist/i);
  const runbook = await read("docs/RUNBOOK.md");
  for (
    const h of [
      "Deployment",
      "Upgrade",
      "Rollback",
      "Troubleshooting",
      "Secret rotation",
    ]
  ) {
    assert.match(runbook, new RegExp(`^## ${h}$`, "m"), h);
  }
});

Deno.test("the compatibility matrix names the versions this build pins", async () => {
  const deno = JSON.parse(await read("deno.json")) as {
    imports: Record<string, string>;
  };
  const pin = (name: string) => deno.imports[name]!.match(/@([\d.]+)$/)![1]!;
  const nixos = await read("docs/NIXOS_INTEGRATION.md");
  assert.ok(
    nixos.includes(`playwright-core ${pin("playwright-core")}`),
    "playwright-core pin",
  );
  assert.ok(
    nixos.includes(
      `@hatchet-dev/typescript-sdk ${pin("@hatchet-dev/typescript-sdk")}`,
    ),
    "hatchet sdk pin",
  );
  const lib = await read("scripts/_lib.sh");
  const denoVersion = lib.match(/^DENO_VERSION="(.*)"$/m)![1]!;
  assert.ok(nixos.includes(`| ${denoVersion} `), "deno version");
});

Deno.test("the runbook says how to verify a release, pass the secrets as credentials and allow a remote VM", async () => {
  const runbook = await read("docs/RUNBOOK.md");
  const verify = runbook.slice(runbook.search(/^## Verify a release$/m));
  assert.ok(verify.length < runbook.length, "no Verify a release section");
  assert.match(verify, /sha256sum -c[^\n]*SHA256SUMS/);
  assert.match(verify, /gh attestation verify \S+ --repo \S+/);
  for (const cred of ["hatchet_token", "playwright_ws_path"]) {
    assert.ok(
      runbook.includes(`/etc/win-automation/credentials/${cred}`),
      cred,
    );
  }
  assert.match(runbook, /^### Network allow list$/m);
  assert.match(runbook, /IPAddressAllow=%s %s/);
  assert.match(runbook, /\.service\.d\/allow\.conf/);
  // The secrets left the env file: no step writes them there any more.
  assert.doesNotMatch(runbook, /WIN_AUTOMATION_HATCHET_TOKEN=<new>/);
  assert.doesNotMatch(runbook, /printf 'WIN_AUTOMATION_PLAYWRIGHT_WS_PATH=/);
});
