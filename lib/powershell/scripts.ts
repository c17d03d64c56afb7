/**
 * Every PowerShell script this tool sends to Windows. Each kind has a typed
 * input (sent as JSON in `$in`) and a fixed body. The lab's emulator
 * (tests/lab/powershell.ts) implements the same kinds against lab state.
 */

/** Inputs of each script kind. */
export interface ScriptInputs {
  /** Runs a user command; its exit code becomes the script's. */
  exec: { command: string; run_id: string };
  /**
   * Stops the process tree of a running `exec`; prints `{"state":...}`. It
   * first leaves a `<run_id>.cancelled` marker, which an `exec` that has not
   * started yet (the cancel won the race) sees after writing its pid file, and
   * then exits 130 without running anything.
   */
  kill: { run_id: string };
  /** Prints `{"ps_version":..., "hostname":...}`. */
  version: Record<string, never>;
  /**
   * Prints `{"exists":bool,"enabled":bool,"ports":"<local ports>"}` for a
   * firewall rule (`ports` is `""` when it does not exist, `"Any"` for any).
   */
  firewall_rule: { name: string };
  /** Creates an inbound TCP allow rule unless it exists; prints `{"state":...}`. */
  firewall_add: { name: string; port: number };
  /**
   * Repairs an existing firewall rule: enables it and sets its local port;
   * prints `{"state":"present"|"missing","changed":["enabled"?,"port"?]}`.
   */
  firewall_repair: { name: string; port: number };
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
  /** Prints `{"exists":bool,"size":n}` for a file. */
  file_size: { path: string };
  /**
   * Prints what the Playwright server needs on Windows: `{"node_path",
   * "node_version", "playwright_version", "ffmpeg", "files"}` (null where
   * missing; `files` maps each installed asset to its sha256).
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
  };
  /**
   * Prints a file's text from a byte offset as it grows, and exits 0 once a
   * line containing `marker` appears, or 124 after `timeout_ms`.
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
   * `{"state":"ready"}`, or exits 2 for an id that is not a UUID.
   */
  artifact_dir: { job_id: string };
}

/** The names of the script kinds. */
export type ScriptKind = keyof ScriptInputs;

const RUN_DIR = "C:\\ProgramData\\win-automation\\run";
/** Where job artifacts are mirrored on Windows. */
export const WINDOWS_ARTIFACT_DIR =
  "C:\\ProgramData\\win-automation\\artifacts";
/** Where the Playwright server lives on Windows. */
export const PLAYWRIGHT_DIR = "C:\\ProgramData\\win-automation\\playwright";

