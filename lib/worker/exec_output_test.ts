import { assert } from "@test/assert";
import { Redactor } from "../redact/mod.ts";
import { execOutput } from "./exec_output.ts";

const SECRET = `tok-${crypto.randomUUID()}`;

Deno.test("execOutput() redacts each stream before cutting it, so a secret across the cut leaks no prefix", () => {
  const redactor = new Redactor([SECRET]);
  // The secret starts 4 bytes before the cut: cutting first would keep
  // "tok-", redacting first keeps only part of "<redacted>".
  const stdout = "a".repeat(16) + SECRET + "tail";
  const out = execOutput(
    { exitCode: 0, stdout, stderr: `err ${SECRET}\n`, truncated: false },
    { redactor, maxBytes: 20 },
  );
  assert.equal(out.stdout, "a".repeat(16) + "<red");
  assert.equal(out.stdout_truncated, true);
  assert.equal(out.truncated, true, "kept for compatibility: = stdout's");
  assert.equal(out.stderr, "err <redacted>\n");
  assert.equal(out.stderr_truncated, false);
  assert.ok(!JSON.stringify(out).includes(SECRET.slice(0, 8)));
  // Negative control: without the redactor the secret's start would be kept.
  const raw = execOutput(
    {
      exitCode: 0,
      stdout: "a".repeat(12) + SECRET,
      stderr: "",
      truncated: false,
    },
    { redactor: new Redactor([]), maxBytes: 20 },
  );
  assert.ok(raw.stdout!.includes(SECRET.slice(0, 8)));
});

Deno.test("execOutput() keeps the exit code, and flags stdout the run already capped", () => {
  const out = execOutput(
    { exitCode: 7, stdout: "x\n", stderr: "", truncated: true },
    { redactor: new Redactor([]) },
  );
  assert.deepEqual(out, {
    state: "completed",
    exit_code: 7,
    stdout: "x\n",
    stderr: "",
    stdout_truncated: true,
    stderr_truncated: false,
    truncated: true,
  });
});
