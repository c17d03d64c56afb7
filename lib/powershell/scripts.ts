/**
 * Every PowerShell script this tool sends to Windows. Each kind has a typed
 * input (sent as data beside the script, read into `$in` by the bootstrap)
 * and a fixed body that holds no data. Bodies run with
 * `$ErrorActionPreference = 'Stop'`, never call `exit` (they set
 * `$global:WaExit` and `return`), and print their answer as pipeline output,
 * which the bootstrap writes as UTF-8 lines. A state-changing cmdlet is always
 * called with `-ErrorAction Stop`, so a failure ends the script with the
 * cmdlet's message and exit code 1, never with a success answer. The lab's
 * emulator (lab/) pins each body by hash and emulates it.
 */

import {
  PLAYWRIGHT_DIR,
  REBOOT_DIR,
  RUN_DIR,
  WINDOWS_ARTIFACT_DIR,
  WINDOWS_ROOT,
} from "./paths.ts";

export {
  PLAYWRIGHT_DIR,
  REBOOT_DIR,
  RUN_DIR,
  WINDOWS_ARTIFACT_DIR,
  WINDOWS_ROOT,
};

/** Inputs of each script kind. */
export interface ScriptInputs {
  /**
   * Runs a user command from `run\\<run_id>\\command.ps1` (script-file
   * semantics: its `exit N` is its exit code). All its streams are kept in
   * order: output on stdout; errors, warnings, verbose and debug on stderr.
   * Exit code: its own non-zero code, else 1 when it wrote an error record
   * (native stderr does not count), else 0.
   */
  exec: { command: string; run_id: string };
  /**
   * Stops the process tree of a running `exec`; prints `{"state":...}`:
   * `killed`, `not_running` (with `reason: "pid reused"` when the recorded pid
   * now belongs to another process), or `refused` for pids 0-4. It first
   * leaves a `cancelled` marker in the run's folder, which an `exec` that has
   * not started yet (the cancel won the race) sees after writing its pid file,
   * and then exits 130 without running anything.
   */
  kill: { run_id: string };
  /**
   * Starts a run outside the SSH session, once: claims `run\\<run_id>\\started`
   * with an exclusive create (a run that already has it is never started
   * again: `{"state":"exists"}`), writes `command.ps1` and `runner.ps1`
   * ({@linkcode RUNNER}), and creates the runner with
   * `Invoke-CimMethod Win32_Process Create` and `CREATE_BREAKAWAY_FROM_JOB`,
   * so it belongs to no session's job object; prints
   * `{"state":"started","pid":n}`. A Create that fails writes `start_error`
   * and `finished` and ends with code 1.
   */
  run_start: { command: string; run_id: string };
  /**
   * Follows a run: prints each new line of its `stdout.txt` (`o <end offset>
   * <text>`) and `stderr.txt` (`e <end offset> <text>`) from the given byte
   * offsets as it arrives, then one status line `x {"state",...}`:
   * `finished` (with `exit_code`), `killed`, `lost` (its process ended with no
   * result), `not_found`, `timeout` (the run is older than `timeout_ms`; 0:
   * no limit) or `running` (after `wait_ms`). Reads only.
   */
  run_follow: {
    run_id: string;
    stdout_offset: number;
    stderr_offset: number;
    wait_ms: number;
    timeout_ms: number;
  };
  /**
   * Prints one JSON line per run on the host: `{"run_id","state","started",
   * "exit_code"}` (`state` as run_follow's). Reads only.
   */
  run_list: Record<string, never>;
  /**
   * Deletes run folders older than `days` (`dry_run`: deletes nothing);
   * prints one JSON line per folder it deletes or would delete,
   * `{"run_id","action":"deleted"|"would_delete","age_days"}`. A run's age
   * is from its `finished` (else, for a run whose process is gone, from
   * `started`); a folder without `started` (an in-session exec's, a cancel
   * marker's) ages from its own last write and is kept while it has `pid`.
   * A running run, a name that is not a run id and a reparse point (a
   * junction or link, which Remove-Item -Recurse would follow) are left
   * alone.
   */
  run_gc: { days: number; dry_run: boolean };
  /**
   * Prints `{"ps_version","hostname","os_caption","os_build","last_boot",
   * "default_shell","winget","edge"}`: `default_shell` is sshd's
   * `HKLM:\\SOFTWARE\\OpenSSH` DefaultShell (empty when unset: cmd.exe).
   */
  version: Record<string, never>;
  /**
   * Prints `{"exists":bool,"enabled":bool,"ports":"<local ports>",
   * "direction":"Inbound"|"Outbound","action":"Allow"|"Block",
   * "remote_addresses":[...]}` for a firewall rule (`ports` is `""` when it
   * does not exist, `"Any"` for any; `remote_addresses` is `["Any"]` for
   * any, as Get-NetFirewallAddressFilter shows it).
   */
  firewall_rule: { name: string };
  /**
   * Creates an inbound TCP allow rule limited to `remote_addresses`
   * (`-RemoteAddress`) unless it exists; prints `{"state":...}`.
   */
  firewall_add: { name: string; port: number; remote_addresses: string[] };
  /**
   * Repairs an existing firewall rule: enables it, makes it an inbound allow
   * rule, sets its local port and its remote addresses; prints
   * `{"state":"present"|"missing","changed":["enabled"?,"direction"?,
   * "port"?,"remote_address"?]}`.
   */
  firewall_repair: { name: string; port: number; remote_addresses: string[] };
  /**
   * `schtasks /Run` of a scheduled task unless it is running; prints
   * `{"state":"started"|"running"|"missing"}`.
   */
  task_run: { name: string };
  /** Prints `{"listening":bool}` for a local TCP port. */
  port_listening: { port: number };
  /** Prints `{"state":"locked"|"unlocked"}`. */
  desktop: Record<string, never>;
  /** Prints `{"exists":bool}` for a scheduled task. */
  task_exists: { name: string };
  /**
   * Prints `{"exists":bool,"directory":bool,"size":n|null}` for a path
   * (`size` is null for a folder, as `Get-Item`'s `Length` is there).
   */
  file_size: { path: string };
  /**
   * Prints what the Playwright server needs on Windows: `{"node_path",
   * "node_version", "playwright_version", "ffmpeg", "chromium", "files"}`
   * (null where missing; `chromium` is Playwright's own build under
   * `browsers\\`; `files` maps each installed asset to its sha256).
   */
  playwright_prereq: Record<string, never>;
  /**
   * Runs the uploaded install-playwright.ps1 in-process (the secret stays in
   * this script's input); prints `{"state":"installed","changed":[...]}`.
   */
  playwright_install: {
    ws_path: string;
    port: number;
    node_path: string;
    channel: string;
    executable_path: string;
    restart: boolean;
    /** The address the server binds; `0.0.0.0` needs `allow_from`. */
    bind_host: "127.0.0.1" | "0.0.0.0";
    /** Remote addresses the firewall rule allows (only with `0.0.0.0`). */
    allow_from: string[];
  };
  /**
   * Locks the tool's root (`C:\\ProgramData\\win-automation`) to SYSTEM and
   * Administrators: creates it locked ({@linkcode ROOT_GUARD}) or repairs it
   * (owner Administrators, inheritance off, FullControl for the two only,
   * inherited by everything below); prints
   * `{"state":"locked","changed":["acl"]}` (`[]` when it was right).
   */
  root_lock: Record<string, never>;
  /**
   * Read-only: prints `{"exists","owner","owner_sid","protected","writers"}`
   * for a path: its owner, whether its ACL is protected from inheritance, and
   * every Allow rule (explicit or inherited, inherit-only included) that grants
   * a right to write, create, delete, change permissions or take ownership to
   * an identity other than SYSTEM or Administrators, as
   * `{"identity","sid","rights","inherited"}`.
   */
  acl_check: { path: string };
  /**
   * Prints a file's text from a byte offset as it grows, and ends with code 0
   * once a line containing `marker` appears, or 124 after `timeout_ms`.
   */
  log_follow: {
    path: string;
    offset: number;
    marker: string;
    timeout_ms: number;
  };
  /**
   * Creates a job's Windows artifact root
   * (`C:\ProgramData\win-automation\artifacts\<job_id>`); prints
   * `{"state":"ready"}`, or ends with code 2 for an id that is not a UUID.
   */
  artifact_dir: { job_id: string };
  /**
   * Registers the Aloha server and client as scheduled tasks
   * (`WinAutomation-AlohaServer`: the user's S4U logon at start-up;
   * `WinAutomation-AlohaClient`: the user's interactive session at logon, so
   * it has the desktop), each running its start command through
   * `powershell.exe -EncodedCommand`; prints
   * `{"state":"registered","changed":[<task names re-registered>]}`.
   */
  aloha_tasks: { server_cmd: string; client_cmd: string; user: string };
  /**
   * Asks Windows to restart (`shutdown.exe /r /t <delay_s>`) once per
   * `request_id`: the request leaves a marker,
   * `C:\ProgramData\win-automation\reboot\<request_id>`, holding the boot
   * time it was made in, before shutdown.exe runs (removed again if
   * shutdown.exe fails). A second call with the same id (a retry whose first
   * answer was lost) restarts nothing and says `already_requested`. Prints
   * `{"state":"requested"|"already_requested","last_boot":"<now>",
   * "requested_boot":"<boot time of the request>"}`; a shutdown.exe failure
   * (1190: a shutdown is already scheduled) ends with code 1 and its message.
   */
  reboot: { request_id: string; delay_s: number };
}

