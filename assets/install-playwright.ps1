# win-automation: converges the Windows side of the Playwright server.
# Uploaded by `win-automation playwright install` to
# C:\ProgramData\win-automation\playwright and called in-process by the
# playwright_install script kind, whose input arrives over stdin: -WsPath is
# never in any process's arguments. Each step changes only what is not
# already right. Prints one JSON line: {"state":"installed","changed":[...]}.
#
# Before this runs, the root_lock script kind has locked
# C:\ProgramData\win-automation to SYSTEM and Administrators (owner
# Administrators, no inheritance from ProgramData); this script refuses to
# write the secret anywhere else. The server runs as NT AUTHORITY\LOCAL SERVICE
# (SID S-1-5-19), which gets read and execute on this folder (so read on
# ws_path.txt), write on launch-server.log, and nothing more.
param(
  [Parameter(Mandatory = $true)][string]$WsPath,
  [Parameter(Mandatory = $true)][int]$Port,
  [Parameter(Mandatory = $true)][string]$NodePath,
  [string]$Channel = 'msedge',
  [string]$ExecutablePath = '',
  [switch]$Restart,
  [string]$BindHost = '127.0.0.1',
  [string[]]$AllowFrom = @(),
  [int]$WaitSeconds = 30
)
$ErrorActionPreference = 'Stop'
$root = 'C:\ProgramData\win-automation'
$dir = 'C:\ProgramData\win-automation\playwright'
$taskName = 'WinAutomation-Playwright'
$ruleName = "Playwright-$Port"
$changed = New-Object System.Collections.Generic.List[string]
$utf8 = New-Object System.Text.UTF8Encoding $false
$sids = [System.Security.Principal.SecurityIdentifier]
$localService = 'S-1-5-19'

# 0. Refuse what the caller should have refused (exit 2, never echoing a value).
if ($WsPath -cnotmatch '^[A-Za-z0-9_-]{32,256}$' -or @($WsPath.ToCharArray() | Sort-Object -CaseSensitive -Unique).Count -lt 16) {
  [Console]::Error.WriteLine('-WsPath must be 32-256 letters, digits, _ or -, at least 16 of them distinct')
  exit 2
}
if (@('127.0.0.1', '0.0.0.0') -notcontains $BindHost) {
  [Console]::Error.WriteLine('-BindHost must be 127.0.0.1 or 0.0.0.0')
  exit 2
}
if ($BindHost -eq '0.0.0.0' -and @($AllowFrom | Where-Object { $_ }).Count -eq 0) {
  [Console]::Error.WriteLine('-AllowFrom must name at least one remote address when -BindHost is 0.0.0.0')
  exit 2
}
$rootAcl = [System.IO.Directory]::GetAccessControl($root)
if (-not $rootAcl.AreAccessRulesProtected -or $rootAcl.GetOwner($sids).Value -notin @('S-1-5-18', 'S-1-5-32-544')) {
  [Console]::Error.WriteLine("$root is not locked to SYSTEM and Administrators; run win-automation playwright install, which locks it first")
  exit 1
}

function Set-FileIfChanged([string]$Path, [string]$Text) {
  if ((Test-Path -LiteralPath $Path) -and ([IO.File]::ReadAllText($Path) -ceq $Text)) { return $false }
  [IO.File]::WriteAllText($Path, $Text, $utf8)
  return $true
}

function Test-Listening {
  [bool](Get-NetTCPConnection -LocalPort $Port -State Listen -ErrorAction SilentlyContinue)
}

# Whether a file system object's explicit rules are exactly one Allow rule for
# $Sid with $Rights (Synchronize aside) and $Inheritance, its owner is
# Administrators, and it still inherits from its folder.
function Test-WaAcl([string]$Path, [string]$Sid, [string]$Rights, [int]$Inheritance) {
  $acl = Get-Acl -LiteralPath $Path
  $explicit = @($acl.GetAccessRules($true, $false, $sids))
  $want = [int][System.Security.AccessControl.FileSystemRights]$Rights
  return (-not $acl.AreAccessRulesProtected) -and $acl.GetOwner($sids).Value -eq 'S-1-5-32-544' -and $explicit.Count -eq 1 -and
    $explicit[0].IdentityReference.Value -eq $Sid -and [string]$explicit[0].AccessControlType -eq 'Allow' -and
    ([int]$explicit[0].FileSystemRights -band -bnot 0x100000) -eq $want -and [int]$explicit[0].InheritanceFlags -eq $Inheritance
}

