/**
 * What `scripts/vm-capture` sends to a real Windows VM, case by case. The
 * commands of the fixed-meaning cases are exported so the replay test
 * (tests/windows_replay_test.ts) can check that a capture's input is the one
 * its case name promises. Nothing here runs anything.
 * @module
 */
import {
  encodeUtf16leBase64,
  RUN_DIR,
  type ScriptInputs,
  type ScriptKind,
  TASK_NAMES,
  WINDOWS_ARTIFACT_DIR,
} from "../lib/powershell/mod.ts";

/**
 * User commands sent through the `exec` kind whose outcome is fixed by the
 * command itself on any Windows.
 */
export const EXEC_COMMANDS = {
  exec_echo_ok: "echo ok",
  exec_write_error: "Write-Error boom",
  exec_write_warning: "Write-Warning careful; 'after'",
  exec_write_verbose: "Write-Verbose v -Verbose",
  exec_echo_non_ascii: "echo héllo ✓",
  exec_exit_3: "exit 3",
  exec_where_missing: "where.exe nope-not-here",
  exec_get_item_missing: "Get-Item C:\\nope",
  exec_out_file_pipeline:
    '\'one\',\'two\' | Out-File -FilePath "$env:TEMP\\wa-capture-pipe.txt"; Get-Content "$env:TEMP\\wa-capture-pipe.txt"; Remove-Item "$env:TEMP\\wa-capture-pipe.txt"',
  // Ends the process from inside the script: no trailer is ever written.
  exec_process_exit: "[Environment]::Exit(7)",
  // Far more output than the capture keeps (EXEC_TRUNCATE_BYTES).
  exec_truncated: '1..3000 | ForEach-Object { "line $_" }',
} as const;

/** Bytes of stdout kept for `exec_truncated`, so the cut is real. */
export const EXEC_TRUNCATE_BYTES = 4096;

/**
 * Command lines sent as the whole ssh remote command, outside the bootstrap:
 * they show the host's own stderr format and OEM output.
 */
export const RAW_COMMANDS = {
  raw_write_error: `powershell -NoProfile -Command "Write-Error boom; 'x'"`,
  raw_non_ascii: `powershell -NoProfile -Command "'héllo'"`,
  // The same Write-Error, encoded: the host serializes its error stream as
  // CLIXML only for -EncodedCommand (ConsoleHost's ErrorFormat).
  raw_encoded_write_error:
    `powershell -NoProfile -NonInteractive -EncodedCommand ${
      encodeUtf16leBase64("Write-Error boom; 'x'")
    }`,
} as const;

/** The throwaway scheduled task of the `--mutate` cases. */
export const CAPTURE_TASK = "WinAutomation-Capture";
/** The throwaway firewall rule of the `--mutate` cases. */
export const CAPTURE_RULE = "WinAutomation-Capture";

/** Kinds that are never captured, and why. */
export const NEVER_CAPTURED: Partial<Record<ScriptKind, string>> = {
  playwright_install: "its input holds the Playwright ws path, a secret",
  aloha_tasks: "it would replace the host's own Aloha tasks",
  root_lock:
    "it would change the ACL of the host's C:\\ProgramData\\win-automation",
};

/** One run of a script kind through the shipped bootstrap. */
export interface KindStep {
  /** The case name: the folder the capture lands in. */
  case: string;
  /** The script kind. */
  kind: ScriptKind;
  /** Its input. */
  input: ScriptInputs[ScriptKind];
  /** Bytes of stdout kept. @default the client's default */
  maxOutputBytes?: number;
  /** Run only when this earlier case was captured. @default undefined */
  requires?: string;
}

/** One command line sent as the ssh remote command, with no stdin. */
export interface RawStep {
  /** The case name. */
  case: string;
  /** Always "raw". */
  kind: "raw";
  /** The remote command line. */
  command: string;
}

/** One capture step. */
export type CaptureStep = KindStep | RawStep;

/** Options for {@linkcode capturePlan}. */
export interface CapturePlanOptions {
  /** 8 hex digits naming this capture's processes, run ids and files. */
  tag: string;
  /** Include the state-changing cases. @default false */
  mutate?: boolean;
  /** A fresh UUID for the `artifact_dir` case. @default crypto.randomUUID() */
  jobId?: string;
}

/** The recognisable title of a process started by the survival cases. */
export function survivorTitle(tag: string, how: "sp" | "st"): string {
  return `wa-capture-${how}-${tag}`;
}

function pingCommand(title: string): string {
  return `/c title ${title}& ping -n 30 127.0.0.1 > nul`;
}

/** Prints `survived=true|false` and stops what survived (cmd.exe and its ping). */
function survivalCheck(title: string): string {
  return [
    `$found = @(Get-CimInstance Win32_Process -Filter "Name='cmd.exe'" -ErrorAction Stop | Where-Object { $_.CommandLine -like '*${title}*' })`,
    `'survived=' + ([string]($found.Count -gt 0)).ToLower()`,
    `foreach ($p in $found) { Get-CimInstance Win32_Process -Filter ('ParentProcessId=' + $p.ProcessId) | ForEach-Object { Stop-Process -Id $_.ProcessId -Force -ErrorAction SilentlyContinue }; Stop-Process -Id $p.ProcessId -Force -ErrorAction SilentlyContinue }`,
  ].join("\n");
}