/** The names of the script kinds. */
export type ScriptKind = keyof ScriptInputs;

const ALOHA_SERVER_TASK = "WinAutomation-AlohaServer";
const ALOHA_CLIENT_TASK = "WinAutomation-AlohaClient";

/** The Windows service tasks' names. */
export const TASK_NAMES = {
  playwright: "WinAutomation-Playwright",
  alohaServer: ALOHA_SERVER_TASK,
  alohaClient: ALOHA_CLIENT_TASK,
} as const;

/**
 * The one way a body may bring the tool's root into being. Every body that
 * creates anything under `C:\\ProgramData\\win-automation` starts with this
 * text, verbatim (lib/powershell/scripts_test.ts checks it; the pins cover it):
 * when the root is missing it is created in one call with its final security
 * descriptor (owner Administrators, inheritance from ProgramData off,
 * FullControl for SYSTEM and Administrators inherited by everything below), so
 * there is no moment when it carries ProgramData's ACL, where BUILTIN\\Users may
 * create files and folders. An existing root is left as it is: `root_lock`
 * (run by `playwright install`) repairs it and `doctor` reports it
 * (`check=windows_acl`). SIDs, not names: account names are localized.
 */
export const ROOT_GUARD: string = String
  .raw`$waRoot = '${WINDOWS_ROOT}'
if (-not [System.IO.Directory]::Exists($waRoot)) {
  $waAcl = New-Object System.Security.AccessControl.DirectorySecurity
  $waAcl.SetAccessRuleProtection($true, $false)
  foreach ($waSid in 'S-1-5-18', 'S-1-5-32-544') {
    $waAcl.AddAccessRule((New-Object System.Security.AccessControl.FileSystemAccessRule((New-Object System.Security.Principal.SecurityIdentifier $waSid), 'FullControl', 'ContainerInherit, ObjectInherit', 'None', 'Allow')))
  }
  $waAcl.SetOwner((New-Object System.Security.Principal.SecurityIdentifier 'S-1-5-32-544'))
  [System.IO.Directory]::CreateDirectory($waRoot, $waAcl) | Out-Null
}`;

