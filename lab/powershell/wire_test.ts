/**
 * Over real ssh to the lab's real sshd: the emulated PowerShell refuses the
 * shipped bootstrap carrying a changed body, and answers the shipped one.
 * Starts only sshd (labUp() would also install Playwright through the CLI and
 * start Hatchet, which this test does not need).
 * @module
 */
import assert from "node:assert/strict";
import { BODY_PINS, BOOTSTRAP_PIN, UNREVIEWED } from "./_pins.ts";
import {
  bootstrapArgs,
  SHIPPED_BOOTSTRAP,
  TEST_NONCE,
  v2Stdin,
} from "./_v2_request.ts";
import { labEnv, labUpSshd, readJournal, sshOptionsFromEnv } from "../mod.ts";

async function ssh(
  env: Record<string, string>,
  knownHosts: string,
  command: string,
  stdin: Uint8Array,
) {
  const child = new Deno.Command("ssh", {
    args: [
      "-T",
      ...sshOptionsFromEnv(env, knownHosts),
      env.WIN_AUTOMATION_WINDOWS_SSH_HOST!,
      command,
    ],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(stdin);
  await writer.close();
  const out = await child.output();
  const text = (b: Uint8Array) => new TextDecoder().decode(b);
  return { code: out.code, stdout: text(out.stdout), stderr: text(out.stderr) };
}

Deno.test("lab: over real ssh the emulator refuses a changed body and answers the shipped one", async () => {
  assert.ok(
    BOOTSTRAP_PIN !== UNREVIEWED && BODY_PINS.version !== UNREVIEWED,
    "lab/powershell/_pins.ts still holds TODO pins for the bootstrap or version: review the v2 texts and fill them in (see _pins_test.ts)",
  );
  const { paths } = await labUpSshd();
  const env = await labEnv(paths) as unknown as Record<string, string>;
  const tmp = await Deno.makeTempDir({ prefix: "wa-wire-test-" });
  try {
    const known = `${tmp}/known_hosts`;
    const command = ["powershell", ...bootstrapArgs()].join(" ");
    const changed = await ssh(
      env,
      known,
      command,
      v2Stdin("version", {}, { body: "'anything at all'" }),
    );
    assert.equal(changed.code, 1, changed.stderr);
    assert.match(
      changed.stderr,
      /lab: unsupported PowerShell: version body is not the pinned one/,
    );
    assert.ok(!changed.stdout.includes("wa:"), changed.stdout);
    const journal = await readJournal(paths.dir);
    assert.equal(journal.at(-1)?.kind, "version");
    assert.equal(journal.at(-1)?.pins, undefined, "the real pins were used");

    const boot = await ssh(
      env,
      known,
      ["powershell", ...bootstrapArgs(SHIPPED_BOOTSTRAP + " ")].join(" "),
      v2Stdin("version", {}),
    );
    assert.equal(boot.code, 1);
    assert.match(boot.stderr, /is not the pinned v2 bootstrap/);

    const shipped = await ssh(env, known, command, v2Stdin("version", {}));
    assert.equal(shipped.code, 0, shipped.stderr);
    assert.ok(
      shipped.stdout.startsWith(`wa:${TEST_NONCE}:begin\r\n`),
      shipped.stdout,
    );
    assert.ok(shipped.stdout.endsWith(`wa:${TEST_NONCE}:exit=0\r\n`));
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});
