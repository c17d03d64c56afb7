/**
 * The one fixed program that crosses the wire in a process's arguments. It
 * holds no data: it reads the real script, base64-encoded UTF-8, from stdin,
 * then runs it. Because the whole of stdin is read before the script starts,
 * the user's command sees an empty stdin.
 */
export const BOOTSTRAP = [
  "# win-automation bootstrap v1",
  "$ProgressPreference = 'SilentlyContinue'",
  "$utf8 = New-Object System.Text.UTF8Encoding $false",
  "[Console]::OutputEncoding = $utf8",
  "$OutputEncoding = $utf8",
  "$payload = [Console]::In.ReadToEnd().Trim()",
  "$text = [System.Text.Encoding]::UTF8.GetString([Convert]::FromBase64String($payload))",
  "& ([scriptblock]::Create($text))",
  "exit $LASTEXITCODE",
].join("\n");