/**
 * The program of a run: `runner.ps1` in the run's folder, started by
 * `run_start` outside the SSH session. It holds no data (its folder is
 * `$PSScriptRoot`): it writes `pid` (`<pid> <start time as FILETIME>`), runs
 * `command.ps1` as exec does (streams merged; output to `stdout.txt`, errors,
 * warnings, verbose and debug to `stderr.txt`, UTF-8, each line flushed as it
 * is written), then `exit_code` and last `finished`, and removes `pid`. A
 * `cancelled` marker seen after `pid` is written ends it with 130 before the
 * command runs. The lab pins this text (`RUNNER_PIN`).
 */
export const RUNNER: string = String
  .raw`# win-automation runner v1
$ErrorActionPreference = 'Stop'
$dir = $PSScriptRoot
$utf8 = New-Object System.Text.UTF8Encoding $false
function Set-WaFile([string]$Name, [string]$Text) { [System.IO.File]::WriteAllText((Join-Path $dir $Name), $Text, $utf8) }
$self = [System.Diagnostics.Process]::GetCurrentProcess()
Set-WaFile 'pid' ([string]$self.Id + ' ' + $self.StartTime.ToFileTimeUtc())
$out = New-Object System.IO.StreamWriter((Join-Path $dir 'stdout.txt'), $true, $utf8)
$out.AutoFlush = $true
$err = New-Object System.IO.StreamWriter((Join-Path $dir 'stderr.txt'), $true, $utf8)
$err.AutoFlush = $true
$code = 0
if (Test-Path -LiteralPath (Join-Path $dir 'cancelled')) {
  $err.WriteLine('cancelled before it started')
  $code = 130
} else {
  $failed = $false
  $global:LASTEXITCODE = $null
  try {
    $ErrorActionPreference = 'Continue'
    & (Join-Path $dir 'command.ps1') *>&1 | ForEach-Object {
      if ($_ -is [System.Management.Automation.ErrorRecord]) {
        if ([string]$_.FullyQualifiedErrorId -notlike 'NativeCommandError*') { $failed = $true }
        $err.WriteLine($_.ToString())
      } elseif ($_ -is [System.Management.Automation.WarningRecord]) {
        $err.WriteLine('WARNING: ' + $_.Message)
      } elseif ($_ -is [System.Management.Automation.VerboseRecord]) {
        $err.WriteLine('VERBOSE: ' + $_.Message)
      } elseif ($_ -is [System.Management.Automation.DebugRecord]) {
        $err.WriteLine('DEBUG: ' + $_.Message)
      } elseif ($_ -is [System.Management.Automation.InformationRecord]) {
        $out.WriteLine([string]$_.MessageData)
      } else { $_ }
    } | Out-String -Stream -Width 4096 | ForEach-Object { $out.WriteLine($_) }
  } catch {
    $err.WriteLine([string]$_.Exception.Message)
    $failed = $true
  }
  if (($LASTEXITCODE -is [int]) -and ($LASTEXITCODE -ne 0)) { $code = $LASTEXITCODE }
  elseif ($failed) { $code = 1 }
}
$out.Dispose()
$err.Dispose()
Set-WaFile 'exit_code' ([string]$code)
Set-WaFile 'finished' ((Get-Date).ToUniversalTime().ToString('o'))
Remove-Item -LiteralPath (Join-Path $dir 'pid') -Force -ErrorAction SilentlyContinue
exit $code`;

/**
 * Whether a run's process is gone without a result (PowerShell text shared by
 * run_follow and run_list; `$d` is the run's folder): its `pid` names a
 * process that no longer runs with that start time, or it never wrote one
 * within 60 s of `started`. `finished` is checked again after, since the
 * runner removes `pid` once `finished` is written.
 */
const LOST_TEST = String.raw`function Test-WaLost([string]$d) {
  $pidFile = Join-Path $d 'pid'
  $lost = $false
  if (Test-Path -LiteralPath $pidFile) {
    $parts = @(([string](Get-Content -LiteralPath $pidFile -TotalCount 1)).Trim() -split '\s+')
    if ($parts.Count -eq 2 -and $parts[0] -match '^[0-9]{1,10}$' -and $parts[1] -match '^[0-9]{1,19}$') {
      $p = Get-Process -Id ([int]$parts[0]) -ErrorAction SilentlyContinue
      $lost = (-not $p) -or ($p.StartTime.ToFileTimeUtc() -ne [int64]$parts[1])
    }
  } else {
    $since = [datetime]::Parse([System.IO.File]::ReadAllText((Join-Path $d 'started')).Trim(), $null, 'RoundtripKind')
    $lost = ((Get-Date).ToUniversalTime() - $since.ToUniversalTime()).TotalSeconds -gt 60
  }
  return ($lost -and -not (Test-Path -LiteralPath (Join-Path $d 'finished')))
}
function Get-WaCode([string]$d) {
  $f = Join-Path $d 'exit_code'
  if (-not (Test-Path -LiteralPath $f)) { return $null }
  $t = [System.IO.File]::ReadAllText($f).Trim()
  if ($t -match '^-?[0-9]{1,10}$') { return [int]$t }
  return $null
}`;

