import assert from "node:assert/strict";
import {
  DEFAULT_WINDOWS_KNOBS,
  Unsupported,
  type WindowsKnobs,
} from "../windows/mod.ts";
import { type Outcome, runUserScript } from "./_interpreter.ts";
import type { PsRecord } from "./_records.ts";

interface Ran {
  records: PsRecord[];
  native: string;
  outcome: Outcome;
}

async function run(
  text: string,
  options: {
    merged?: boolean;
    knobs?: Partial<WindowsKnobs>;
    labDir?: string;
  } = {},
): Promise<Ran> {
  const records: PsRecord[] = [];
  let native = "";
  const outcome = await runUserScript(text, {
    ctx: {
      labDir: options.labDir ?? "/nonexistent-lab",
      io: { out: () => Promise.resolve(), err: () => Promise.resolve() },
      knobs: { ...DEFAULT_WINDOWS_KNOBS, ...options.knobs },
    },
    emit: (record) => (records.push(record), Promise.resolve()),
    nativeStderr: options.merged ? "records" : (t) => {
      native += t;
      return Promise.resolve();
    },
  });
  return { records, native, outcome };
}

const kinds = (ran: Ran) => ran.records.map((r) => r.kind);

Deno.test("runUserScript() gives $? of the last statement, not of earlier ones", async () => {
  const last = await run("Write-Error boom");
  assert.equal(last.outcome.status, false);
  const after = await run("Write-Error boom; Write-Output after");
  assert.equal(after.outcome.status, true);
  assert.deepEqual(kinds(after), ["error", "output"]);
});

Deno.test("runUserScript() keeps the caller's $? True after errors inside & { }", async () => {
  const ran = await run("& { Write-Error inner }; $?");
  assert.deepEqual(
    ran.records.map((r) => r.kind === "output" ? r.text : r.kind),
    ["error", "True"],
  );
  const control = await run("Write-Error outer; $?");
  assert.equal((control.records[1] as { text: string }).text, "False");
});

Deno.test("runUserScript() exit inside & { } ends the script with its code", async () => {
  const ran = await run("& { exit 4 }; Write-Output never");
  assert.equal(ran.outcome.exit, 4);
  assert.deepEqual(ran.records, []);
});

Deno.test("runUserScript() sets $LASTEXITCODE and $? from a native program", async () => {
  const ran = await run(
    "where.exe nothing; $LASTEXITCODE; where.exe cmd; $LASTEXITCODE",
  );
  assert.deepEqual(
    ran.records.map((r) => (r as { text: string }).text),
    ["1", "C:\\Windows\\System32\\cmd.exe", "0"],
  );
  assert.equal(
    ran.native,
    "INFO: Could not find files for the given pattern(s).\n",
  );
  const status = await run("where.exe nothing");
  assert.equal(status.outcome.status, false);
  assert.equal(status.outcome.lastExitCode, 1);
  const none = await run("$LASTEXITCODE");
  assert.deepEqual(
    none.records,
    [],
    "$LASTEXITCODE is $null until a native program runs",
  );
});

Deno.test("runUserScript() turns merged native stderr into NativeCommandError records", async () => {
  const ran = await run("where.exe nothing", { merged: true });
  assert.equal(ran.native, "");
  const [record] = ran.records;
  assert.equal(record?.kind, "error");
  assert.equal((record as { fqid: string }).fqid, "NativeCommandError");
  assert.equal((record as { native?: boolean }).native, true);
});

Deno.test("runUserScript() yields warning, information and error records in order", async () => {
  const ran = await run(
    "Write-Warning careful; Write-Host a b; Write-Verbose hidden; Write-Verbose shown -Verbose; Write-Error bad",
  );
  assert.deepEqual(ran.records.map((r) => r.kind), [
    "warning",
    "information",
    "verbose",
    "error",
  ]);
  const error = ran.records[3] as {
    fqid: string;
    message: string;
    position?: { column: number };
  };
  assert.equal(error.fqid, "Microsoft.PowerShell.Commands.WriteErrorException");
  assert.equal(error.message, "bad");
  assert.equal(error.position?.column, 92);
});

Deno.test("runUserScript() echo writes one object per argument and keeps non-ASCII text", async () => {
  const ran = await run("echo héllo ✓; Write-Output a,b");
  assert.deepEqual(ran.records.map((r) => (r as { text: string }).text), [
    "héllo",
    "✓",
    "a",
    "b",
  ]);
});

Deno.test("runUserScript() throw is terminating: nothing after it runs", async () => {
  const ran = await run("Write-Output one; throw 'it broke'; Write-Output two");
  assert.equal(ran.outcome.terminating?.message, "it broke");
  assert.deepEqual(ran.records.map((r) => r.kind), ["output", "error"]);
});

Deno.test("runUserScript() answers winget and Get-Command winget by the os knob", async () => {
  const server = await run("winget --version");
  assert.equal(server.outcome.status, false);
  assert.match(
    (server.records[0] as { message: string }).message,
    /^The term 'winget' is not recognized/,
  );
  const win11 = await run("winget --version; Get-Command winget", {
    knobs: { os: "win11" },
  });
  assert.equal(win11.outcome.status, true);
  assert.equal((win11.records[0] as { text: string }).text, "v1.9.25200");
  assert.match(
    (win11.records[1] as { text: string }).text,
    /Application +winget\.exe/,
  );
  const gc = await run("Get-Command winget");
  assert.equal(
    (gc.records[0] as { fqid: string }).fqid,
    "CommandNotFoundException,Microsoft.PowerShell.Commands.GetCommandCommand",
  );
});

Deno.test("runUserScript() Get-Service prints 5.1's table and errors for an unknown name", async () => {
  const ran = await run("Get-Service sshd,nope");
  const [error, table] = ran.records as unknown as [
    { fqid: string },
    { text: string },
  ];
  assert.equal(
    error.fqid,
    "NoServiceFoundForGivenName,Microsoft.PowerShell.Commands.GetServiceCommand",
  );
  assert.equal(
    table.text,
    "\nStatus   Name               DisplayName\n------   ----               -----------\nRunning  sshd               OpenSSH SSH Server\n\n",
  );
  assert.equal(ran.outcome.status, false);
});

Deno.test("runUserScript() refuses before running anything", async () => {
  await assert.rejects(run("Write-Output first; Get-Process"), Unsupported);
  await assert.rejects(
    run("where winget"),
    Unsupported,
    "where is Where-Object",
  );
  await assert.rejects(run("echo $env:PATH"), Unsupported);
});
