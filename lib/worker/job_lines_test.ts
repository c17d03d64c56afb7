import { assert } from "@test/assert";
import { Redactor } from "../redact/mod.ts";
import { jobLines, type LineMeta, MAX_ENTRY_CHARS } from "./job_lines.ts";

const SECRET = "s3cr3t-ws-path-AbCdEfGhIjKlMnOp";

function recorder() {
  const sent: { message: string; meta: LineMeta }[] = [];
  const send = async (message: string, meta: LineMeta) => {
    // Out-of-order completion would show here if sends overlapped.
    await new Promise((r) => setTimeout(r, meta.seq % 2 ? 0 : 3));
    sent.push({ message, meta });
  };
  return { sent, send };
}

Deno.test("jobLines() sends each line redacted, numbered and in order, one after the other", async () => {
  const { sent, send } = recorder();
  const lines = jobLines(send, { redactor: new Redactor([SECRET]) });
  lines.text("stdout", `one\r\ntwo ${SECRET}\n\nfour\n`);
  lines.line("stderr", "err");
  await lines.flush();
  assert.deepEqual(sent.map((s) => s.message), [
    "one",
    "two <redacted>",
    " ",
    "four",
    "err",
  ]);
  assert.deepEqual(sent.map((s) => s.meta.seq), [0, 1, 2, 3, 4]);
  assert.equal(sent[2]!.meta.empty, true);
  assert.equal(sent[4]!.meta.stream, "stderr");
  assert.ok(!sent.some((s) => s.message.includes(SECRET)));
});

Deno.test("jobLines() cuts a long line into entries the SDK accepts, marking all but the last", async () => {
  const { sent, send } = recorder();
  const lines = jobLines(send, { redactor: new Redactor([]) });
  // A surrogate pair straddles the cut: it must stay whole.
  const long = "a".repeat(MAX_ENTRY_CHARS - 1) + "😀" + "b".repeat(10);
  lines.line("stdout", long);
  await lines.flush();
  assert.equal(sent.length, 2);
  assert.ok(sent.every((s) => s.message.length <= MAX_ENTRY_CHARS));
  assert.equal(sent[0]!.meta.cont, true);
  assert.equal(sent[1]!.meta.cont, undefined);
  assert.equal(sent.map((s) => s.message).join(""), long);
});

Deno.test("jobLines() stops at maxLines and says how many were left out; a failed send loses only its entry", async () => {
  const sent: string[] = [];
  const errors: unknown[] = [];
  const lines = jobLines((m, meta) => {
    if (meta.seq === 1) return Promise.reject(new Error("engine said no"));
    sent.push(m);
    return Promise.resolve();
  }, {
    redactor: new Redactor([]),
    maxLines: 3,
    onError: (e) => errors.push(e),
  });
  lines.text("stdout", "1\n2\n3\n4\n5");
  await lines.flush();
  assert.equal(lines.count, 5);
  assert.deepEqual(sent.slice(0, 2), ["1", "3"]);
  assert.match(sent[2]!, /2 more lines not sent/);
  assert.equal(errors.length, 1);
});

Deno.test("jobLines().start() sends one numbered `job` entry naming the artifacts' host and root, redacted; the dropped-lines notice carries its count", async () => {
  const { sent, send } = recorder();
  const lines = jobLines(send, {
    redactor: new Redactor([SECRET]),
    maxLines: 1,
  });
  lines.start({ host: "lnx-7", root: `/srv/${SECRET}/j` });
  lines.text("stdout", "a\nb\nc");
  await lines.flush();
  assert.deepEqual(sent[0], {
    message: "artifact_host=lnx-7 artifact_root=/srv/<redacted>/j",
    meta: {
      seq: 0,
      stream: "job",
      artifact_host: "lnx-7",
      artifact_root: "/srv/<redacted>/j",
    },
  });
  assert.equal(sent[1]!.meta.seq, 1);
  assert.equal(sent[1]!.meta.dropped, undefined, "an output line");
  assert.equal(sent[2]!.meta.dropped, 2);
  assert.match(sent[2]!.message, /2 more lines not sent/);
});