/** The fixed body of each kind; `$in` holds the input. */
export const SCRIPT_BODIES: Record<ScriptKind, string> = {
  exec: `$dir = '${RUN_DIR}'
New-Item -ItemType Directory -Force -Path $dir | Out-Null
$pidFile = Join-Path $dir ($in.run_id + '.pid')
$cancelFile = Join-Path $dir ($in.run_id + '.cancelled')
Set-Content -Path $pidFile -Value $PID -Encoding ascii
if (Test-Path $cancelFile) {
  Remove-Item -Force -Path $pidFile, $cancelFile -ErrorAction SilentlyContinue
  [Console]::Error.WriteLine('cancelled before it started')
  exit 130
}
$code = 0
try {
  $global:LASTEXITCODE = 0
  $ErrorActionPreference = 'Continue'
  & ([scriptblock]::Create($in.command)) 2>&1 | ForEach-Object {
    if ($_ -is [System.Management.Automation.ErrorRecord]) { [Console]::Error.WriteLine($_.ToString()) } else { $_ }
  } | Out-String -Stream -Width 4096
  if ($LASTEXITCODE) { $code = $LASTEXITCODE } elseif (-not $?) { $code = 1 }
} catch {
  [Console]::Error.WriteLine($_.Exception.Message)
  $code = 1
} finally {
  Remove-Item -Force -Path $pidFile -ErrorAction SilentlyContinue
}
exit $code`,

  kill: `$dir = '${RUN_DIR}'
New-Item -ItemType Directory -Force -Path $dir | Out-Null
$pidFile = Join-Path $dir ($in.run_id + '.pid')
$cancelFile = Join-Path $dir ($in.run_id + '.cancelled')
Set-Content -Path $cancelFile -Value 'cancelled' -Encoding ascii
if (-not (Test-Path $pidFile)) { '{"state":"not_running"}'; exit 0 }
$root = [int](Get-Content -Path $pidFile -TotalCount 1)
function Stop-Tree([int]$id) {
  Get-CimInstance Win32_Process -Filter "ParentProcessId=$id" | ForEach-Object { Stop-Tree $_.ProcessId }
  Stop-Process -Id $id -Force -ErrorAction SilentlyContinue
}
Stop-Tree $root
Remove-Item -Force -Path $pidFile, $cancelFile -ErrorAction SilentlyContinue
'{"state":"killed"}'
exit 0`,

  version:
    `@{ ps_version = $PSVersionTable.PSVersion.ToString(); hostname = [Environment]::MachineName } | ConvertTo-Json -Compress
exit 0`,

  firewall_rule:
    `$rule = Get-NetFirewallRule -DisplayName $in.name -ErrorAction SilentlyContinue | Select-Object -First 1
if ($rule) {
  $ports = @(($rule | Get-NetFirewallPortFilter).LocalPort) -join ','
  @{ exists = $true; enabled = ($rule.Enabled -eq 'True'); ports = [string]$ports } | ConvertTo-Json -Compress
}
else { '{"exists":false,"enabled":false,"ports":""}' }
exit 0`,

  firewall_add:
    `if (Get-NetFirewallRule -DisplayName $in.name -ErrorAction SilentlyContinue) { '{"state":"unchanged"}'; exit 0 }
New-NetFirewallRule -DisplayName $in.name -Direction Inbound -Action Allow -Protocol TCP -LocalPort $in.port -Profile Any | Out-Null
'{"state":"created"}'
exit 0`,

  firewall_repair:
    `$rule = Get-NetFirewallRule -DisplayName $in.name -ErrorAction SilentlyContinue | Select-Object -First 1
if (-not $rule) { '{"state":"missing","changed":[]}'; exit 0 }
$changed = @()
if ($rule.Enabled -ne 'True') { Enable-NetFirewallRule -DisplayName $in.name; $changed += 'enabled' }
$ports = @(($rule | Get-NetFirewallPortFilter).LocalPort)
if (-not (($ports -contains [string]$in.port) -or ($ports -contains 'Any'))) { Set-NetFirewallRule -DisplayName $in.name -Protocol TCP -LocalPort $in.port; $changed += 'port' }
@{ state = 'present'; changed = $changed } | ConvertTo-Json -Compress
exit 0`,

  task_run:
    `$task = Get-ScheduledTask -TaskName $in.name -ErrorAction SilentlyContinue | Select-Object -First 1
if (-not $task) { '{"state":"missing"}'; exit 0 }
if ($task.State -eq 'Running') { '{"state":"running"}'; exit 0 }
schtasks /Run /TN $in.name | Out-Null
if ($LASTEXITCODE -ne 0) { [Console]::Error.WriteLine("schtasks /Run exited $LASTEXITCODE"); exit 1 }
'{"state":"started"}'
exit 0`,

  port_listening:
    `$c = Get-NetTCPConnection -LocalPort $in.port -State Listen -ErrorAction SilentlyContinue
@{ listening = [bool]$c } | ConvertTo-Json -Compress
exit 0`,

  desktop:
    `if (Get-Process -Name LogonUI -ErrorAction SilentlyContinue) { '{"state":"locked"}' } else { '{"state":"unlocked"}' }
exit 0`,

  task_exists: `schtasks /Query /TN $in.name 2>&1 | Out-Null
@{ exists = ($LASTEXITCODE -eq 0) } | ConvertTo-Json -Compress
exit 0`,

  file_size: `$f = Get-Item -LiteralPath $in.path -ErrorAction SilentlyContinue
if ($f) { @{ exists = $true; size = $f.Length } | ConvertTo-Json -Compress } else { '{"exists":false,"size":0}' }
exit 0`,

  playwright_prereq: `$dir = '${PLAYWRIGHT_DIR}'
$node = Get-Command node -ErrorAction SilentlyContinue | Select-Object -First 1
$out = [ordered]@{ node_path = $null; node_version = $null; playwright_version = $null; ffmpeg = $false; files = @{} }
if ($node) {
  $out.node_path = $node.Source
  $out.node_version = (& $node.Source --version 2>$null | Select-Object -First 1)
}
if (Test-Path -LiteralPath $dir) {
  if ($node) {
    Push-Location -LiteralPath $dir
    try {
      $v = & $node.Source -e "try { console.log(require('playwright-core/package.json').version) } catch { }" 2>$null | Select-Object -First 1
      if ($v) { $out.playwright_version = $v }
    } finally { Pop-Location }
  }
  $out.ffmpeg = [bool](Get-ChildItem -Path (Join-Path $dir 'browsers\ffmpeg-*\ffmpeg-win64.exe') -ErrorAction SilentlyContinue)
  foreach ($name in 'launch-server.js', 'install-playwright.ps1') {
    $f = Join-Path $dir $name
    if (Test-Path -LiteralPath $f) { $out.files[$name] = (Get-FileHash -Algorithm SHA256 -LiteralPath $f).Hash.ToLower() }
  }
}
$out | ConvertTo-Json -Compress
exit 0`,

  playwright_install:
    `$script = Join-Path '${PLAYWRIGHT_DIR}' 'install-playwright.ps1'
& $script -WsPath $in.ws_path -Port $in.port -NodePath $in.node_path -Channel $in.channel -ExecutablePath $in.executable_path -Restart:([bool]$in.restart)
exit $LASTEXITCODE`,

  log_follow: `$deadline = (Get-Date).AddMilliseconds($in.timeout_ms)
$pos = [int64]$in.offset
$pending = ''
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
        if ($pending.Contains($in.marker)) { exit 0 }
        $cut = $pending.LastIndexOf([char]10)
        if ($cut -ge 0) { $pending = $pending.Substring($cut + 1) }
      }
    } finally { $fs.Dispose() }
  }
  Start-Sleep -Milliseconds 250
}
exit 124`,

  artifact_dir:
    `if ($in.job_id -notmatch '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$') { [Console]::Error.WriteLine('job_id is not a UUID'); exit 2 }
New-Item -ItemType Directory -Force -Path (Join-Path '${WINDOWS_ARTIFACT_DIR}' $in.job_id) | Out-Null
'{"state":"ready"}'
exit 0`,
};
