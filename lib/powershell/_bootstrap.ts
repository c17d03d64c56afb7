/**
 * The one fixed program that crosses the wire in a process's arguments. It
 * holds no data. It reads two lines from stdin: the script (base64 of UTF-8)
 * and its data (base64 of UTF-8 JSON `{nonce, input}`); the data is never
 * compiled, so Script Block Logging (event 4104) records no input and no
 * secret. Everything it writes goes through `[Console]::Out`/`[Console]::Error`
 * after switching them to UTF-8: the host's own writer keeps the OEM code page
 * (docs/CONTEXT.md, "Delivery of PowerShell"). The exit code travels in-band
 * in a `wa:<nonce>:exit=<n>` trailer, because sshd's DefaultShell may collapse
 * the process status to 0 or 1. Bodies never call `exit`; they set
 * `$global:WaExit` and `return`.
 */
export const BOOTSTRAP = [
  "# win-automation bootstrap v2",
  "$ProgressPreference = 'SilentlyContinue'",
  "$utf8 = New-Object System.Text.UTF8Encoding $false",
  "[Console]::OutputEncoding = $utf8",
  "$OutputEncoding = $utf8",
  "$WaText = [System.Text.Encoding]::UTF8.GetString([Convert]::FromBase64String([Console]::In.ReadLine()))",
  "$WaData = [System.Text.Encoding]::UTF8.GetString([Convert]::FromBase64String([Console]::In.ReadLine())) | ConvertFrom-Json",
  "$in = $WaData.input",
  "[Console]::Out.WriteLine('wa:' + $WaData.nonce + ':begin')",
  "$global:WaExit = 0",
  "try {",
  "  $ErrorActionPreference = 'Stop'",
  "  & ([scriptblock]::Create($WaText)) | ForEach-Object { [Console]::Out.WriteLine([string]$_) }",
  "} catch {",
  "  [Console]::Error.WriteLine([string]$_.Exception.Message)",
  "  $global:WaExit = 1",
  "}",
  "[Console]::Out.WriteLine('wa:' + $WaData.nonce + ':exit=' + $global:WaExit)",
  "exit $global:WaExit",
].join("\n");