/**
 * Every step of one capture, in order: `version` first (its answer names the
 * Windows in every case's meta.json), the read-only kinds with harmless
 * inputs, the exec and raw cases, the Start-Process survival pair, and with
 * `mutate` the state-changing kinds on throwaway names, each followed by its
 * cleanup. `kill` only ever gets a fresh run id, so it never stops a process.
 */
export function capturePlan(options: CapturePlanOptions): CaptureStep[] {
  const { tag, mutate = false, jobId = crypto.randomUUID() } = options;
  if (!/^[0-9a-f]{8}$/.test(tag)) {
    throw new RangeError(`tag must be 8 lowercase hex digits: "${tag}"`);
  }
  const runId = (name: string) => `capture-${tag}-${name}`.slice(0, 64);
  const exec = (name: string, command: string, extra: Partial<KindStep> = {}) =>
    ({
      case: name,
      kind: "exec",
      input: { command, run_id: runId(name) },
      ...extra,
    }) as KindStep;
  const win = "C:\\Windows";
  const steps: CaptureStep[] = [
    { case: "kind_version", kind: "version", input: {} },
    { case: "kind_desktop", kind: "desktop", input: {} },
    {
      case: "kind_file_size_file",
      kind: "file_size",
      input: { path: `${win}\\win.ini` },
    },
    { case: "kind_file_size_folder", kind: "file_size", input: { path: win } },
    {
      case: "kind_firewall_rule_absent",
      kind: "firewall_rule",
      input: { name: `${CAPTURE_RULE}-Absent-${tag}` },
    },
    {
      case: "kind_task_exists",
      kind: "task_exists",
      input: { name: TASK_NAMES.playwright },
    },
    {
      case: "kind_port_listening",
      kind: "port_listening",
      input: { port: 22 },
    },
    { case: "kind_playwright_prereq", kind: "playwright_prereq", input: {} },
    {
      case: "kind_acl_check",
      kind: "acl_check",
      input: { path: "C:\\ProgramData" },
    },
    {
      case: "kind_log_follow",
      kind: "log_follow",
      input: {
        path: `${win}\\win.ini`,
        offset: 0,
        marker: "[fonts]",
        timeout_ms: 5000,
      },
    },
  ];
  for (const [name, command] of Object.entries(EXEC_COMMANDS)) {
    steps.push(
      exec(
        name,
        command,
        name === "exec_truncated"
          ? { maxOutputBytes: EXEC_TRUNCATE_BYTES }
          : {},
      ),
    );
  }
  for (const [name, command] of Object.entries(RAW_COMMANDS)) {
    steps.push({ case: name, kind: "raw", command });
  }
  const sp = survivorTitle(tag, "sp");
  steps.push(
    exec(
      "start_process_launch",
      `$p = Start-Process -FilePath cmd.exe -ArgumentList '${
        pingCommand(sp)
      }' -WindowStyle Hidden -PassThru -ErrorAction Stop\n'started=' + $p.Id`,
    ),
    exec("start_process_check", survivalCheck(sp), {
      requires: "start_process_launch",
    }),
  );
  if (!mutate) return steps;
  const st = survivorTitle(tag, "st");
  const artifactDir = `${WINDOWS_ARTIFACT_DIR}\\${jobId}`;
  const killRun = runId("kill");
  steps.push(
    {
      case: "kind_artifact_dir",
      kind: "artifact_dir",
      input: { job_id: jobId },
    },
    { case: "kind_kill_unknown_run", kind: "kill", input: { run_id: killRun } },
    exec(
      "mutate_dirs_cleanup",
      `Remove-Item -LiteralPath '${artifactDir}','${RUN_DIR}\\${killRun}' -Recurse -Force -ErrorAction SilentlyContinue\n'removed'`,
    ),
    {
      case: "kind_firewall_add",
      kind: "firewall_add",
      input: { name: CAPTURE_RULE, port: 65123 },
    },
    {
      case: "kind_firewall_rule_present",
      kind: "firewall_rule",
      input: { name: CAPTURE_RULE },
      requires: "kind_firewall_add",
    },
    {
      case: "kind_firewall_repair",
      kind: "firewall_repair",
      input: { name: CAPTURE_RULE, port: 65124 },
      requires: "kind_firewall_add",
    },
    exec(
      "mutate_firewall_cleanup",
      `Remove-NetFirewallRule -DisplayName '${CAPTURE_RULE}' -ErrorAction Stop\n'removed'`,
      { requires: "kind_firewall_add" },
    ),
    exec(
      "scheduled_task_register",
      [
        `$action = New-ScheduledTaskAction -Execute 'cmd.exe' -Argument '${
          pingCommand(st)
        }'`,
        `$principal = New-ScheduledTaskPrincipal -UserId ([Security.Principal.WindowsIdentity]::GetCurrent().Name) -LogonType S4U`,
        `Register-ScheduledTask -TaskName '${CAPTURE_TASK}' -Action $action -Principal $principal -Force -ErrorAction Stop | Out-Null`,
        `'registered'`,
      ].join("\n"),
    ),
    {
      case: "kind_task_run",
      kind: "task_run",
      input: { name: CAPTURE_TASK },
      requires: "scheduled_task_register",
    },
    exec("scheduled_task_check", survivalCheck(st), {
      requires: "kind_task_run",
    }),
    exec(
      "scheduled_task_cleanup",
      `Unregister-ScheduledTask -TaskName '${CAPTURE_TASK}' -Confirm:$false -ErrorAction Stop\n'removed'`,
      { requires: "scheduled_task_register" },
    ),
  );
  return steps;
}
