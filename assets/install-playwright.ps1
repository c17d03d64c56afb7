# win-automation: converges the Windows side of the Playwright server.
# Uploaded by `win-automation playwright install` to
# C:\ProgramData\win-automation\playwright and called in-process by the
# playwright_install script kind, whose input arrives over stdin: -WsPath is
# never in any process's arguments. Each step changes only what is not
# already right. Prints one JSON line: {"state":"installed","changed":[...]}.
param(
  [Parameter(Mandatory = $true)][string]$WsPath,
  [Parameter(Mandatory = $true)][int]$Port,
  [Parameter(Mandatory = $true)][string]$NodePath,
  [string]$Channel = 'msedge',
  [string]$ExecutablePath = '',
  [switch]$Restart,
  [int]$WaitSeconds = 30
)
$ErrorActionPreference = 'Stop'
$dir = 'C:\ProgramData\win-automation\playwright'
$taskName = 'WinAutomation-Playwright'
$ruleName = "Playwright-$Port"
$changed = New-Object System.Collections.Generic.List[string]
$utf8 = New-Object System.Text.UTF8Encoding $false

function Set-FileIfChanged([string]$Path, [string]$Text) {
  if ((Test-Path -LiteralPath $Path) -and ([IO.File]::ReadAllText($Path) -ceq $Text)) { return $false }
  [IO.File]::WriteAllText($Path, $Text, $utf8)
  return $true
}

function Test-Listening {
  [bool](Get-NetTCPConnection -LocalPort $Port -State Listen -ErrorAction SilentlyContinue)
}

New-Item -ItemType Directory -Force -Path $dir | Out-Null
New-Item -ItemType Directory -Force -Path (Join-Path $dir 'browsers') | Out-Null

# 1. The secret, readable by SYSTEM and Administrators only.
$wsFile = Join-Path $dir 'ws_path.txt'
if (Set-FileIfChanged $wsFile $WsPath) {
  $acl = New-Object System.Security.AccessControl.FileSecurity
  $acl.SetAccessRuleProtection($true, $false)
  foreach ($who in 'NT AUTHORITY\SYSTEM', 'BUILTIN\Administrators') {
    $acl.AddAccessRule((New-Object System.Security.AccessControl.FileSystemAccessRule($who, 'FullControl', 'Allow')))
  }
  Set-Acl -LiteralPath $wsFile -AclObject $acl
  $changed.Add('ws_path')
}

# 2. What launch-server.js needs besides the secret.
$server = [ordered]@{ host = '0.0.0.0'; port = $Port; channel = $Channel; executable_path = $ExecutablePath } | ConvertTo-Json -Compress
if (Set-FileIfChanged (Join-Path $dir 'server.json') $server) { $changed.Add('server_config') }

# 3. The scheduled task: node launch-server.js at start-up, as SYSTEM.
$script = Join-Path $dir 'launch-server.js'
$argument = '"' + $script + '"'
$task = Get-ScheduledTask -TaskName $taskName -ErrorAction SilentlyContinue
$action = if ($task) { $task.Actions | Select-Object -First 1 } else { $null }
if (-not $action -or $action.Execute -ne $NodePath -or $action.Arguments -ne $argument -or $action.WorkingDirectory -ne $dir) {
  $newAction = New-ScheduledTaskAction -Execute $NodePath -Argument $argument -WorkingDirectory $dir
  $trigger = New-ScheduledTaskTrigger -AtStartup
  $principal = New-ScheduledTaskPrincipal -UserId 'SYSTEM' -LogonType ServiceAccount -RunLevel Highest
  $settings = New-ScheduledTaskSettingsSet -ExecutionTimeLimit ([TimeSpan]::Zero) -RestartCount 3 -RestartInterval (New-TimeSpan -Minutes 1) -AllowStartIfOnBatteries -DontStopIfGoingOnBatteries
  Register-ScheduledTask -TaskName $taskName -Action $newAction -Trigger $trigger -Principal $principal -Settings $settings -Force | Out-Null
  $changed.Add('task')
}

# 4. The firewall rule for the port.
if (-not (Get-NetFirewallRule -DisplayName $ruleName -ErrorAction SilentlyContinue)) {
  New-NetFirewallRule -DisplayName $ruleName -Direction Inbound -Action Allow -Protocol TCP -LocalPort $Port -Profile Any | Out-Null
  $changed.Add('firewall')
}

# 5. Start it, or restart it when what it reads at start changed.
$running = (Get-ScheduledTask -TaskName $taskName).State -eq 'Running'
$stale = $Restart -or $changed.Contains('ws_path') -or $changed.Contains('server_config') -or $changed.Contains('task')
if ($running -and $stale) {
  schtasks /End /TN $taskName | Out-Null
  $until = (Get-Date).AddSeconds(10)
  while ((Test-Listening) -and (Get-Date) -lt $until) { Start-Sleep -Milliseconds 200 }
  $running = $false
  $changed.Add('restarted')
}
if (-not $running) {
  schtasks /Run /TN $taskName | Out-Null
  if ($LASTEXITCODE -ne 0) { [Console]::Error.WriteLine("schtasks /Run /TN $taskName failed"); exit 1 }
  if (-not $changed.Contains('restarted')) { $changed.Add('started') }
}

# 6. Wait until the port listens.
$deadline = (Get-Date).AddSeconds($WaitSeconds)
while (-not (Test-Listening)) {
  if ((Get-Date) -gt $deadline) {
    [Console]::Error.WriteLine("port $Port did not listen within $WaitSeconds s; see $dir\launch-server.log")
    exit 1
  }
  Start-Sleep -Milliseconds 250
}
@{ state = 'installed'; changed = @($changed) } | ConvertTo-Json -Compress
exit 0
