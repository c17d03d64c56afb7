import { assert } from "@test/assert";
import { capText, capTextForJson, outputOfLines } from "./job_output.ts";
import type { JobLogLine } from "./logs.ts";

const bytes = (s: string) => new TextEncoder().encode(s).length;

Deno.test("capText() keeps text of at most maxBytes whole and cuts longer text at maxBytes UTF-8 bytes", () => {
  // Negative control: exactly at the cap is not cut.
  assert.deepEqual(capText("abcd", 4), { text: "abcd", truncated: false });
  assert.deepEqual(capText("abcde", 4), { text: "abcd", truncated: true });
  assert.deepEqual(capText("", 0), { text: "", truncated: false });
  const mib = "x".repeat(1024 * 1024);
  assert.deepEqual(capText(mib), { text: mib, truncated: false });
  const over = capText(mib + "y");
  assert.equal(over.truncated, true);
  assert.equal(over.text, mib);
});

Deno.test("capText() never cuts inside a character: it backs off to the character's first byte", () => {
  // "é" is 2 bytes, "😀" 4: a cut at 2 would split the emoji.
  assert.deepEqual(capText("a😀b", 2), { text: "a", truncated: true });
  assert.deepEqual(capText("a😀b", 5), { text: "a😀", truncated: true });
  assert.deepEqual(capText("éé", 3), { text: "é", truncated: true });
  for (let max = 0; max < 12; max++) {
    const cut = capText("ééé😀x", max);
    assert.ok(bytes(cut.text) <= max, `${max}: ${cut.text}`);
    assert.ok(!cut.text.includes("\ufffd"), `${max}: a broken character`);
  }
  assert.throws(() => capText("x", -1), RangeError);
});

const line = (
  attempt: number,
  stream: string,
  text: string,
  extra: Partial<JobLogLine> = {},
): JobLogLine => ({
  attempt,
  stream,
  text,
  at: "2026-01-01T00:00:00Z",
  ...extra,
});

Deno.test("outputOfLines() rebuilds the last attempt's stdout and stderr with line ends, and where its artifacts are", () => {
  const out = outputOfLines([
    line(1, "job", "artifact_host=a artifact_root=/old", {
      artifact_host: "old-host",
      artifact_root: "/old",
    }),
    line(1, "stdout", "from the first attempt"),
    line(2, "job", "artifact_host=h artifact_root=/r", {
      artifact_host: "h",
      artifact_root: "/r",
    }),
    line(2, "stdout", "hi"),
    line(2, "stderr", "oops"),
    line(2, "stdout", ""),
    line(2, "log", "not the command's"),
  ]);
  assert.deepEqual(out, {
    stdout: { text: "hi\n\n", truncated: false },
    stderr: { text: "oops\n", truncated: false },
    artifact_host: "h",
    artifact_root: "/r",
    attempt: 2,
  });
  // Negative control: no lines, nothing known.
  assert.deepEqual(outputOfLines([]), {
    stdout: { text: "", truncated: false },
    stderr: { text: "", truncated: false },
    attempt: 0,
  });
});

Deno.test("outputOfLines() cuts each stream at maxBytes, and the worker's dropped-lines notice marks both truncated without being part of them", () => {
  const many = Array.from({ length: 10 }, (_, i) => line(1, "stdout", `${i}`));
  const cut = outputOfLines(many, 7);
  assert.deepEqual(cut.stdout, { text: "0\n1\n2\n3", truncated: true });
  assert.deepEqual(cut.stderr, { text: "", truncated: false });
  const dropped = outputOfLines([
    line(1, "stdout", "a"),
    line(1, "stderr", "[win-automation: 5 more lines not sent]", {
      dropped: 5,
    }),
  ]);
  assert.deepEqual(dropped.stdout, { text: "a\n", truncated: true });
  assert.deepEqual(dropped.stderr, { text: "", truncated: true });
});

Deno.test("capTextForJson() cuts output full of control characters until its JSON form fits, and leaves plain text at the byte cap", () => {
  const controls = "\u0001".repeat(1000);
  const cut = capTextForJson(controls, 1000, 1500);
  assert.equal(cut.truncated, true);
  assert.ok(JSON.stringify(cut.text).length <= 1500);
  assert.ok(cut.text.length > 200, `cut too far: ${cut.text.length}`);
  // Negative control: plain text of the same size is only byte-capped.
  const plain = capTextForJson("x".repeat(1000), 1000, 1500);
  assert.deepEqual(plain, { text: "x".repeat(1000), truncated: false });
});