/** The fixed body of each kind; `$in` holds the input. */
export const SCRIPT_BODIES: Record<ScriptKind, string> = {
  exec: String
    .raw`if ($in.run_id -notmatch '^[A-Za-z0-9_-]{1,64}$') { [Console]::Error.WriteLine('run_id is not valid'); $global:WaExit = 2; return }
${ROOT_GUARD}
$dir = Join-Path '${RUN_DIR}' $in.run_id
New-Item -ItemType Directory -Force -Path $dir -ErrorAction Stop | Out-Null
$pidFile = Join-Path $dir 'pid'
$self = [System.Diagnostics.Process]::GetCurrentProcess()
Set-Content -LiteralPath $pidFile -Value ([string]$self.Id + ' ' + $self.StartTime.ToFileTimeUtc()) -Encoding ascii -ErrorAction Stop
if (Test-Path -LiteralPath (Join-Path $dir 'cancelled')) {
  Remove-Item -LiteralPath $pidFile -Force -ErrorAction SilentlyContinue
  [Console]::Error.WriteLine('cancelled before it started')
  $global:WaExit = 130
  return
}
$file = Join-Path $dir 'command.ps1'
Set-Content -LiteralPath $file -Value $in.command -Encoding UTF8 -ErrorAction Stop
$failed = $false
$global:LASTEXITCODE = $null
try {
  $ErrorActionPreference = 'Continue'
  & $file *>&1 | ForEach-Object {
    if ($_ -is [System.Management.Automation.ErrorRecord]) {
      if ([string]$_.FullyQualifiedErrorId -notlike 'NativeCommandError*') { $failed = $true }
      [Console]::Error.WriteLine($_.ToString())
    } elseif ($_ -is [System.Management.Automation.WarningRecord]) {
      [Console]::Error.WriteLine('WARNING: ' + $_.Message)
    } elseif ($_ -is [System.Management.Automation.VerboseRecord]) {
      [Console]::Error.WriteLine('VERBOSE: ' + $_.Message)
    } elseif ($_ -is [System.Management.Automation.DebugRecord]) {
      [Console]::Error.WriteLine('DEBUG: ' + $_.Message)
    } elseif ($_ -is [System.Management.Automation.InformationRecord]) {
      [Console]::Out.WriteLine([string]$_.MessageData)
    } else { $_ }
  } | Out-String -Stream -Width 4096 | ForEach-Object { [Console]::Out.WriteLine($_) }
} catch {
  [Console]::Error.WriteLine([string]$_.Exception.Message)
  $failed = $true
} finally {
  Remove-Item -LiteralPath $pidFile -Force -ErrorAction SilentlyContinue
}
if (($LASTEXITCODE -is [int]) -and ($LASTEXITCODE -ne 0)) { $global:WaExit = $LASTEXITCODE }
elseif ($failed) { $global:WaExit = 1 }`,

  reboot: String
    .raw`if ($in.request_id -notmatch '^[A-Za-z0-9_-]{1,64}$') { [Console]::Error.WriteLine('request_id is not valid'); $global:WaExit = 2; return }
${ROOT_GUARD}
New-Item -ItemType Directory -Force -Path '${REBOOT_DIR}' -ErrorAction Stop | Out-Null
$marker = Join-Path '${REBOOT_DIR}' $in.request_id
$boot = (Get-CimInstance Win32_OperatingSystem -ErrorAction Stop).LastBootUpTime.ToUniversalTime().ToString('o')
if (Test-Path -LiteralPath $marker) {
  $asked = ([string](Get-Content -LiteralPath $marker -TotalCount 1)).Trim()
  [ordered]@{ state = 'already_requested'; last_boot = $boot; requested_boot = $asked } | ConvertTo-Json -Compress
  return
}
Set-Content -LiteralPath $marker -Value $boot -Encoding ascii -ErrorAction Stop
$ErrorActionPreference = 'Continue'
$said = @(& shutdown.exe /r /t ([int]$in.delay_s) /c 'win-automation reboot' 2>&1 | ForEach-Object { [string]$_ }) -join ' '
if ($LASTEXITCODE -ne 0) {
  Remove-Item -LiteralPath $marker -Force -ErrorAction SilentlyContinue
  [Console]::Error.WriteLine('shutdown /r exited ' + $LASTEXITCODE + ': ' + $said)
  $global:WaExit = 1
  return
}
[ordered]@{ state = 'requested'; last_boot = $boot; requested_boot = $boot } | ConvertTo-Json -Compress`,

  kill: String
    .raw`if ($in.run_id -notmatch '^[A-Za-z0-9_-]{1,64}$') { [Console]::Error.WriteLine('run_id is not valid'); $global:WaExit = 2; return }
${ROOT_GUARD}
$dir = Join-Path '${RUN_DIR}' $in.run_id
New-Item -ItemType Directory -Force -Path $dir -ErrorAction Stop | Out-Null
Set-Content -LiteralPath (Join-Path $dir 'cancelled') -Value 'cancelled' -Encoding ascii -ErrorAction Stop
$pidFile = Join-Path $dir 'pid'
$line = ''
if (Test-Path -LiteralPath $pidFile) { $line = [string](Get-Content -LiteralPath $pidFile -TotalCount 1) }
$parts = @($line.Trim() -split '\s+')
if ($parts.Count -ne 2 -or $parts[0] -notmatch '^[0-9]{1,10}$' -or $parts[1] -notmatch '^[0-9]{1,19}$') { '{"state":"not_running"}'; return }
$target = [int64]$parts[0]
if ($target -le 4) { '{"state":"refused","reason":"pid ' + $target + ' is a system process"}'; return }
$proc = Get-Process -Id $target -ErrorAction SilentlyContinue
if (-not $proc -or $proc.StartTime.ToFileTimeUtc() -ne [int64]$parts[1]) { '{"state":"not_running","reason":"pid reused"}'; return }
function Stop-Tree([int64]$Id, [datetime]$Since) {
  Get-CimInstance Win32_Process -Filter "ParentProcessId=$Id" -ErrorAction Stop |
    Where-Object { $_.CreationDate -ge $Since } |
    ForEach-Object { Stop-Tree $_.ProcessId $_.CreationDate }
  Stop-Process -Id $Id -Force -ErrorAction SilentlyContinue
}
Stop-Tree $target $proc.StartTime
Remove-Item -LiteralPath $pidFile -Force -ErrorAction SilentlyContinue
if (Test-Path -LiteralPath (Join-Path $dir 'started')) {
  Set-Content -LiteralPath (Join-Path $dir 'killed') -Value 'killed' -Encoding ascii -ErrorAction Stop
  if (-not (Test-Path -LiteralPath (Join-Path $dir 'finished'))) { Set-Content -LiteralPath (Join-Path $dir 'finished') -Value ((Get-Date).ToUniversalTime().ToString('o')) -Encoding ascii -ErrorAction Stop }
}
'{"state":"killed"}'`,

  run_start: String
    .raw`if ($in.run_id -notmatch '^[A-Za-z0-9_-]{1,64}$') { [Console]::Error.WriteLine('run_id is not valid'); $global:WaExit = 2; return }
${ROOT_GUARD}
$dir = Join-Path '${RUN_DIR}' $in.run_id
New-Item -ItemType Directory -Force -Path $dir -ErrorAction Stop | Out-Null
$startedFile = Join-Path $dir 'started'
if (Test-Path -LiteralPath $startedFile) { '{"state":"exists"}'; return }
$WaRunner = @'
${RUNNER}
'@
$runner = Join-Path $dir 'runner.ps1'
Set-Content -LiteralPath (Join-Path $dir 'command.ps1') -Value $in.command -Encoding UTF8 -ErrorAction Stop
Set-Content -LiteralPath $runner -Value $WaRunner -Encoding UTF8 -ErrorAction Stop
try {
  $claim = [System.IO.File]::Open($startedFile, 'CreateNew', 'Write', 'None')
} catch [System.IO.IOException] {
  '{"state":"exists"}'
  return
}
try {
  $stamp = [System.Text.Encoding]::ASCII.GetBytes((Get-Date).ToUniversalTime().ToString('o'))
  $claim.Write($stamp, 0, $stamp.Length)
} finally { $claim.Dispose() }
$startup = New-CimInstance -CimClass (Get-CimClass -ClassName Win32_ProcessStartup -ErrorAction Stop) -Property @{ CreateFlags = [uint32]16777216 } -ClientOnly -ErrorAction Stop
$line = 'powershell.exe -NoLogo -NoProfile -NonInteractive -ExecutionPolicy Bypass -File "' + $runner + '"'
$made = Invoke-CimMethod -ClassName Win32_Process -MethodName Create -Arguments @{ CommandLine = $line; CurrentDirectory = $dir; ProcessStartupInformation = $startup } -ErrorAction Stop
if ($made.ReturnValue -ne 0) {
  $why = 'Win32_Process.Create returned ' + $made.ReturnValue
  Set-Content -LiteralPath (Join-Path $dir 'start_error') -Value $why -Encoding UTF8
  Set-Content -LiteralPath (Join-Path $dir 'finished') -Value ((Get-Date).ToUniversalTime().ToString('o')) -Encoding ascii
  [Console]::Error.WriteLine($why)
  $global:WaExit = 1
  return
}
'{"state":"started","pid":' + $made.ProcessId + '}'`,

  run_follow: String
    .raw`if ($in.run_id -notmatch '^[A-Za-z0-9_-]{1,64}$') { [Console]::Error.WriteLine('run_id is not valid'); $global:WaExit = 2; return }
${LOST_TEST}
$dir = Join-Path '${RUN_DIR}' $in.run_id
$startedFile = Join-Path $dir 'started'
if (-not (Test-Path -LiteralPath $startedFile)) { 'x {"state":"not_found"}'; return }
$since = [datetime]::Parse([System.IO.File]::ReadAllText($startedFile).Trim(), $null, 'RoundtripKind').ToUniversalTime()
$pos = @{ o = [int64]$in.stdout_offset; e = [int64]$in.stderr_offset }
$files = @{ o = Join-Path $dir 'stdout.txt'; e = Join-Path $dir 'stderr.txt' }
$utf8 = New-Object System.Text.UTF8Encoding $false
function Send-WaLines([string]$Tag, [bool]$All) {
  if (-not [System.IO.File]::Exists($files[$Tag])) { return }
  $fs = [System.IO.File]::Open($files[$Tag], 'Open', 'Read', 'ReadWrite')
  try {
    if ($fs.Length -le $pos[$Tag]) { return }
    $fs.Seek($pos[$Tag], 'Begin') | Out-Null
    $buf = New-Object byte[] ($fs.Length - $pos[$Tag])
    $n = $fs.Read($buf, 0, $buf.Length)
    $at = 0
    while ($at -lt $n) {
      $lf = [Array]::IndexOf($buf, [byte]10, $at, $n - $at)
      if ($lf -lt 0) { break }
      [Console]::Out.WriteLine($Tag + ' ' + ($pos[$Tag] + $lf + 1) + ' ' + $utf8.GetString($buf, $at, $lf - $at).TrimEnd([char]13))
      $at = $lf + 1
    }
    if ($All -and $at -lt $n) {
      [Console]::Out.WriteLine($Tag + ' ' + ($pos[$Tag] + $n) + ' ' + $utf8.GetString($buf, $at, $n - $at).TrimEnd([char]13))
      $at = $n
    }
    $pos[$Tag] += $at
  } finally { $fs.Dispose() }
}
$deadline = (Get-Date).ToUniversalTime().AddMilliseconds([int64]$in.wait_ms)
while ($true) {
  $done = Test-Path -LiteralPath (Join-Path $dir 'finished')
  Send-WaLines 'o' $done
  Send-WaLines 'e' $done
  $now = (Get-Date).ToUniversalTime()
  $elapsed = [int64]($now - $since).TotalMilliseconds
  if ($done) {
    $state = if (Test-Path -LiteralPath (Join-Path $dir 'killed')) { 'killed' } elseif (Test-Path -LiteralPath (Join-Path $dir 'start_error')) { 'start_failed' } else { 'finished' }
    'x ' + ([ordered]@{ state = $state; exit_code = (Get-WaCode $dir); elapsed_ms = $elapsed } | ConvertTo-Json -Compress)
    return
  }
  if (Test-WaLost $dir) { 'x ' + ([ordered]@{ state = 'lost'; elapsed_ms = $elapsed } | ConvertTo-Json -Compress); return }
  if ([int64]$in.timeout_ms -gt 0 -and $elapsed -ge [int64]$in.timeout_ms) { 'x ' + ([ordered]@{ state = 'timeout'; elapsed_ms = $elapsed } | ConvertTo-Json -Compress); return }
  if ($now -ge $deadline) { 'x ' + ([ordered]@{ state = 'running'; elapsed_ms = $elapsed } | ConvertTo-Json -Compress); return }
  Start-Sleep -Milliseconds 200
}`,

  run_list: String.raw`${LOST_TEST}
$root = '${RUN_DIR}'
if (-not [System.IO.Directory]::Exists($root)) { return }
foreach ($d in [System.IO.Directory]::GetDirectories($root)) {
  $startedFile = Join-Path $d 'started'
  if (-not [System.IO.File]::Exists($startedFile)) { continue }
  $state = 'running'
  if (Test-Path -LiteralPath (Join-Path $d 'finished')) {
    $state = if (Test-Path -LiteralPath (Join-Path $d 'killed')) { 'killed' } elseif (Test-Path -LiteralPath (Join-Path $d 'start_error')) { 'start_failed' } else { 'finished' }
  } elseif (Test-WaLost $d) { $state = 'lost' }
  [ordered]@{ run_id = [System.IO.Path]::GetFileName($d); state = $state; started = [System.IO.File]::ReadAllText($startedFile).Trim(); exit_code = (Get-WaCode $d) } | ConvertTo-Json -Compress
}`,

  run_gc: String.raw`${LOST_TEST}
$root = '${RUN_DIR}'
if (-not [System.IO.Directory]::Exists($root)) { return }
$now = (Get-Date).ToUniversalTime()
foreach ($info in (New-Object System.IO.DirectoryInfo $root).GetDirectories()) {
  if ($info.Name -notmatch '^[A-Za-z0-9_-]{1,64}$') { continue }
  if (($info.Attributes -band [System.IO.FileAttributes]::ReparsePoint) -ne 0) { continue }
  $d = $info.FullName
  $finished = Join-Path $d 'finished'
  $since = $null
  if (Test-Path -LiteralPath $finished) { $since = (Get-Item -LiteralPath $finished).LastWriteTimeUtc }
  elseif (Test-Path -LiteralPath (Join-Path $d 'started')) {
    if (Test-WaLost $d) { $since = (Get-Item -LiteralPath (Join-Path $d 'started')).LastWriteTimeUtc }
  }
  elseif (-not (Test-Path -LiteralPath (Join-Path $d 'pid'))) { $since = $info.LastWriteTimeUtc }
  if ($null -eq $since) { continue }
  $age = ($now - $since).TotalDays
  if ($age -lt [double]$in.days) { continue }
  $action = 'would_delete'
  if (-not $in.dry_run) {
    Remove-Item -LiteralPath $d -Recurse -Force -ErrorAction Stop
    $action = 'deleted'
  }
  [ordered]@{ run_id = $info.Name; action = $action; age_days = [math]::Floor($age) } | ConvertTo-Json -Compress
}`,

  version: String
    .raw`$os = Get-CimInstance Win32_OperatingSystem -ErrorAction Stop
$shell = Get-ItemProperty -Path 'HKLM:\SOFTWARE\OpenSSH' -Name DefaultShell -ErrorAction SilentlyContinue
$edge = (Test-Path -LiteralPath 'C:\Program Files (x86)\Microsoft\Edge\Application\msedge.exe') -or (Test-Path -LiteralPath 'C:\Program Files\Microsoft\Edge\Application\msedge.exe')
[ordered]@{
  ps_version = $PSVersionTable.PSVersion.ToString()
  hostname = [Environment]::MachineName
  os_caption = [string]$os.Caption
  os_build = [string]$os.BuildNumber
  last_boot = $os.LastBootUpTime.ToUniversalTime().ToString('o')
  default_shell = [string]$(if ($shell) { $shell.DefaultShell } else { '' })
  winget = [bool](Get-Command winget -ErrorAction SilentlyContinue)
  edge = [bool]$edge
} | ConvertTo-Json -Compress`,

  firewall_rule: String
    .raw`$rule = Get-NetFirewallRule -DisplayName $in.name -ErrorAction SilentlyContinue | Select-Object -First 1
if ($rule) {
  $ports = @(($rule | Get-NetFirewallPortFilter -ErrorAction Stop).LocalPort) -join ','
  $remote = @(($rule | Get-NetFirewallAddressFilter -ErrorAction Stop).RemoteAddress | ForEach-Object { [string]$_ })
  [ordered]@{ exists = $true; enabled = ([string]$rule.Enabled -eq 'True'); ports = [string]$ports; direction = [string]$rule.Direction; action = [string]$rule.Action; remote_addresses = @($remote) } | ConvertTo-Json -Compress
}
else { '{"exists":false,"enabled":false,"ports":"","direction":"","action":"","remote_addresses":[]}' }`,

  firewall_add: String
    .raw`if (Get-NetFirewallRule -DisplayName $in.name -ErrorAction SilentlyContinue) { '{"state":"unchanged"}'; return }
New-NetFirewallRule -DisplayName $in.name -Direction Inbound -Action Allow -Protocol TCP -LocalPort $in.port -RemoteAddress @($in.remote_addresses) -Profile Any -ErrorAction Stop | Out-Null
'{"state":"created"}'`,

  firewall_repair: String
    .raw`$rule = Get-NetFirewallRule -DisplayName $in.name -ErrorAction SilentlyContinue | Select-Object -First 1
if (-not $rule) { '{"state":"missing","changed":[]}'; return }
$changed = @()
if ([string]$rule.Enabled -ne 'True') { Enable-NetFirewallRule -DisplayName $in.name -ErrorAction Stop; $changed += 'enabled' }
if ([string]$rule.Direction -ne 'Inbound' -or [string]$rule.Action -ne 'Allow') { Set-NetFirewallRule -DisplayName $in.name -Direction Inbound -Action Allow -ErrorAction Stop; $changed += 'direction' }
$ports = @(($rule | Get-NetFirewallPortFilter -ErrorAction Stop).LocalPort)
if (-not (($ports -contains [string]$in.port) -or ($ports -contains 'Any'))) { Set-NetFirewallRule -DisplayName $in.name -Protocol TCP -LocalPort $in.port -ErrorAction Stop; $changed += 'port' }
$remote = (@(($rule | Get-NetFirewallAddressFilter -ErrorAction Stop).RemoteAddress | ForEach-Object { [string]$_ }) | Sort-Object) -join ','
if ($remote -ne ((@($in.remote_addresses) | Sort-Object) -join ',')) { Set-NetFirewallRule -DisplayName $in.name -RemoteAddress @($in.remote_addresses) -ErrorAction Stop; $changed += 'remote_address' }
@{ state = 'present'; changed = @($changed) } | ConvertTo-Json -Compress`,

  task_run: String
    .raw`$task = Get-ScheduledTask -TaskName $in.name -ErrorAction SilentlyContinue | Select-Object -First 1
if (-not $task) { '{"state":"missing"}'; return }
if ([string]$task.State -eq 'Running') { '{"state":"running"}'; return }
$ErrorActionPreference = 'Continue'
$said = @(& schtasks.exe /Run /TN $in.name 2>&1 | ForEach-Object { [string]$_ }) -join ' '
if ($LASTEXITCODE -ne 0) { [Console]::Error.WriteLine('schtasks /Run exited ' + $LASTEXITCODE + ': ' + $said); $global:WaExit = 1; return }
'{"state":"started"}'`,

  port_listening: String
    .raw`$c = Get-NetTCPConnection -LocalPort $in.port -State Listen -ErrorAction SilentlyContinue
@{ listening = [bool]$c } | ConvertTo-Json -Compress`,

  desktop: String
    .raw`if (Get-Process -Name LogonUI -ErrorAction SilentlyContinue) { '{"state":"locked"}' } else { '{"state":"unlocked"}' }`,

  task_exists: String
    .raw`@{ exists = [bool](Get-ScheduledTask -TaskName $in.name -ErrorAction SilentlyContinue) } | ConvertTo-Json -Compress`,

  file_size: String
    .raw`$f = Get-Item -LiteralPath $in.path -Force -ErrorAction SilentlyContinue
if (-not $f) { '{"exists":false,"directory":false,"size":null}' }
elseif ($f.PSIsContainer) { '{"exists":true,"directory":true,"size":null}' }
else { @{ exists = $true; directory = $false; size = [int64]$f.Length } | ConvertTo-Json -Compress }`,

  playwright_prereq: String.raw`$dir = '${PLAYWRIGHT_DIR}'
$ErrorActionPreference = 'Continue'
$node = Get-Command node -ErrorAction SilentlyContinue | Select-Object -First 1
$out = [ordered]@{ node_path = $null; node_version = $null; playwright_version = $null; ffmpeg = $false; chromium = $false; files = @{} }
if ($node) {
  $out.node_path = $node.Source
  $out.node_version = [string](& $node.Source --version 2>$null | Select-Object -First 1)
}
if (Test-Path -LiteralPath $dir) {
  if ($node) {
    Push-Location -LiteralPath $dir
    try {
      $v = & $node.Source -e "try { console.log(require('playwright-core/package.json').version) } catch { }" 2>$null | Select-Object -First 1
      if ($v) { $out.playwright_version = [string]$v }
    } finally { Pop-Location }
  }
  $out.ffmpeg = [bool](Get-ChildItem -Path (Join-Path $dir 'browsers\ffmpeg-*\ffmpeg-win64.exe') -ErrorAction SilentlyContinue)
  $out.chromium = [bool](Get-ChildItem -Path (Join-Path $dir 'browsers\chromium-*\chrome-win64\chrome.exe') -ErrorAction SilentlyContinue)
  foreach ($name in 'launch-server.js', 'install-playwright.ps1') {
    $f = Join-Path $dir $name
    if (Test-Path -LiteralPath $f) { $out.files[$name] = (Get-FileHash -Algorithm SHA256 -LiteralPath $f -ErrorAction Stop).Hash.ToLower() }
  }
}
$out | ConvertTo-Json -Compress`,

  playwright_install: String
    .raw`$script = Join-Path '${PLAYWRIGHT_DIR}' 'install-playwright.ps1'
$global:LASTEXITCODE = 0
& $script -WsPath $in.ws_path -Port $in.port -NodePath $in.node_path -Channel $in.channel -ExecutablePath $in.executable_path -Restart:([bool]$in.restart) -BindHost $in.bind_host -AllowFrom @($in.allow_from | Where-Object { $_ })
if ($LASTEXITCODE) { $global:WaExit = $LASTEXITCODE }`,

  log_follow: String.raw`$deadline = (Get-Date).AddMilliseconds($in.timeout_ms)
$pos = [int64]$in.offset
$pending = ''
$global:WaExit = 124
while ((Get-Date) -lt $deadline) {
  if (Test-Path -LiteralPath $in.path) {
    $fs = [System.IO.File]::Open($in.path, 'Open', 'Read', 'ReadWrite')
    try {
      if ($fs.Length -gt $pos) {
        $fs.Seek($pos, 'Begin') | Out-Null
        $buf = New-Object byte[] ($fs.Length - $pos)
        $n = $fs.Read($buf, 0, $buf.Length)
        $pos += $n
        $chunk = [System.Text.Encoding]::UTF8.GetString($buf, 0, $n)
        [Console]::Out.Write($chunk)
        $pending += $chunk
        if ($pending.Contains($in.marker)) { $global:WaExit = 0; return }
        $cut = $pending.LastIndexOf([char]10)
        if ($cut -ge 0) { $pending = $pending.Substring($cut + 1) }
      }
    } finally { $fs.Dispose() }
  }
  Start-Sleep -Milliseconds 250
}`,

  artifact_dir: String
    .raw`if ($in.job_id -notmatch '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$') { [Console]::Error.WriteLine('job_id is not a UUID'); $global:WaExit = 2; return }
${ROOT_GUARD}
New-Item -ItemType Directory -Force -Path (Join-Path '${WINDOWS_ARTIFACT_DIR}' $in.job_id) -ErrorAction Stop | Out-Null
'{"state":"ready"}'`,

  root_lock: String.raw`${ROOT_GUARD}
$sd = [System.IO.Directory]::GetAccessControl($waRoot)
$sids = [System.Security.Principal.SecurityIdentifier]
$rules = @($sd.GetAccessRules($true, $true, $sids))
$full = @($rules | Where-Object { -not $_.IsInherited -and [string]$_.AccessControlType -eq 'Allow' -and [int]$_.FileSystemRights -eq 0x1F01FF -and [int]$_.InheritanceFlags -eq 3 -and [int]$_.PropagationFlags -eq 0 -and @('S-1-5-18', 'S-1-5-32-544') -contains $_.IdentityReference.Value } | ForEach-Object { $_.IdentityReference.Value } | Sort-Object -Unique)
$right = $sd.AreAccessRulesProtected -and $sd.GetOwner($sids).Value -eq 'S-1-5-32-544' -and $rules.Count -eq 2 -and $full.Count -eq 2
$changed = @()
if (-not $right) {
  $new = New-Object System.Security.AccessControl.DirectorySecurity
  $new.SetAccessRuleProtection($true, $false)
  foreach ($sid in 'S-1-5-18', 'S-1-5-32-544') {
    $new.AddAccessRule((New-Object System.Security.AccessControl.FileSystemAccessRule((New-Object System.Security.Principal.SecurityIdentifier $sid), 'FullControl', 'ContainerInherit, ObjectInherit', 'None', 'Allow')))
  }
  $new.SetOwner((New-Object System.Security.Principal.SecurityIdentifier 'S-1-5-32-544'))
  [System.IO.Directory]::SetAccessControl($waRoot, $new)
  $changed += 'acl'
}
@{ state = 'locked'; changed = @($changed) } | ConvertTo-Json -Compress`,

  acl_check: String
    .raw`$out = [ordered]@{ exists = $false; owner = $null; owner_sid = $null; protected = $false; writers = @() }
if (-not (Test-Path -LiteralPath $in.path)) { $out | ConvertTo-Json -Compress; return }
$sd = Get-Acl -LiteralPath $in.path -ErrorAction Stop
$sids = [System.Security.Principal.SecurityIdentifier]
function Get-WaName($Sid) {
  try { $Sid.Translate([System.Security.Principal.NTAccount]).Value } catch { $Sid.Value }
}
$owner = $sd.GetOwner($sids)
$out.exists = $true
$out.owner = Get-WaName $owner
$out.owner_sid = $owner.Value
$out.protected = [bool]$sd.AreAccessRulesProtected
$writers = @()
foreach ($rule in $sd.GetAccessRules($true, $true, $sids)) {
  if ([string]$rule.AccessControlType -ne 'Allow') { continue }
  if (@('S-1-5-18', 'S-1-5-32-544') -contains $rule.IdentityReference.Value) { continue }
  if (([int]$rule.FileSystemRights -band 0x500D0156) -eq 0) { continue }
  $writers += [ordered]@{ identity = Get-WaName $rule.IdentityReference; sid = $rule.IdentityReference.Value; rights = [string]$rule.FileSystemRights; inherited = [bool]$rule.IsInherited }
}
$out.writers = @($writers)
$out | ConvertTo-Json -Compress -Depth 4`,

  aloha_tasks: String
    .raw`function Set-WaTask([string]$Name, [string]$Command, [string]$LogonType) {
  $encoded = [Convert]::ToBase64String([System.Text.Encoding]::Unicode.GetBytes($Command))
  $argument = '-NoProfile -NonInteractive -WindowStyle Hidden -EncodedCommand ' + $encoded
  $task = Get-ScheduledTask -TaskName $Name -ErrorAction SilentlyContinue | Select-Object -First 1
  $action = if ($task) { $task.Actions | Select-Object -First 1 } else { $null }
  if ($action -and $action.Arguments -eq $argument -and [string]$task.Principal.LogonType -eq $LogonType -and ([string]$task.Principal.UserId).EndsWith($in.user)) { return $false }
  if ($task -and [string]$task.State -eq 'Running') { Stop-ScheduledTask -TaskName $Name -ErrorAction Stop }
  $trigger = if ($LogonType -eq 'Interactive') { New-ScheduledTaskTrigger -AtLogOn -User $in.user } else { New-ScheduledTaskTrigger -AtStartup }
  $principal = New-ScheduledTaskPrincipal -UserId $in.user -LogonType $LogonType
  $settings = New-ScheduledTaskSettingsSet -ExecutionTimeLimit ([TimeSpan]::Zero) -RestartCount 3 -RestartInterval (New-TimeSpan -Minutes 1) -AllowStartIfOnBatteries -DontStopIfGoingOnBatteries -MultipleInstances IgnoreNew
  Register-ScheduledTask -TaskName $Name -Action (New-ScheduledTaskAction -Execute 'powershell.exe' -Argument $argument) -Trigger $trigger -Principal $principal -Settings $settings -Force -ErrorAction Stop | Out-Null
  return $true
}
$changed = @()
if (Set-WaTask '${ALOHA_SERVER_TASK}' $in.server_cmd 'S4U') { $changed += '${ALOHA_SERVER_TASK}' }
if (Set-WaTask '${ALOHA_CLIENT_TASK}' $in.client_cmd 'Interactive') { $changed += '${ALOHA_CLIENT_TASK}' }
@{ state = 'registered'; changed = @($changed) } | ConvertTo-Json -Compress`,
};