# 1. This folder: what it inherits from the root, plus read and execute for
# LOCAL SERVICE, inherited by everything in it (ws_path.txt included).
New-Item -ItemType Directory -Force -Path $dir | Out-Null
New-Item -ItemType Directory -Force -Path (Join-Path $dir 'browsers') | Out-Null
if (-not (Test-WaAcl $dir $localService 'ReadAndExecute' 3)) {
  $acl = New-Object System.Security.AccessControl.DirectorySecurity
  $acl.SetAccessRuleProtection($false, $false)
  $acl.AddAccessRule((New-Object System.Security.AccessControl.FileSystemAccessRule((New-Object System.Security.Principal.SecurityIdentifier $localService), 'ReadAndExecute', 'ContainerInherit, ObjectInherit', 'None', 'Allow')))
  $acl.SetOwner((New-Object System.Security.Principal.SecurityIdentifier 'S-1-5-32-544'))
  [System.IO.Directory]::SetAccessControl($dir, $acl)
  $changed.Add('acl')
}
# The server's own log: LOCAL SERVICE may write it (and only it).
$logFile = Join-Path $dir 'launch-server.log'
if (-not (Test-Path -LiteralPath $logFile)) { [IO.File]::WriteAllText($logFile, '', $utf8) }
if (-not (Test-WaAcl $logFile $localService 'Write' 0)) {
  $acl = New-Object System.Security.AccessControl.FileSecurity
  $acl.SetAccessRuleProtection($false, $false)
  $acl.AddAccessRule((New-Object System.Security.AccessControl.FileSystemAccessRule((New-Object System.Security.Principal.SecurityIdentifier $localService), 'Write', 'Allow')))
  $acl.SetOwner((New-Object System.Security.Principal.SecurityIdentifier 'S-1-5-32-544'))
  [System.IO.File]::SetAccessControl($logFile, $acl)
  $changed.Add('acl')
}

# 2. The secret, born with its final ACL: written under a temporary name in
# this folder (so it inherits the folder's rules when it is created), then
# moved into place. A file with its own rules (the protected ACL older
# versions set, or a failed Set-Acl) is rewritten the same way.
$wsFile = Join-Path $dir 'ws_path.txt'
$same = (Test-Path -LiteralPath $wsFile) -and ([IO.File]::ReadAllText($wsFile) -ceq $WsPath)
$inherits = $false
if (Test-Path -LiteralPath $wsFile) {
  $wsAcl = Get-Acl -LiteralPath $wsFile
  $inherits = (-not $wsAcl.AreAccessRulesProtected) -and @($wsAcl.GetAccessRules($true, $false, $sids)).Count -eq 0
}
if (-not $same -or -not $inherits) {
  $tmp = Join-Path $dir ('ws_path.' + [guid]::NewGuid().ToString('N') + '.tmp')
  [IO.File]::WriteAllText($tmp, $WsPath, $utf8)
  if (Test-Path -LiteralPath $wsFile) { [IO.File]::Delete($wsFile) }
  [IO.File]::Move($tmp, $wsFile)
  if ($same) { $changed.Add('ws_path_acl') } else { $changed.Add('ws_path') }
}

# 3. What launch-server.js needs besides the secret.
$server = [ordered]@{ host = $BindHost; port = $Port; channel = $Channel; executable_path = $ExecutablePath } | ConvertTo-Json -Compress
if (Set-FileIfChanged (Join-Path $dir 'server.json') $server) { $changed.Add('server_config') }

