/**
 * Replays captured Windows answers (tests/fixtures/windows/, the layout of
 * scripts/_capture_store.ts) through the client's own decoding and says what
 * breaks an invariant that holds on any real Windows PowerShell 5.1 behind
 * Win32-OpenSSH. {@linkcode checkCapture} returns problems instead of
 * throwing, so a negative control can show that each check can fail.
 * @module
 */
import { OperationalError } from "../lib/errors/mod.ts";
import { parseReply, type ScriptReply } from "../lib/powershell/mod.ts";
import { decodeScriptRun } from "../lib/windows/mod.ts";
import type { CaptureMeta } from "../scripts/_capture_store.ts";
import { EXEC_COMMANDS, RAW_COMMANDS } from "../scripts/_vm_cases.ts";

/** One case folder, as read from disk. */
export interface Capture {
  /** The folder's name. */
  folder: string;
  meta: CaptureMeta;
  stdout: Uint8Array;
  stderr: Uint8Array;
  /** stdout_tail.bin, present when stdout was cut. */
  stdoutTail?: Uint8Array;
}

const NO_NONCE = "0".repeat(32);

async function readOptional(path: string): Promise<Uint8Array | undefined> {
  try {
    return await Deno.readFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
}

/**
 * Reads every case folder under `dir` (folders starting with `_` or `.` are
 * not cases). Throws when there is none: a replay of nothing proves nothing.
 */
export async function loadCaptures(dir: string): Promise<Capture[]> {
  const captures: Capture[] = [];
  for await (const entry of Deno.readDir(dir)) {
    if (!entry.isDirectory || /^[_.]/.test(entry.name)) continue;
    const at = `${dir}/${entry.name}`;
    captures.push({
      folder: entry.name,
      meta: JSON.parse(await Deno.readTextFile(`${at}/meta.json`)),
      stdout: await Deno.readFile(`${at}/stdout.bin`),
      stderr: await Deno.readFile(`${at}/stderr.bin`),
      stdoutTail: await readOptional(`${at}/stdout_tail.bin`),
    });
  }
  if (captures.length === 0) {
    throw new Error(
      `Cannot replay Windows captures: "${dir}" holds no case folders`,
    );
  }
  return captures.sort((a, b) => a.folder.localeCompare(b.folder));
}

/** The trailer's code, found in the raw bytes without the client's parser. */
function trailerIn(
  bytes: Uint8Array | undefined,
  nonce: string,
): number | null {
  if (!bytes) return null;
  const text = new TextDecoder("latin1").decode(bytes);
  const at = text.lastIndexOf(`wa:${nonce}:exit=`);
  if (at < 0) return null;
  const digits = /^-?\d+/.exec(text.slice(at + nonce.length + 9));
  return digits ? Number(digits[0]) : null;
}

const XML = ["<Objs", "<S S=", "#< CLIXML"];

function lines(text: string): string[] {
  return text.split("\n");
}

/** Checks that depend on what the case's command means. */
function caseChecks(meta: CaptureMeta, r: ScriptReply, problems: string[]) {
  const want = (ok: boolean, what: string) => {
    if (!ok) problems.push(what);
  };
  const code = r.exitCode;
  const fixedCommand = meta.kind === "raw"
    ? (RAW_COMMANDS as Record<string, string>)[meta.case]
    : meta.kind === "exec"
    ? (EXEC_COMMANDS as Record<string, string>)[meta.case]
    : undefined;
  if (fixedCommand !== undefined) {
    want(
      meta.input.command === fixedCommand,
      `input.command is not the command of case ${meta.case}`,
    );
  }
  const is = (c: number | null) =>
    want(code === c, `exit code ${code}, but this case implies ${c}`);
  const out = (s: string) =>
    want(
      r.stdout === s,
      `stdout ${JSON.stringify(r.stdout)}, want ${JSON.stringify(s)}`,
    );
  switch (meta.case) {
    case "exec_echo_ok":
      is(0), out("ok\n");
      break;
    case "exec_write_error":
      is(1), want(r.stderr.includes("boom"), "stderr does not show boom");
      break;
    case "exec_write_warning":
      is(0), out("after\n");
      want(
        lines(r.stderr).includes("WARNING: careful"),
        "no line WARNING: careful",
      );
      break;
    case "exec_write_verbose":
      is(0), want(lines(r.stderr).includes("VERBOSE: v"), "no line VERBOSE: v");
      break;
    case "exec_echo_non_ascii":
      is(0), out("héllo ✓\n");
      break;
    case "exec_exit_3":
      is(3), out("");
      break;
    case "exec_where_missing":
      is(1), want(r.stderr.trim() !== "", "where.exe's stderr is lost");
      break;
    case "exec_get_item_missing":
      is(1),
        want(r.stderr.includes("C:\\nope"), "stderr does not name C:\\nope");
      break;
    case "exec_out_file_pipeline":
      is(0), out("one\ntwo\n");
      break;
    case "exec_process_exit":
    case "exec_dropped_connection":
      is(null);
      break;
    case "exec_truncated":
      is(0);
      want(
        r.stdout.startsWith("line 1\nline 2\n"),
        "stdout does not start with line 1",
      );
      break;
    case "raw_non_ascii":
      want(
        r.preamble === "héllo\n",
        `output ${JSON.stringify(r.preamble)}, want "héllo\\n"`,
      );
      break;
    case "raw_write_error":
    case "raw_encoded_write_error":
      want(
        r.preamble === "x\n",
        `output ${JSON.stringify(r.preamble)}, want "x\\n"`,
      );
      want(r.stderr.includes("boom"), "stderr does not show boom");
      break;
    case "start_process_launch":
      if (code === 0) {
        want(/^started=\d+\n$/.test(r.stdout), "no started=<pid>");
      }
      break;
    case "start_process_check":
    case "scheduled_task_check":
      is(0),
        want(/^survived=(true|false)\n$/.test(r.stdout), "no survived=<bool>");
      break;
    case "kind_version": {
      is(0);
      const v = jsonLine(r.stdout) as { ps_version?: string } | null;
      want(!!v?.ps_version?.startsWith("5.1."), "ps_version is not 5.1.x");
      break;
    }
  }
  const jsonKind = meta.kind !== "exec" && meta.kind !== "raw" &&
    meta.kind !== "log_follow";
  if (jsonKind && code === 0) {
    want(
      jsonLine(r.stdout) !== null,
      `${meta.kind}'s answer is not one JSON object`,
    );
  }
}

function jsonLine(stdout: string): unknown {
  try {
    const v = JSON.parse(stdout.trim().split("\n").pop() ?? "");
    return v !== null && typeof v === "object" ? v : null;
  } catch {
    return null;
  }
}

/**
 * Everything about one capture that breaks an invariant; empty when it
 * replays cleanly. Runs the client's `parseReply` and, for script kinds,
 * `decodeScriptRun` (what `runScript` does with a finished run).
 */
export function checkCapture(c: Capture): string[] {
  const { meta } = c;
  const problems: string[] = [];
  if (c.folder !== meta.case && !c.folder.startsWith(`${meta.case}__`)) {
    problems.push(`folder "${c.folder}" is not case "${meta.case}"`);
  }
  if (meta.source !== "vm-capture" && meta.source !== "documented-shape") {
    problems.push(
      `source "${meta.source}" is neither vm-capture nor documented-shape`,
    );
  }
  if (meta.source === "documented-shape" && !meta.sources?.length) {
    problems.push("a documented shape that names no source");
  }
  const raw = meta.kind === "raw";
  if (raw ? meta.nonce !== null : !/^[0-9a-f]{32}$/.test(meta.nonce ?? "")) {
    problems.push(
      `nonce ${JSON.stringify(meta.nonce)} does not fit kind ${meta.kind}`,
    );
  }
  const nonce = meta.nonce ?? NO_NONCE;
  const reply = parseReply(
    { stdout: c.stdout, stderr: c.stderr, stdoutTail: c.stdoutTail },
    nonce,
  );
  // The exit code comes from the trailer: found again here without the parser.
  const trailer = raw
    ? null
    : trailerIn(c.stdout, nonce) ?? trailerIn(c.stdoutTail, nonce);
  if (reply.exitCode !== trailer) {
    problems.push(
      `exit code ${reply.exitCode}, but the trailer says ${trailer}`,
    );
  }
  for (
    const [name, text] of Object.entries({
      stdout: reply.stdout,
      stderr: reply.stderr,
      preamble: reply.preamble,
    })
  ) {
    for (const xml of XML) {
      if (text.includes(xml)) problems.push(`XML (${xml}) in decoded ${name}`);
    }
    if (/\r(\n|$)/.test(text)) {
      problems.push(`\\r at a line end in decoded ${name}`);
    }
  }
  const shell = meta.windows?.default_shell;
  if (!raw && reply.exitCode !== null && typeof shell === "string") {
    if (/powershell/i.test(shell)) {
      if (meta.ssh_exit_code !== 0 && meta.ssh_exit_code !== 1) {
        problems.push(
          `DefaultShell powershell, yet ssh exited ${meta.ssh_exit_code}`,
        );
      }
    } else if (shell === "" || /cmd\.exe$/i.test(shell)) {
      if (meta.ssh_exit_code !== reply.exitCode) {
        problems.push(
          `cmd.exe passes the code through, yet ssh exited ${meta.ssh_exit_code}, trailer ${reply.exitCode}`,
        );
      }
    }
  }
  if (!raw) problems.push(...runScriptChecks(c, reply));
  caseChecks(meta, reply, problems);
  return problems;
}

/** What runScript would do: return the trailer's code, or fail in one line. */
function runScriptChecks(c: Capture, reply: ScriptReply): string[] {
  const { meta } = c;
  const run = {
    code: meta.ssh_exit_code,
    stdout: c.stdout,
    stderr: c.stderr,
    stdoutTail: c.stdoutTail,
    truncated: meta.truncated === true,
  };
  const options = {
    kind: meta.kind as Parameters<typeof decodeScriptRun>[1]["kind"],
    nonce: meta.nonce ?? NO_NONCE,
    endpoint: "fixture:22",
  };
  try {
    const result = decodeScriptRun(run, options);
    if (reply.exitCode === null) {
      return ["runScript returned a result with no trailer"];
    }
    if (result.code !== reply.exitCode || result.stdout !== reply.stdout) {
      return ["runScript's result differs from parseReply's"];
    }
    return [];
  } catch (error) {
    if (reply.exitCode !== null) return [`runScript failed: ${String(error)}`];
    const message = error instanceof Error ? error.message : "";
    const ok = error instanceof OperationalError &&
      message.startsWith(
        `Cannot run ${meta.kind} on fixture:22: the script did not finish`,
      ) &&
      !message.includes("\n");
    return ok ? [] : [
      `runScript's failure is not one "Cannot run" line: ${
        JSON.stringify(message)
      }`,
    ];
  }
}
