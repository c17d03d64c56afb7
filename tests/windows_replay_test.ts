import { assert } from "@test/assert";
import { type Capture, checkCapture, loadCaptures } from "./_capture_replay.ts";
import { EXEC_COMMANDS, RAW_COMMANDS } from "../scripts/_vm_cases.ts";

const FIXTURES = new URL("./fixtures/windows", import.meta.url).pathname;
// Top-level: an empty or unreadable fixture folder fails the whole file.
const captures = await loadCaptures(FIXTURES);

for (const capture of captures) {
  Deno.test(`replay ${capture.folder} (${capture.meta.source}): the client's decoding keeps every Windows invariant`, () => {
    assert.deepEqual(checkCapture(capture), []);
  });
}

Deno.test("the fixtures cover every fixed-meaning case, the DefaultShell=powershell, truncated and no-trailer variants", () => {
  const folders = new Set(captures.map((c) => c.folder));
  for (
    const name of [...Object.keys(EXEC_COMMANDS), ...Object.keys(RAW_COMMANDS)]
  ) {
    assert.ok(folders.has(name), `no fixture for ${name}`);
  }
  const variant = captures.find((c) =>
    c.folder === "exec_exit_3__defaultshell_powershell"
  );
  assert.match(variant?.meta.windows.default_shell ?? "", /powershell/i);
  assert.equal(variant?.meta.ssh_exit_code, 1);
  assert.ok(captures.some((c) => c.meta.truncated && c.stdoutTail));
  assert.ok(captures.some((c) => c.folder === "exec_dropped_connection"));
  for (const c of captures) {
    assert.ok(
      ["vm-capture", "documented-shape"].includes(c.meta.source),
      c.folder,
    );
  }
});

Deno.test("loadCaptures() fails loudly on a folder with no cases", async () => {
  const empty = await Deno.makeTempDir();
  await assert.rejects(
    () => loadCaptures(empty),
    /Cannot replay Windows captures: ".*" holds no case folders/,
  );
});

/** A copy of a fixture with its bytes or meta changed. */
function tampered(
  folder: string,
  change: (c: Capture, text: string) => Partial<Capture> & { text?: string },
): Capture {
  const original = captures.find((c) => c.folder === folder);
  if (!original) throw new Error(`Cannot find fixture "${folder}"`);
  const copy: Capture = structuredClone(original);
  const { text, ...rest } = change(copy, new TextDecoder().decode(copy.stdout));
  Object.assign(copy, rest);
  if (text !== undefined) copy.stdout = new TextEncoder().encode(text);
  return copy;
}

Deno.test("negative control: a trailer with another nonce is rejected (exit 3 cannot be read)", () => {
  const good = captures.find((c) => c.folder === "exec_exit_3")!;
  assert.deepEqual(checkCapture(good), []);
  const forged = tampered("exec_exit_3", (c, text) => ({
    text: text.replace(
      `wa:${c.meta.nonce}:exit=`,
      `wa:${"f".repeat(32)}:exit=`,
    ),
  }));
  const problems = checkCapture(forged);
  assert.ok(
    problems.includes("exit code null, but this case implies 3"),
    problems.join("; "),
  );
});

Deno.test("negative control: XML, a stray \\r, a wrong command and a wrong code are each reported", () => {
  const xml = tampered("exec_echo_ok", (_c, text) => ({
    text: text.replace("ok\r\n", 'ok\r\n<Objs Version="1.1.0.1"></Objs>\r\n'),
  }));
  assert.ok(
    checkCapture(xml).some((p) =>
      p.startsWith("XML (<Objs) in decoded stdout")
    ),
  );
  const cr = tampered(
    "exec_echo_ok",
    (_c, text) => ({ text: text.replace("ok\r\n", "ok\r\r\n") }),
  );
  assert.ok(checkCapture(cr).includes("\\r at a line end in decoded stdout"));
  const command = tampered("exec_echo_ok", (c) => ({
    meta: { ...c.meta, input: { ...c.meta.input, command: "echo nope" } },
  }));
  assert.ok(
    checkCapture(command).includes(
      "input.command is not the command of case exec_echo_ok",
    ),
  );
  const code = tampered("exec_write_error", (c, text) => ({
    text: text.replace(
      `wa:${c.meta.nonce}:exit=1`,
      `wa:${c.meta.nonce}:exit=0`,
    ),
    meta: { ...c.meta, ssh_exit_code: 0 },
  }));
  assert.ok(
    checkCapture(code).includes("exit code 0, but this case implies 1"),
  );
  const oem = tampered("raw_non_ascii", () => ({
    text: "h\u00e9llo\r\n".replace("é", "\u00c3\u00a9"),
  }));
  assert.ok(checkCapture(oem).some((p) => p.startsWith("output ")));
});