# 4. The scheduled task: node launch-server.js at start-up, as LOCAL SERVICE
# (by SID: the account's name is localized), limited. A task that runs as
# anyone else (SYSTEM, before) is registered again.
function Get-WaSid([string]$Name) {
  if ($Name -match '^S-1-') { return $Name }
  try { return (New-Object System.Security.Principal.NTAccount $Name).Translate($sids).Value } catch { return '' }
}
$script = Join-Path $dir 'launch-server.js'
$argument = '"' + $script + '"'
$task = Get-ScheduledTask -TaskName $taskName -ErrorAction SilentlyContinue
$action = if ($task) { $task.Actions | Select-Object -First 1 } else { $null }
$principalRight = $task -and (Get-WaSid ([string]$task.Principal.UserId)) -eq $localService -and [string]$task.Principal.LogonType -eq 'ServiceAccount' -and [string]$task.Principal.RunLevel -eq 'Limited'
if (-not $action -or -not $principalRight -or $action.Execute -ne $NodePath -or $action.Arguments -ne $argument -or $action.WorkingDirectory -ne $dir) {
  $newAction = New-ScheduledTaskAction -Execute $NodePath -Argument $argument -WorkingDirectory $dir
  $trigger = New-ScheduledTaskTrigger -AtStartup
  $principal = New-ScheduledTaskPrincipal -UserId $localService -LogonType ServiceAccount -RunLevel Limited
  $settings = New-ScheduledTaskSettingsSet -ExecutionTimeLimit ([TimeSpan]::Zero) -RestartCount 3 -RestartInterval (New-TimeSpan -Minutes 1) -AllowStartIfOnBatteries -DontStopIfGoingOnBatteries
  Register-ScheduledTask -TaskName $taskName -Action $newAction -Trigger $trigger -Principal $principal -Settings $settings -Force | Out-Null
  $changed.Add('task')
}

# 5. The firewall rule for the port: none while the server binds loopback (an
# old one is removed); else inbound TCP from -AllowFrom only, any profile.
function Format-WaAddress([string]$Address) {
  if ($Address -match '^(\d{1,3}(\.\d{1,3}){3})/(\d{1,2})$') {
    $bits = [int]$Matches[3]
    if ($bits -eq 32) { return $Matches[1] }
    $mask = for ($i = 0; $i -lt 4; $i++) { [string](256 - [Math]::Pow(2, 8 - [Math]::Min(8, [Math]::Max(0, $bits - 8 * $i)))) }
    return $Matches[1] + '/' + ($mask -join '.')
  }
  return $Address
}
$rule = Get-NetFirewallRule -DisplayName $ruleName -ErrorAction SilentlyContinue | Select-Object -First 1
if ($BindHost -eq '127.0.0.1') {
  if ($rule) {
    Remove-NetFirewallRule -DisplayName $ruleName -ErrorAction Stop
    $changed.Add('firewall_removed')
  }
} elseif (-not $rule) {
  New-NetFirewallRule -DisplayName $ruleName -Direction Inbound -Action Allow -Protocol TCP -LocalPort $Port -RemoteAddress $AllowFrom -Profile Any -ErrorAction Stop | Out-Null
  $changed.Add('firewall')
} else {
  $want = @($AllowFrom | ForEach-Object { Format-WaAddress $_ } | Sort-Object -Unique) -join ','
  $have = @(($rule | Get-NetFirewallAddressFilter -ErrorAction Stop).RemoteAddress | Sort-Object -Unique) -join ','
  $ports = @(($rule | Get-NetFirewallPortFilter -ErrorAction Stop).LocalPort)
  if ([string]$rule.Enabled -ne 'True' -or $want -ne $have -or -not ($ports -contains [string]$Port) -or [string]$rule.Profile -ne 'Any') {
    Set-NetFirewallRule -DisplayName $ruleName -Enabled True -Protocol TCP -LocalPort $Port -RemoteAddress $AllowFrom -Profile Any -ErrorAction Stop
    $changed.Add('firewall')
  }
}

# 6. Start it, or restart it when what it reads at start changed.
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

# 7. Wait until the port listens.
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
