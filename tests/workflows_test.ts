/**
 * The GitHub workflows' supply chain: every action is pinned by a full commit
 * SHA (a tag can be moved to other code, a commit cannot), Deno comes from the
 * committed npm lock, the lab gets the Go it needs, every pull request builds
 * the binary, and releases carry a build provenance attestation.
 * @module
 */
import { assert } from "@test/assert";

const WORKFLOWS = new URL("../.github/workflows/", import.meta.url);

/** One `uses:` of a workflow: the action reference and its trailing comment. */
interface Use {
  ref: string;
  comment: string;
}

/** Every `uses:` in a workflow's text (steps and reusable-workflow jobs). */
export function usesOf(yml: string): Use[] {
  const out: Use[] = [];
  for (const line of yml.split("\n")) {
    const m = line.match(
      /^\s*(?:-\s+)?uses:\s*["']?([^\s"'#]+)["']?\s*(#.*)?$/,
    );
    if (m) out.push({ ref: m[1]!, comment: (m[2] ?? "").trim() });
  }
  return out;
}

/**
 * The `uses:` that are not pinned: a remote action must name a 40-hex commit
 * and say which release it is (`# vX.Y.Z`); a docker image, a sha256 digest.
 * Local actions (`./path`) are this repository's own code.
 */
export function unpinned(yml: string): string[] {
  return usesOf(yml).filter(({ ref, comment }) => {
    if (ref.startsWith("./")) return false;
    if (ref.startsWith("docker://")) return !/@sha256:[0-9a-f]{64}$/.test(ref);
    return !/^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/.test(ref) ||
      !/^# v\d+\.\d+\.\d+$/.test(comment);
  }).map(({ ref }) => ref);
}

async function workflows(): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for await (const e of Deno.readDir(WORKFLOWS)) {
    if (e.isFile && /\.ya?ml$/.test(e.name)) {
      out.set(e.name, await Deno.readTextFile(new URL(e.name, WORKFLOWS)));
    }
  }
  return out;
}

Deno.test("unpinned() refuses tags, branches, short SHAs and a SHA without its release", () => {
  const sample = [
    "steps:",
    "  - uses: actions/checkout@v4",
    "  - uses: actions/setup-node@main",
    "  - uses: actions/setup-go@b7ad1da # v7.0.0",
    "  - uses: actions/cache@0400d5f644dc74513175e3cd8d07132dd4860809",
    "  - uses: 'actions/upload-artifact@v4.6.2' # v4.6.2",
    "  - uses: docker://alpine:3.20",
    "  - uses: actions/checkout@11d5960a326750d5838078e36cf38b85af677262 # v4.4.0",
    "  - uses: ./.github/actions/local",
    "  - uses: docker://alpine@sha256:" + "a".repeat(64),
    "    uses: org/repo/.github/workflows/w.yml@" + "b".repeat(40) +
    " # v1.0.0",
  ].join("\n");
  assert.equal(usesOf(sample).length, 10);
  assert.deepEqual(unpinned(sample), [
    "actions/checkout@v4",
    "actions/setup-node@main",
    "actions/setup-go@b7ad1da",
    "actions/cache@0400d5f644dc74513175e3cd8d07132dd4860809",
    "actions/upload-artifact@v4.6.2",
    "docker://alpine:3.20",
  ]);
});

Deno.test("every action in every workflow is pinned by a commit SHA with its release", async () => {
  const all = await workflows();
  assert.ok(
    all.has("ci.yml") && all.has("release.yml"),
    [...all.keys()].join(),
  );
  for (const [name, yml] of all) {
    // Not vacuous: each workflow has actions to check.
    assert.ok(usesOf(yml).length > 0, `${name} has no uses:`);
    assert.deepEqual(unpinned(yml), [], name);
  }
});

Deno.test("workflows install Deno only from the committed lock, never with a bare npm install", async () => {
  for (const [name, yml] of await workflows()) {
    assert.doesNotMatch(yml, /npm (install|i) [^\n]*deno/, name);
    assert.doesNotMatch(yml, /setup-deno/, name);
  }
  const release = (await workflows()).get("release.yml")!;
  assert.match(release, /install_pinned_deno/);
});

Deno.test("ci.yml installs Go 1.26 for the lab and compiles the binary in its own job, uploading nothing", async () => {
  const ci = (await workflows()).get("ci.yml")!;
  assert.match(ci, /actions\/setup-go@[0-9a-f]{40}/);
  assert.match(ci, /go-version: "1\.26(\.x)?"/);
  const compile = ci.slice(ci.search(/^ {2}compile:$/m));
  assert.ok(compile.length < ci.length, "no compile job");
  assert.match(compile, /deno task compile/);
  assert.match(compile, /install_pinned_deno/);
  assert.doesNotMatch(compile, /upload-artifact|gh release/);
});

Deno.test("release.yml attests build provenance with the permissions it needs and attaches it", async () => {
  const release = (await workflows()).get("release.yml")!;
  assert.match(release, /actions\/attest-build-provenance@[0-9a-f]{40}/);
  assert.match(release, /subject-path: dist\/win-automation-\*/);
  const job = release.slice(release.search(/^ {2}release:$/m));
  assert.match(job, /id-token: write/);
  assert.match(job, /attestations: write/);
  assert.match(job, /contents: write/);
  // Attested before the release is created, bundle attached next to the sums.
  assert.ok(job.indexOf("attest-build-provenance") < job.indexOf("gh release"));
  assert.match(
    job,
    /gh release create[^\n]*SHA256SUMS[^\n]*\\\n\s*dist\/win-automation\.intoto\.jsonl/,
  );
});
