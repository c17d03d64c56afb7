var __defProp = Object.defineProperty;
var __getOwnPropNames = Object.getOwnPropertyNames;
var __esm = (fn, res) =>
  function __init() {
    return fn && (res = (0, fn[__getOwnPropNames(fn)[0]])(fn = 0)), res;
  };
var __export = (target, all) => {
  for (var name in all) {
    __defProp(target, name, { get: all[name], enumerable: true });
  }
};

// lib/errors/errors.ts
var EXIT_OPERATIONAL,
  EXIT_USAGE,
  EXIT_DEPENDENCY,
  EXIT_TIMEOUT,
  DomainError,
  UsageError,
  ConfigError,
  DependencyError,
  TimeoutError,
  OperationalError;
var init_errors = __esm({
  "lib/errors/errors.ts"() {
    EXIT_OPERATIONAL = 1;
    EXIT_USAGE = 2;
    EXIT_DEPENDENCY = 3;
    EXIT_TIMEOUT = 4;
    DomainError = class extends Error {
      /** Extra fields for the log line. */
      fields;
      constructor(message, options = {}) {
        super(message, {
          cause: options.cause,
        });
        this.fields = options.fields ?? {};
      }
    };
    UsageError = class extends DomainError {
      name = "UsageError";
      exitCode = EXIT_USAGE;
    };
    ConfigError = class extends DomainError {
      name = "ConfigError";
      exitCode = EXIT_USAGE;
      /** The config field (JSON path) or file at fault. */
      field;
      constructor(field, reason, options = {}) {
        super(`config error: ${field} ${reason}`, options);
        this.field = field;
      }
    };
    DependencyError = class extends DomainError {
      name = "DependencyError";
      exitCode = EXIT_DEPENDENCY;
    };
    TimeoutError = class extends DomainError {
      name = "TimeoutError";
      exitCode = EXIT_TIMEOUT;
    };
    OperationalError = class extends DomainError {
      name = "OperationalError";
      exitCode = EXIT_OPERATIONAL;
    };
  },
});

// lib/errors/text.ts
function truncate(text, max = MAX_ECHO) {
  const chars = [
    ...text,
  ];
  return chars.length <= max
    ? text
    : chars.slice(0, max - 1).join("") + "\u2026";
}
function quote(value, max = MAX_ECHO) {
  const text = typeof value === "string"
    ? value
    : value === void 0
    ? "undefined"
    : JSON.stringify(value) ?? String(value);
  const cut = truncate(text, max);
  return typeof value === "string" ? JSON.stringify(cut) : cut;
}
function errorMessage(error) {
  return error instanceof Error ? error.message || error.name : String(error);
}
var MAX_ECHO;
var init_text = __esm({
  "lib/errors/text.ts"() {
    MAX_ECHO = 120;
  },
});

// lib/errors/mod.ts
var init_mod = __esm({
  "lib/errors/mod.ts"() {
    init_errors();
    init_text();
  },
});

// lib/retry/delay.ts
function delay(ms, options = {}) {
  const { signal } = options;
  if (!(ms >= 0)) throw new RangeError(`ms must be >= 0: ${ms}`);
  return new Promise((resolve2, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve2();
    }, ms);
    signal?.addEventListener("abort", onAbort, {
      once: true,
    });
  });
}
var init_delay = __esm({
  "lib/retry/delay.ts"() {
  },
});

// lib/retry/retry.ts
async function retry(fn, options) {
  const {
    shouldRetry,
    delaysMs = DEFAULT_DELAYS_MS,
    sleep: wait = delay,
    signal,
    onRetry,
  } = options;
  for (let attempt = 0;; attempt++) {
    try {
      return await fn(attempt);
    } catch (error) {
      const ms = delaysMs[attempt];
      if (ms === void 0 || signal?.aborted || !shouldRetry(error)) {
        throw error;
      }
      onRetry?.(error, attempt + 1, ms);
      await wait(ms, {
        signal,
      });
    }
  }
}
var DEFAULT_DELAYS_MS;
var init_retry = __esm({
  "lib/retry/retry.ts"() {
    init_delay();
    DEFAULT_DELAYS_MS = [
      500,
      1e3,
      2e3,
    ];
  },
});

// lib/retry/mod.ts
var init_mod2 = __esm({
  "lib/retry/mod.ts"() {
    init_retry();
    init_delay();
  },
});

// lib/http/fetch_retry.ts
function describe(error) {
  const parts = [];
  let at = error;
  for (let i = 0; at && i < 4; i++) {
    const message = errorMessage(at) ?? String(at);
    if (message && !parts.includes(message)) parts.push(message);
    at = at.cause;
  }
  return parts.join(": ").replace(/\s+/g, " ");
}
function failedToConnect(text) {
  return /client error \(Connect\)|connection refused|ECONNREFUSED|dns error|failed to lookup address/i
    .test(text);
}
async function readBody(response, max) {
  const length = Number(response.headers.get("content-length") ?? NaN);
  if (length > max) {
    await response.body?.cancel().catch(() => {
    });
    throw new BodyTooLarge(`answer larger than ${max} bytes (${length})`);
  }
  if (!response.body) return "";
  const reader = response.body.getReader();
  const chunks = [];
  let size = 0;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > max) {
      await reader.cancel().catch(() => {
      });
      throw new BodyTooLarge(`answer larger than ${max} bytes`);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let off = 0;
  for (const c of chunks) {
    bytes.set(c, off);
    off += c.length;
  }
  return new TextDecoder().decode(bytes);
}
async function httpRequest(url, options) {
  const {
    method = "GET",
    json,
    timeoutMs,
    fetch: doFetch = globalThis.fetch,
    retryDelaysMs,
    sleep = delay,
    signal,
    log,
    what,
    retryAfterSend = true,
    maxBodyBytes = MAX_BODY_BYTES,
  } = options;
  try {
    return await retry(async () => {
      const attemptSignal = AbortSignal.any([
        AbortSignal.timeout(timeoutMs),
        signal,
      ].filter((s) => !!s));
      let response;
      try {
        response = await doFetch(url, {
          method,
          signal: attemptSignal,
          headers: json === void 0 ? void 0 : {
            "content-type": "application/json",
          },
          body: json === void 0 ? void 0 : JSON.stringify(json),
        });
      } catch (error) {
        if (signal?.aborted) throw signal.reason;
        const timedOut = error.name === "TimeoutError";
        const text2 = describe(error);
        throw new Transient(
          timedOut ? `no answer within ${timeoutMs}ms` : text2,
          timedOut,
          timedOut || !failedToConnect(text2),
        );
      }
      let text;
      try {
        text = await readBody(response, maxBodyBytes);
      } catch (error) {
        if (error instanceof BodyTooLarge) {
          throw new DependencyError(
            `Cannot read ${what}'s answer from ${url}: ${error.message}`,
            {
              fields: {
                state: "error",
              },
            },
          );
        }
        throw new Transient(`answer cut off: ${describe(error)}`, false);
      }
      if (RETRY_STATUS.has(response.status)) {
        throw new Transient(`HTTP ${response.status}`, false);
      }
      return {
        status: response.status,
        text,
      };
    }, {
      shouldRetry: (e) => e instanceof Transient && (retryAfterSend || !e.sent),
      delaysMs: retryDelaysMs,
      sleep,
      signal,
      onRetry: (e, n, delay2) =>
        log?.warn(`retrying ${what}`, {
          attempt: n + 1,
          delay_ms: delay2,
          err: errorMessage(e),
        }),
    });
  } catch (error) {
    if (error instanceof Transient) {
      const notRetried = !retryAfterSend && error.sent
        ? " (not retried: the request may have reached it)"
        : "";
      const message =
        `Cannot reach ${what} at ${url}: ${error.message}${notRetried}`;
      throw error.timedOut
        ? new TimeoutError(message, {
          cause: error,
          fields: {
            state: "timeout",
          },
        })
        : new DependencyError(message, {
          cause: error,
          fields: {
            state: "unreachable",
          },
        });
    }
    throw error;
  }
}
var MAX_BODY_BYTES, BodyTooLarge, Transient, RETRY_STATUS;
var init_fetch_retry = __esm({
  "lib/http/fetch_retry.ts"() {
    init_mod();
    init_mod2();
    MAX_BODY_BYTES = 1024 * 1024;
    BodyTooLarge = class extends Error {
      name = "BodyTooLarge";
    };
    Transient = class extends Error {
      timedOut;
      sent;
      name;
      constructor(message, timedOut, sent = true) {
        super(message),
          this.timedOut = timedOut,
          this.sent = sent,
          this.name = "Transient";
      }
    };
    RETRY_STATUS = /* @__PURE__ */ new Set([
      502,
      503,
      504,
    ]);
  },
});

// lib/http/mod.ts
var init_mod3 = __esm({
  "lib/http/mod.ts"() {
    init_fetch_retry();
  },
});

// lib/aloha/tunnel.ts
function addressOf(url) {
  const u = new URL(url);
  const port = u.port ? Number(u.port) : u.protocol === "https:" ? 443 : 80;
  return {
    host: u.hostname.replace(/^\[|\]$/g, ""),
    port,
  };
}
async function throughTunnel(tunnel, options) {
  const { url, send } = options;
  const { host, port } = addressOf(url);
  const forward = await tunnel.forward(host, port, {
    timeoutMs: options.timeoutMs,
  });
  const client = Deno.createHttpClient({
    proxy: {
      transport: "unix",
      path: forward.path,
    },
  });
  const base = options.fetch ?? globalThis.fetch;
  try {
    return await send((input, init) =>
      base(input, {
        ...init,
        client,
      })
    );
  } finally {
    client.close();
    await forward.close();
  }
}
var init_tunnel = __esm({
  "lib/aloha/tunnel.ts"() {
  },
});

// lib/aloha/client.ts
function parseJson(answer, what) {
  try {
    const value = JSON.parse(answer.text);
    if (value && typeof value === "object") {
      return value;
    }
  } catch {
  }
  throw new OperationalError(
    `Cannot read ${what}'s answer: HTTP ${answer.status} with a body that is not a JSON object: ${
      JSON.stringify(answer.text.slice(0, 120))
    }`,
    {
      fields: {
        state: "error",
      },
    },
  );
}
var SERVER_HEALTH_TEXT, AlohaClient;
var init_client = __esm({
  "lib/aloha/client.ts"() {
    init_mod();
    init_mod3();
    init_tunnel();
    SERVER_HEALTH_TEXT = "Aloha API server is running";
    AlohaClient = class {
      #o;
      constructor(options) {
        this.#o = options;
      }
      #request(url, what, init = {}) {
        const send = (fetch) =>
          httpRequest(url, {
            ...this.#o.http,
            ...fetch
              ? {
                fetch,
              }
              : {},
            ...init,
            timeoutMs: this.#o.timeoutMs,
            log: this.#o.logger?.scope("aloha", "aloha.http"),
            what,
          });
        const tunnel = this.#o.tunnel;
        if (!tunnel) return send();
        return throughTunnel(tunnel, {
          url,
          send,
          timeoutMs: this.#o.timeoutMs,
          fetch: this.#o.http?.fetch,
        });
      }
      /** Checks the server's `GET /`; throws DependencyError unless it answers as Aloha does. */
      async serverHealth() {
        const answer = await this.#request(
          `${this.#o.serverUrl}/`,
          "Aloha server",
        );
        if (answer.status !== 200) {
          throw new DependencyError(
            `Cannot use Aloha server at ${this.#o.serverUrl}: HTTP ${answer.status}`,
            {
              fields: {
                state: "error",
                http_status: answer.status,
              },
            },
          );
        }
        if (!answer.text.includes(SERVER_HEALTH_TEXT)) {
          throw new DependencyError(
            `Cannot use Aloha server at ${this.#o.serverUrl}: unexpected answer ${
              JSON.stringify(answer.text.slice(0, 80))
            }`,
            {
              fields: {
                state: "error",
              },
            },
          );
        }
      }
      /**
       * Checks that the Aloha client answers HTTP at all (it has no health
       * endpoint; any status means it is up). Returns the status.
       */
      async clientReachable() {
        const answer = await this.#request(
          `${this.#o.clientUrl}/`,
          "Aloha client",
        );
        return answer.status;
      }
      /**
       * Starts a task. Returns Aloha's immediate answer ("Task started"); a
       * running task gives OperationalError with `state=busy`. The request is
       * retried only when the connection failed before anything was sent.
       */
      async runTask(input) {
        const body = {
          task: input.task,
        };
        if (input.selectedScreen !== void 0) {
          body.selected_screen = input.selectedScreen;
        }
        if (input.maxSteps !== void 0) body.max_steps = input.maxSteps;
        if (input.demoTrace !== void 0) body.trace_id = input.demoTrace;
        const answer = await this.#request(
          `${this.#o.clientUrl}/run_task`,
          "Aloha client",
          // the task again (or meet "busy" and hide that the first one started).
          {
            method: "POST",
            json: body,
            retryAfterSend: false,
          },
        );
        if (answer.status === 409) {
          throw new OperationalError(
            "Cannot start Aloha task: a task is already running",
            {
              fields: {
                state: "busy",
              },
            },
          );
        }
        const json = parseJson(answer, "Aloha client");
        if (answer.status !== 200 || json.status !== "success") {
          throw new OperationalError(
            `Cannot start Aloha task: HTTP ${answer.status} ${
              JSON.stringify(json.message ?? "")
            }`,
            {
              fields: {
                state: "error",
                http_status: answer.status,
              },
            },
          );
        }
        return json;
      }
      /** Asks the client to stop its task; returns whether one was running. */
      async stop() {
        const answer = await this.#request(
          `${this.#o.clientUrl}/stop`,
          "Aloha client",
          {
            method: "POST",
          },
        );
        return answer.status === 200;
      }
    };
  },
});

// lib/powershell/_bootstrap.ts
var BOOTSTRAP;
var init_bootstrap = __esm({
  "lib/powershell/_bootstrap.ts"() {
    BOOTSTRAP = [
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
  },
});

// lib/powershell/paths.ts
function scpPath(windowsPath, ...parts) {
  return [
    windowsPath.replaceAll("\\", "/"),
    ...parts,
  ].join("/");
}
var WINDOWS_ROOT, RUN_DIR, WINDOWS_ARTIFACT_DIR, PLAYWRIGHT_DIR;
var init_paths = __esm({
  "lib/powershell/paths.ts"() {
    WINDOWS_ROOT = "C:\\ProgramData\\win-automation";
    RUN_DIR = `${WINDOWS_ROOT}\\run`;
    WINDOWS_ARTIFACT_DIR = `${WINDOWS_ROOT}\\artifacts`;
    PLAYWRIGHT_DIR = `${WINDOWS_ROOT}\\playwright`;
  },
});

// lib/powershell/scripts.ts
var ALOHA_SERVER_TASK, ALOHA_CLIENT_TASK, TASK_NAMES, ROOT_GUARD, SCRIPT_BODIES;
var init_scripts = __esm({
  "lib/powershell/scripts.ts"() {
    init_paths();
    ALOHA_SERVER_TASK = "WinAutomation-AlohaServer";
    ALOHA_CLIENT_TASK = "WinAutomation-AlohaClient";
    TASK_NAMES = {
      playwright: "WinAutomation-Playwright",
      alohaServer: ALOHA_SERVER_TASK,
      alohaClient: ALOHA_CLIENT_TASK,
    };
    ROOT_GUARD = String.raw`$waRoot = '${WINDOWS_ROOT}'
if (-not [System.IO.Directory]::Exists($waRoot)) {
  $waAcl = New-Object System.Security.AccessControl.DirectorySecurity
  $waAcl.SetAccessRuleProtection($true, $false)
  foreach ($waSid in 'S-1-5-18', 'S-1-5-32-544') {
    $waAcl.AddAccessRule((New-Object System.Security.AccessControl.FileSystemAccessRule((New-Object System.Security.Principal.SecurityIdentifier $waSid), 'FullControl', 'ContainerInherit, ObjectInherit', 'None', 'Allow')))
  }
  $waAcl.SetOwner((New-Object System.Security.Principal.SecurityIdentifier 'S-1-5-32-544'))
  [System.IO.Directory]::CreateDirectory($waRoot, $waAcl) | Out-Null
}`;
    SCRIPT_BODIES = {
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
'{"state":"killed"}'`,
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
      log_follow: String
        .raw`$deadline = (Get-Date).AddMilliseconds($in.timeout_ms)
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
  },
});

// lib/powershell/envelope.ts
function encodeUtf16leBase64(text) {
  const bytes = new Uint8Array(text.length * 2);
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    bytes[i * 2] = code & 255;
    bytes[i * 2 + 1] = code >> 8;
  }
  return bytesToBase64(bytes);
}
function bytesToBase64(bytes) {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 32768) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 32768));
  }
  return btoa(binary);
}
function scriptText(kind) {
  return `${SCRIPT_HEADER_PREFIX}${kind} ${SCRIPT_VERSION}
${SCRIPT_BODIES[kind]}`;
}
function buildRequest(kind, input, options = {}) {
  const nonce = options.nonce ?? randomNonce();
  if (!/^[0-9a-f]{32}$/.test(nonce)) {
    throw new RangeError(`nonce must be 32 lowercase hex digits: "${nonce}"`);
  }
  const utf8 = new TextEncoder();
  const script = bytesToBase64(utf8.encode(scriptText(kind)));
  const data = bytesToBase64(utf8.encode(JSON.stringify({
    nonce,
    input,
  })));
  return {
    stdin: utf8.encode(`${script}
${data}
`),
    nonce,
  };
}
function randomNonce() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}
var SCRIPT_HEADER_PREFIX, SCRIPT_VERSION, REMOTE_COMMAND;
var init_envelope = __esm({
  "lib/powershell/envelope.ts"() {
    init_bootstrap();
    init_scripts();
    SCRIPT_HEADER_PREFIX = "# win-automation script: ";
    SCRIPT_VERSION = "v2";
    REMOTE_COMMAND = [
      "powershell",
      "-NoLogo",
      "-NoProfile",
      "-NonInteractive",
      "-ExecutionPolicy",
      "Bypass",
      "-OutputFormat",
      "Text",
      "-EncodedCommand",
      encodeUtf16leBase64(BOOTSTRAP),
    ].join(" ");
  },
});

// lib/powershell/clixml.ts
function unescapeClixml(text) {
  const xml = text.replace(
    /&(lt|gt|amp|quot|apos|#x[0-9a-fA-F]+|#[0-9]+);/g,
    (_m, name) => {
      switch (name) {
        case "lt":
          return "<";
        case "gt":
          return ">";
        case "amp":
          return "&";
        case "quot":
          return '"';
        case "apos":
          return "'";
      }
      const code = name.startsWith("#x")
        ? parseInt(name.slice(2), 16)
        : parseInt(name.slice(1), 10);
      return String.fromCodePoint(code);
    },
  );
  return xml.replace(
    /_x([0-9a-fA-F]{4})_/g,
    (_m, hex) => String.fromCharCode(parseInt(hex, 16)),
  );
}
function readElement(text, at) {
  const tag = /^<(S|Obj)\b([^>]*?)(\/?)>/.exec(text.slice(at, at + 4096));
  if (!tag) return null;
  const [whole, name, attrs = "", selfClosing] = tag;
  const contentStart = at + whole.length;
  if (selfClosing) {
    return {
      message: null,
      end: contentStart,
    };
  }
  const close = closingIndex(text, name, contentStart);
  if (close < 0) return null;
  const end = close + `</${name}>`.length;
  const stream = /\bS="([^"]*)"/.exec(attrs)?.[1]?.toLowerCase() ?? "";
  if (!STREAMS.has(stream)) {
    return {
      message: null,
      end,
    };
  }
  const inner = text.slice(contentStart, close);
  const raw = name === "S"
    ? inner
    : /<ToString>([\s\S]*?)<\/ToString>/.exec(inner)?.[1];
  if (raw === void 0) {
    return {
      message: null,
      end,
    };
  }
  return {
    message: {
      stream,
      text: unescapeClixml(raw),
    },
    end,
  };
}
function closingIndex(body, name, from) {
  let depth = 1;
  const pattern = new RegExp(`<(/?)${name}\\b[^>]*?(/?)>`, "g");
  pattern.lastIndex = from;
  for (let m = pattern.exec(body); m; m = pattern.exec(body)) {
    if (m[1]) depth--;
    else if (!m[2]) depth++;
    if (depth === 0) return m.index;
  }
  return -1;
}
function render({ stream, text }) {
  const body = text.replace(/\r?\n$/, "");
  return body.split(/\r?\n/).map((line) => PREFIX[stream] + line).join("\n") +
    "\n";
}
function decodeClixml(text) {
  const input = text.replace(/\r\n/g, "\n");
  let out = "";
  const emit = (piece, own = false) => {
    if (own && out !== "" && !out.endsWith("\n")) out += "\n";
    out += piece;
  };
  let inDoc = false;
  let at = 0;
  while (at < input.length) {
    const lineStart = at === 0 || input[at - 1] === "\n";
    if (!inDoc && lineStart && HEADER.test(input.slice(at, at + 12))) {
      const nl = input.indexOf("\n", at);
      at = nl < 0 ? input.length : nl + 1;
      continue;
    }
    if (!inDoc) {
      const open = input.indexOf(OPEN, at);
      if (open < 0) {
        emit(input.slice(at));
        break;
      }
      const tagEnd = input.indexOf(">", open);
      if (tagEnd < 0 || !/Version="/.test(input.slice(open, tagEnd))) {
        emit(input.slice(at, open + OPEN.length));
        at = open + OPEN.length;
        continue;
      }
      emit(input.slice(at, open));
      inDoc = true;
      at = tagEnd + 1;
      continue;
    }
    const next = input.indexOf("<", at);
    if (next < 0) {
      emit(input.slice(at));
      break;
    }
    emit(input.slice(at, next));
    if (input.startsWith(CLOSE, next)) {
      inDoc = false;
      at = next + CLOSE.length;
      if (input[at] === "\n" && (out === "" || out.endsWith("\n"))) at++;
      continue;
    }
    const element = readElement(input, next);
    if (!element) {
      emit(input.slice(next));
      break;
    }
    if (element.message) emit(render(element.message), true);
    at = element.end;
  }
  return out === "" || out.endsWith("\n") ? out : out + "\n";
}
var PREFIX, STREAMS, HEADER, OPEN, CLOSE;
var init_clixml = __esm({
  "lib/powershell/clixml.ts"() {
    PREFIX = {
      error: "",
      warning: "WARNING: ",
      verbose: "VERBOSE: ",
      debug: "DEBUG: ",
      information: "",
    };
    STREAMS = new Set(Object.keys(PREFIX));
    HEADER = /^#< CLIXML\r?(\n|$)/;
    OPEN = "<Objs ";
    CLOSE = "</Objs>";
  },
});

// lib/powershell/oem.ts
function decodeOem(bytes, codePage) {
  const high = HIGH[codePage];
  let text = "";
  for (const b of bytes) {
    text += b < 128 ? String.fromCharCode(b) : high.charAt(b - 128);
  }
  return text;
}
function decodeWindowsLine(bytes, codePage = 437) {
  try {
    return new TextDecoder("utf-8", {
      fatal: true,
    }).decode(bytes);
  } catch {
    return decodeOem(bytes, codePage);
  }
}
function decodeWindowsText(bytes, codePage = 437) {
  let text = "";
  let start = 0;
  for (let i = 0; i <= bytes.length; i++) {
    if (i === bytes.length || bytes[i] === 10) {
      const end = i === bytes.length ? i : i + 1;
      if (end > start) {
        text += decodeWindowsLine(bytes.subarray(start, end), codePage);
      }
      start = end;
    }
  }
  return text;
}
var HIGH;
var init_oem = __esm({
  "lib/powershell/oem.ts"() {
    HIGH = {
      437:
        "\xC7\xFC\xE9\xE2\xE4\xE0\xE5\xE7\xEA\xEB\xE8\xEF\xEE\xEC\xC4\xC5\xC9\xE6\xC6\xF4\xF6\xF2\xFB\xF9\xFF\xD6\xDC\xA2\xA3\xA5\u20A7\u0192\xE1\xED\xF3\xFA\xF1\xD1\xAA\xBA\xBF\u2310\xAC\xBD\xBC\xA1\xAB\xBB\u2591\u2592\u2593\u2502\u2524\u2561\u2562\u2556\u2555\u2563\u2551\u2557\u255D\u255C\u255B\u2510\u2514\u2534\u252C\u251C\u2500\u253C\u255E\u255F\u255A\u2554\u2569\u2566\u2560\u2550\u256C\u2567\u2568\u2564\u2565\u2559\u2558\u2552\u2553\u256B\u256A\u2518\u250C\u2588\u2584\u258C\u2590\u2580\u03B1\xDF\u0393\u03C0\u03A3\u03C3\xB5\u03C4\u03A6\u0398\u03A9\u03B4\u221E\u03C6\u03B5\u2229\u2261\xB1\u2265\u2264\u2320\u2321\xF7\u2248\xB0\u2219\xB7\u221A\u207F\xB2\u25A0\xA0",
      850:
        "\xC7\xFC\xE9\xE2\xE4\xE0\xE5\xE7\xEA\xEB\xE8\xEF\xEE\xEC\xC4\xC5\xC9\xE6\xC6\xF4\xF6\xF2\xFB\xF9\xFF\xD6\xDC\xF8\xA3\xD8\xD7\u0192\xE1\xED\xF3\xFA\xF1\xD1\xAA\xBA\xBF\xAE\xAC\xBD\xBC\xA1\xAB\xBB\u2591\u2592\u2593\u2502\u2524\xC1\xC2\xC0\xA9\u2563\u2551\u2557\u255D\xA2\xA5\u2510\u2514\u2534\u252C\u251C\u2500\u253C\xE3\xC3\u255A\u2554\u2569\u2566\u2560\u2550\u256C\xA4\xF0\xD0\xCA\xCB\xC8\u0131\xCD\xCE\xCF\u2518\u250C\u2588\u2584\xA6\xCC\u2580\xD3\xDF\xD4\xD2\xF5\xD5\xB5\xFE\xDE\xDA\xDB\xD9\xFD\xDD\xAF\xB4\xAD\xB1\u2017\xBE\xB6\xA7\xF7\xB8\xB0\xA8\xB7\xB9\xB3\xB2\u25A0\xA0",
    };
  },
});

// lib/powershell/reply.ts
function escape(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
function parseReply(raw, nonce, options = {}) {
  const { codePage = 437 } = options;
  const text = decodeWindowsText(raw.stdout, codePage);
  const begin = new RegExp(`(?:^|\\n)wa:${escape(nonce)}:begin\\r?\\n`);
  const trailer = new RegExp(`wa:${escape(nonce)}:exit=(-?\\d+)\\s*$`);
  const found = begin.exec(text);
  const preamble = found
    ? text.slice(0, found.index + (found[0].startsWith("\n") ? 1 : 0))
    : text;
  let body = found ? text.slice(found.index + found[0].length) : "";
  let exitCode = null;
  const end = trailer.exec(body);
  if (end) {
    exitCode = Number(end[1]);
    body = body.slice(0, end.index);
  } else if (raw.stdoutTail) {
    const tail = trailer.exec(decodeWindowsText(raw.stdoutTail, codePage));
    if (tail) exitCode = Number(tail[1]);
  }
  return {
    exitCode,
    stdout: lf(body),
    stderr: decodeClixml(lf(decodeWindowsText(raw.stderr, codePage))),
    preamble: lf(preamble),
  };
}
function lf(text) {
  return text.replace(/\r\n/g, "\n");
}
var init_reply = __esm({
  "lib/powershell/reply.ts"() {
    init_clixml();
    init_oem();
  },
});

// lib/powershell/mod.ts
var init_mod4 = __esm({
  "lib/powershell/mod.ts"() {
    init_envelope();
    init_reply();
    init_clixml();
    init_oem();
    init_bootstrap();
    init_scripts();
    init_paths();
  },
});

// lib/windows/remote.ts
async function runScript(ssh, call) {
  const { kind, input, ...options } = call;
  const request = buildRequest(kind, input);
  const result = await ssh.run(REMOTE_COMMAND, {
    ...options,
    stdin: request.stdin,
  });
  return decodeScriptRun(result, {
    kind,
    nonce: request.nonce,
    endpoint: ssh.endpoint,
  });
}
function decodeScriptRun(run, options) {
  const { kind, nonce, endpoint } = options;
  const reply = parseReply(run, nonce);
  if (reply.exitCode === null) {
    const said = firstLine(reply.stderr) || firstLine(reply.preamble);
    throw new OperationalError(
      `Cannot run ${kind} on ${endpoint}: the script did not finish (powershell exited ${run.code}${
        said ? `: ${said}` : ""
      })`,
    );
  }
  return {
    code: reply.exitCode,
    stdout: reply.stdout,
    stderr: reply.stderr,
    truncated: run.truncated,
  };
}
function firstLine(text) {
  return text.split("\n").map((l) => l.trim()).find((l) => l !== "") ?? "";
}
async function runJsonScript(ssh, call) {
  const { kind } = call;
  const result = await runScript(ssh, call);
  const firstErr = firstLine(result.stderr);
  if (result.code !== 0) {
    throw new OperationalError(
      `Cannot run ${kind} on ${ssh.endpoint}: exit code ${result.code}${
        firstErr ? ` (${firstErr})` : ""
      }`,
    );
  }
  const line = result.stdout.trim().split("\n").pop() ?? "";
  try {
    return JSON.parse(line);
  } catch (cause) {
    throw new OperationalError(
      `Cannot read the answer of ${kind} from ${ssh.endpoint}: not JSON: ${
        JSON.stringify(line.slice(0, 200))
      }`,
      {
        cause,
      },
    );
  }
}
var init_remote = __esm({
  "lib/windows/remote.ts"() {
    init_mod();
    init_mod4();
  },
});

// lib/windows/exec.ts
async function windowsExec(ssh, command, options) {
  const {
    timeoutMs,
    signal,
    runId = crypto.randomUUID(),
    maxOutputBytes,
    logger,
  } = options;
  try {
    const result = await runScript(ssh, {
      kind: "exec",
      input: {
        command,
        run_id: runId,
      },
      timeoutMs,
      signal,
      maxOutputBytes,
    });
    return {
      exitCode: result.code,
      stdout: result.stdout,
      stderr: result.stderr,
      truncated: result.truncated,
      runId,
    };
  } catch (error) {
    if (error instanceof TimeoutError || signal?.aborted) {
      await stopRemote(ssh, runId, logger);
    }
    throw error;
  }
}
async function stopRemote(ssh, runId, logger) {
  const log = logger?.scope("ssh", "windows.exec");
  try {
    const answer = await runJsonScript(ssh, {
      kind: "kill",
      input: {
        run_id: runId,
      },
      timeoutMs: 15e3,
    });
    log?.info("stopped remote command", {
      run_id: runId,
      state: answer.state,
    });
    return answer.state;
  } catch (error) {
    log?.error("cannot stop remote command", {
      err: error,
      run_id: runId,
    });
    return "unknown";
  }
}
var init_exec = __esm({
  "lib/windows/exec.ts"() {
    init_mod();
    init_remote();
  },
});

// lib/windows/remote_address.ts
function ipv4(text) {
  const m = text.match(IPV4);
  if (!m) return void 0;
  const octets = m.slice(1).map(Number);
  return octets.every((o) => o <= 255) ? octets : void 0;
}
function ipv6(text) {
  if (!text.includes(":") || /[\[\]/%]/.test(text)) return void 0;
  try {
    return new URL(`http://[${text}]/`).hostname.slice(1, -1);
  } catch {
    return void 0;
  }
}
function maskBits(octets) {
  const bits = octets.map((o) => o.toString(2).padStart(8, "0")).join("");
  return /^1*0*$/.test(bits)
    ? bits.indexOf("0") === -1 ? 32 : bits.indexOf("0")
    : void 0;
}
function normalizeRemoteAddress(text) {
  const [addr = "", prefix, extra] = text.trim().split("/");
  if (extra !== void 0) return void 0;
  const v4 = ipv4(addr);
  const v6 = v4 ? void 0 : ipv6(addr);
  if (!v4 && v6 === void 0) return void 0;
  const max = v4 ? 32 : 128;
  let bits = max;
  if (prefix !== void 0) {
    const mask = v4 ? ipv4(prefix) : void 0;
    if (mask) {
      const m = maskBits(mask);
      if (m === void 0) return void 0;
      bits = m;
    } else if (/^\d{1,3}$/.test(prefix) && Number(prefix) <= max) {
      bits = Number(prefix);
    } else return void 0;
  }
  const base = v4 ? v4.join(".") : v6;
  return bits === max ? base : `${base}/${bits}`;
}
function entries(text) {
  return text.split(/[\s,]+/).filter((e) => e !== "");
}
function addressListProblem(text) {
  const list = entries(text);
  if (list.length > MAX_ALLOW_FROM) {
    return `must list at most ${MAX_ALLOW_FROM} addresses, got ${list.length}`;
  }
  for (const entry of list) {
    const normal = normalizeRemoteAddress(entry);
    if (normal === void 0) {
      return `must be IPv4 or IPv6 addresses or subnets (e.g. "192.168.122.1" or "10.0.0.0/24"), separated by commas; "${
        entry.slice(0, 60)
      }" is not one`;
    }
    if (/\/0$/.test(normal)) {
      return `must name the Linux host's addresses: "${entry}" allows every address`;
    }
  }
  return void 0;
}
function parseAddressList(text) {
  const out = [];
  for (const entry of entries(text)) {
    const normal = normalizeRemoteAddress(entry);
    if (normal !== void 0 && !out.includes(normal)) out.push(normal);
  }
  return out;
}
function sameAddresses(reported, wanted) {
  const a = new Set(reported.map((r) => normalizeRemoteAddress(r) ?? r));
  const b = new Set(wanted.map((w) => normalizeRemoteAddress(w) ?? w));
  return a.size === b.size && [
    ...a,
  ].every((x) => b.has(x));
}
var MAX_ALLOW_FROM, IPV4;
var init_remote_address = __esm({
  "lib/windows/remote_address.ts"() {
    MAX_ALLOW_FROM = 32;
    IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
  },
});

// lib/windows/probes.ts
function remoteVersion(ssh, options) {
  return runJsonScript(ssh, {
    kind: "version",
    input: {},
    ...options,
  });
}
function defaultShellName(value) {
  const base = value.trim().replace(/^"|"$/g, "").split(/[\\/]/).pop() ?? "";
  return base === "" ? "cmd" : base.toLowerCase().replace(/\.exe$/, "");
}
function firewallRule(ssh, name, options) {
  return runJsonScript(ssh, {
    kind: "firewall_rule",
    input: {
      name,
    },
    ...options,
  });
}
function ensureFirewallRule(ssh, rule, options) {
  return runJsonScript(ssh, {
    kind: "firewall_add",
    input: firewallInput(rule),
    ...options,
  });
}
function repairFirewallRule(ssh, rule, options) {
  return runJsonScript(ssh, {
    kind: "firewall_repair",
    input: firewallInput(rule),
    ...options,
  });
}
function firewallInput(rule) {
  return {
    name: rule.name,
    port: rule.port,
    remote_addresses: [
      ...rule.allowFrom,
    ],
  };
}
function runScheduledTask(ssh, name, options) {
  return runJsonScript(ssh, {
    kind: "task_run",
    input: {
      name,
    },
    ...options,
  });
}
async function portListening(ssh, port, options) {
  const answer = await runJsonScript(ssh, {
    kind: "port_listening",
    input: {
      port,
    },
    ...options,
  });
  return answer.listening;
}
async function desktopLocked(ssh, options) {
  const answer = await runJsonScript(ssh, {
    kind: "desktop",
    input: {},
    ...options,
  });
  return answer.state === "locked";
}
async function taskExists(ssh, name, options) {
  const answer = await runJsonScript(ssh, {
    kind: "task_exists",
    input: {
      name,
    },
    ...options,
  });
  return answer.exists;
}
function firewallRuleName(prefix, port) {
  return `${prefix}-${port}`;
}
function firewallProblem(spec, rule) {
  const { name, port, allowFrom: allowFrom2 } = spec;
  const q = psQuote(name);
  if (!rule.exists) {
    return {
      problem: "firewall rule missing",
      fix: firewallFixCommand(name, port, allowFrom2),
    };
  }
  if (!rule.enabled) {
    return {
      problem: "firewall rule disabled",
      fix: `Enable-NetFirewallRule -DisplayName ${q}`,
    };
  }
  const direction = rule.direction ?? "Inbound";
  const action = rule.action ?? "Allow";
  if (direction !== "Inbound" || action !== "Allow") {
    return {
      problem: `firewall rule is ${direction} ${action}, not Inbound Allow`,
      fix:
        `Set-NetFirewallRule -DisplayName ${q} -Direction Inbound -Action Allow`,
    };
  }
  const ports = rule.ports.split(",");
  if (!ports.includes(String(port)) && !ports.includes("Any")) {
    return {
      problem: `firewall rule opens port ${rule.ports || "none"}, not ${port}`,
      fix:
        `Set-NetFirewallRule -DisplayName ${q} -Protocol TCP -LocalPort ${port}`,
    };
  }
  const remote = rule.remote_addresses ?? [
    "Any",
  ];
  if (!sameAddresses(remote, allowFrom2)) {
    const shown = remote.map((r) => normalizeRemoteAddress(r) ?? r).join(",");
    return {
      problem: remote.some((r) => /^any$/i.test(r))
        ? `firewall rule allows any remote address, not only ${
          allowFrom2.join(",")
        }`
        : `firewall rule allows ${shown || "none"}, not ${
          allowFrom2.join(",")
        }`,
      fix: `Set-NetFirewallRule -DisplayName ${q} -RemoteAddress ${
        remoteList(allowFrom2)
      }`,
    };
  }
  return null;
}
function remoteList(allowFrom2) {
  return allowFrom2.map(psQuote).join(",");
}
function firewallFixCommand(name, port, allowFrom2) {
  return `New-NetFirewallRule -DisplayName ${
    psQuote(name)
  } -Direction Inbound -Action Allow -Protocol TCP -LocalPort ${port} -RemoteAddress ${
    remoteList(allowFrom2)
  } -Profile Any`;
}
function psQuote(text) {
  return `'${text.replaceAll("'", "''")}'`;
}
var init_probes = __esm({
  "lib/windows/probes.ts"() {
    init_remote();
    init_remote_address();
  },
});

// lib/windows/acl.ts
function aclCheck(ssh, path, options) {
  return runJsonScript(ssh, {
    kind: "acl_check",
    input: {
      path,
    },
    ...options,
  });
}
async function lockRoot(ssh, options) {
  const answer = await runJsonScript(ssh, {
    kind: "root_lock",
    input: {},
    ...options,
  });
  return answer.changed ?? [];
}
function aclFixCommand(path) {
  const admins = TRUSTED_SIDS.administrators;
  const owner =
    `$a.SetOwner((New-Object System.Security.Principal.SecurityIdentifier '${admins}'))`;
  const set = `[System.IO.Directory]::SetAccessControl(${psQuote(path)}, $a)`;
  if (path.toLowerCase() === WINDOWS_ROOT.toLowerCase()) {
    return [
      "$a = New-Object System.Security.AccessControl.DirectorySecurity",
      "$a.SetAccessRuleProtection($true, $false)",
      `$a.AddAccessRule(${FULL_CONTROL_RULE(TRUSTED_SIDS.system)})`,
      `$a.AddAccessRule(${FULL_CONTROL_RULE(admins)})`,
      owner,
      set,
    ].join("; ");
  }
  return [
    "$a = New-Object System.Security.AccessControl.DirectorySecurity",
    "$a.SetAccessRuleProtection($false, $false)",
    `$a.AddAccessRule((New-Object System.Security.AccessControl.FileSystemAccessRule((New-Object System.Security.Principal.SecurityIdentifier '${TRUSTED_SIDS.localService}'), 'ReadAndExecute', 'ContainerInherit, ObjectInherit', 'None', 'Allow')))`,
    owner,
    set,
  ].join("; ");
}
function aclOffenders(report, options) {
  if (!report.exists) return [];
  const out = [];
  const trusted = [
    TRUSTED_SIDS.system,
    TRUSTED_SIDS.administrators,
  ];
  if (report.owner_sid === null || !trusted.includes(report.owner_sid)) {
    out.push(`owner:${report.owner ?? "unknown"}`);
  }
  if (options.protectedAcl && !report.protected) out.push("inheritance");
  for (const w of report.writers) {
    const name = `${w.identity}(${w.rights}${w.inherited ? ",inherited" : ""})`;
    if (!out.includes(name)) out.push(name);
  }
  return out;
}
var TRUSTED_SIDS, CHECKED_FOLDERS, FULL_CONTROL_RULE;
var init_acl = __esm({
  "lib/windows/acl.ts"() {
    init_mod4();
    init_probes();
    init_remote();
    TRUSTED_SIDS = {
      system: "S-1-5-18",
      administrators: "S-1-5-32-544",
      localService: "S-1-5-19",
    };
    CHECKED_FOLDERS = [
      {
        path: WINDOWS_ROOT,
        protectedAcl: true,
      },
      {
        path: PLAYWRIGHT_DIR,
        protectedAcl: false,
      },
    ];
    FULL_CONTROL_RULE = (sid) =>
      `(New-Object System.Security.AccessControl.FileSystemAccessRule((New-Object System.Security.Principal.SecurityIdentifier '${sid}'), 'FullControl', 'ContainerInherit, ObjectInherit', 'None', 'Allow'))`;
  },
});

// lib/windows/idempotency.ts
async function idempotencyGate(ssh, check, options) {
  const { timeoutMs, requireUnlocked = false, signal } = options;
  if (
    requireUnlocked && await desktopLocked(ssh, {
      timeoutMs,
      signal,
    })
  ) {
    throw new OperationalError("Cannot run: the Windows desktop is locked", {
      fields: {
        state: "blocked",
      },
    });
  }
  const result = await windowsExec(ssh, check, {
    timeoutMs,
    signal,
  });
  return result.exitCode === 0 ? "skip" : "run";
}
var init_idempotency = __esm({
  "lib/windows/idempotency.ts"() {
    init_mod();
    init_exec();
    init_probes();
  },
});

// lib/windows/firewall_rules.ts
function portOf(url) {
  const u = new URL(url);
  return u.port ? Number(u.port) : u.protocol === "https:" ? 443 : 80;
}
function requiredFirewallRules(config) {
  const rules = [];
  if (config.aloha.via === "direct") {
    const server = portOf(config.aloha.serverUrl);
    const client = portOf(config.aloha.clientUrl);
    rules.push([
      firewallRuleName("Aloha", server),
      server,
    ]);
    rules.push([
      firewallRuleName("Aloha", client),
      client,
    ]);
  }
  if (config.playwright.via === "direct") {
    rules.push([
      firewallRuleName("Playwright", config.playwright.port),
      config.playwright.port,
    ]);
  }
  return rules;
}
var init_firewall_rules = __esm({
  "lib/windows/firewall_rules.ts"() {
    init_probes();
  },
});

// lib/windows/mod.ts
var mod_exports = {};
__export(mod_exports, {
  CHECKED_FOLDERS: () => CHECKED_FOLDERS,
  MAX_ALLOW_FROM: () => MAX_ALLOW_FROM,
  PLAYWRIGHT_DIR: () => PLAYWRIGHT_DIR,
  RUN_DIR: () => RUN_DIR,
  TASK_NAMES: () => TASK_NAMES,
  TRUSTED_SIDS: () => TRUSTED_SIDS,
  WINDOWS_ARTIFACT_DIR: () => WINDOWS_ARTIFACT_DIR,
  WINDOWS_ROOT: () => WINDOWS_ROOT,
  aclCheck: () => aclCheck,
  aclFixCommand: () => aclFixCommand,
  aclOffenders: () => aclOffenders,
  addressListProblem: () => addressListProblem,
  decodeScriptRun: () => decodeScriptRun,
  defaultShellName: () => defaultShellName,
  desktopLocked: () => desktopLocked,
  ensureFirewallRule: () => ensureFirewallRule,
  firewallFixCommand: () => firewallFixCommand,
  firewallProblem: () => firewallProblem,
  firewallRule: () => firewallRule,
  firewallRuleName: () => firewallRuleName,
  idempotencyGate: () => idempotencyGate,
  lockRoot: () => lockRoot,
  normalizeRemoteAddress: () => normalizeRemoteAddress,
  parseAddressList: () => parseAddressList,
  portListening: () => portListening,
  remoteVersion: () => remoteVersion,
  repairFirewallRule: () => repairFirewallRule,
  requiredFirewallRules: () => requiredFirewallRules,
  runJsonScript: () => runJsonScript,
  runScheduledTask: () => runScheduledTask,
  runScript: () => runScript,
  sameAddresses: () => sameAddresses,
  scpPath: () => scpPath,
  stopRemote: () => stopRemote,
  taskExists: () => taskExists,
  windowsExec: () => windowsExec,
});
var init_mod5 = __esm({
  "lib/windows/mod.ts"() {
    init_remote();
    init_exec();
    init_probes();
    init_acl();
    init_idempotency();
    init_firewall_rules();
    init_mod4();
    init_remote_address();
  },
});

// lib/aloha/run.ts
var init_run = __esm({
  "lib/aloha/run.ts"() {
    init_mod();
    init_mod5();
  },
});

// lib/aloha/install.ts
var init_install = __esm({
  "lib/aloha/install.ts"() {
    init_mod();
    init_mod2();
    init_mod5();
  },
});

// lib/aloha/mod.ts
var init_mod6 = __esm({
  "lib/aloha/mod.ts"() {
    init_client();
    init_run();
    init_install();
  },
});

// lib/config/limits.ts
function limitsOf(settings) {
  const { timeoutMs, jobTimeoutMs } = settings;
  return {
    connectMs: timeoutMs,
    commandMs: timeoutMs,
    jobMs: jobTimeoutMs,
    gateMs: timeoutMs,
    alohaWaitMs: jobTimeoutMs,
    mirrorMs: jobTimeoutMs,
    cancelMs: Math.max(timeoutMs, CANCEL_FLOOR_MS),
    httpMs: timeoutMs,
    playwrightConnectMs: timeoutMs,
    pageRunMs: timeoutMs,
    workerReadyMs: timeoutMs,
    stepMs: timeoutMs,
  };
}
var CANCEL_FLOOR_MS;
var init_limits = __esm({
  "lib/config/limits.ts"() {
    CANCEL_FLOOR_MS = 3e4;
  },
});

// lib/fs/path.ts
function normalizeAbsolute(path) {
  const out = [];
  for (const part of path.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") out.pop();
    else out.push(part);
  }
  return "/" + out.join("/");
}
function dirname(path) {
  if (path === "") return ".";
  let i = path.length - 1;
  while (i > 0 && path[i] === "/") i--;
  while (i > 0 && path[i] !== "/") i--;
  if (i === 0) return path[0] === "/" ? "/" : ".";
  return i === 1 && path[0] === "/" ? "//" : path.slice(0, i);
}
function basename(path) {
  const trimmed = path.replace(/\/+$/, "");
  return trimmed.slice(trimmed.lastIndexOf("/") + 1);
}
function resolve(...paths) {
  let joined = "";
  for (let i = paths.length - 1; i >= 0; i--) {
    const p = paths[i];
    if (p === "") continue;
    joined = joined === "" ? p : `${p}/${joined}`;
    if (p.startsWith("/")) return normalizeAbsolute(joined);
  }
  return normalizeAbsolute(`${Deno.cwd()}/${joined}`);
}
function relative(from, to) {
  const a = resolve(from).split("/").filter(Boolean);
  const b = resolve(to).split("/").filter(Boolean);
  let common = 0;
  while (common < a.length && common < b.length && a[common] === b[common]) {
    common++;
  }
  return [
    ...Array(a.length - common).fill(".."),
    ...b.slice(common),
  ].join("/");
}
var init_path = __esm({
  "lib/fs/path.ts"() {
  },
});

// lib/fs/private_dir.ts
function kindOf(info) {
  if (info.isFile) return "a regular file";
  if (info.isFifo) return "a FIFO";
  if (info.isSocket) return "a socket";
  if (info.isCharDevice) return "a character device";
  if (info.isBlockDevice) return "a block device";
  return "not a directory";
}
function octal(mode) {
  return (mode & 4095).toString(8).padStart(4, "0");
}
function distrust(info, uid) {
  if (!info.isDirectory) return `is ${kindOf(info)}, not a directory`;
  const mode = info.mode ?? 448;
  if (uid !== null && info.uid !== null && info.uid !== uid) {
    return `is owned by uid ${info.uid}, not by this user (uid ${uid}); leaving it untouched`;
  }
  if (mode & 18) {
    return `is writable by group or others (mode ${
      octal(mode)
    }); leaving it untouched, fix it with: chmod 700 <dir>`;
  }
  if ((mode & 448) !== 448) {
    return `is not readable, writable and searchable by its owner (mode ${
      octal(mode)
    })`;
  }
  return void 0;
}
function fsWhy(error) {
  if (error instanceof Deno.errors.PermissionDenied) {
    return "cannot be created: permission denied";
  }
  if (error instanceof Deno.errors.NotADirectory) {
    return "cannot be created: a parent is not a directory";
  }
  if (error instanceof Deno.errors.AlreadyExists) {
    return "cannot be created: a parent is not a directory";
  }
  const name = error?.name ?? "Error";
  if (name === "NotCapable") return "cannot be created: permission denied";
  return `cannot be created: ${name}`;
}
async function ensurePrivateDir(path, options) {
  const { field } = options;
  const uid = options.uid === void 0 ? Deno.uid() : options.uid;
  const abs = resolve(path);
  const fail = (at2, why) => new ConfigError(field, `${quote(at2)} ${why}`);
  const missing = [];
  let at = abs;
  for (;;) {
    const info = await Deno.stat(at).catch((error) => {
      if (error instanceof Deno.errors.NotFound) return null;
      if (error instanceof Deno.errors.NotADirectory) {
        throw fail(at, "cannot be created: a parent is not a directory");
      }
      throw fail(at, fsWhy(error));
    });
    if (info) {
      if (at === abs) {
        const why = distrust(info, uid);
        if (why) throw fail(at, why);
        return;
      }
      if (!info.isDirectory) {
        throw fail(abs, `cannot be created: ${quote(at)} is ${kindOf(info)}`);
      }
      break;
    }
    missing.unshift(at);
    const up = dirname(at);
    if (up === at) break;
    at = up;
  }
  for (const dir of missing) {
    try {
      await Deno.mkdir(dir, {
        mode: 448,
      });
      await Deno.chmod(dir, 448);
    } catch (error) {
      if (error instanceof Deno.errors.AlreadyExists) {
        const info = await Deno.lstat(dir);
        const why = distrust(info, uid);
        if (why) throw fail(dir, why);
        continue;
      }
      throw fail(dir, fsWhy(error));
    }
  }
}
var init_private_dir = __esm({
  "lib/fs/private_dir.ts"() {
    init_path();
    init_mod();
  },
});

// lib/fs/atomic_write.ts
async function writeFileAtomic(path, data, options = {}) {
  const { mode = 384 } = options;
  const tmp = `${dirname(path)}/.${basename(path)}.${crypto.randomUUID()}.tmp`;
  const bytes = typeof data === "string"
    ? new TextEncoder().encode(data)
    : data;
  try {
    using file = await Deno.open(tmp, {
      write: true,
      createNew: true,
      mode: 384,
    });
    let off = 0;
    while (off < bytes.length) off += await file.write(bytes.subarray(off));
    await file.sync();
  } catch (error) {
    await Deno.remove(tmp).catch(() => {
    });
    throw error;
  }
  try {
    if (mode !== 384) await Deno.chmod(tmp, mode);
    await Deno.rename(tmp, path);
  } catch (error) {
    await Deno.remove(tmp).catch(() => {
    });
    throw error;
  }
}
var init_atomic_write = __esm({
  "lib/fs/atomic_write.ts"() {
    init_path();
  },
});

// lib/fs/read_regular.ts
function kindOf2(info) {
  if (info.isDirectory) return "is a directory";
  if (info.isFifo) return "is a FIFO, not a regular file";
  if (info.isCharDevice) return "is a character device, not a regular file";
  if (info.isBlockDevice) return "is a block device, not a regular file";
  if (info.isSocket) return "is a socket, not a regular file";
  return "is not a regular file";
}
function sizeWhy(size, max) {
  return `is larger than ${max} bytes (${size} bytes)`;
}
async function readRegularFile(path, options = {}) {
  const { maxBytes = MIB } = options;
  let info;
  try {
    info = await Deno.stat(path);
  } catch (error) {
    throw new FileRefused(refusal(error), {
      cause: error,
    });
  }
  if (!info.isFile) throw new FileRefused(kindOf2(info));
  if (info.size > maxBytes) throw new FileRefused(sizeWhy(info.size, maxBytes));
  let file;
  try {
    file = await Deno.open(path, {
      read: true,
    });
  } catch (error) {
    throw new FileRefused(refusal(error), {
      cause: error,
    });
  }
  try {
    const opened = await file.stat();
    if (!opened.isFile || opened.ino !== info.ino || opened.dev !== info.dev) {
      throw new FileRefused("changed while it was opened");
    }
    const buf = new Uint8Array(maxBytes + 1);
    let got2 = 0;
    while (got2 < buf.length) {
      const n = await file.read(buf.subarray(got2));
      if (n === null) break;
      got2 += n;
    }
    if (got2 > maxBytes) throw new FileRefused(sizeWhy(got2, maxBytes));
    return buf.slice(0, got2);
  } finally {
    file.close();
  }
}
function refusal(error) {
  if (error instanceof Deno.errors.NotFound) return "does not exist";
  if (
    error instanceof Deno.errors.PermissionDenied ||
    error?.name === "NotCapable"
  ) return "cannot be read: permission denied";
  if (error instanceof Deno.errors.IsADirectory) return "is a directory";
  if (error instanceof Deno.errors.NotADirectory) {
    return "does not exist (a parent is not a directory)";
  }
  return `cannot be read: ${quote(error?.name ?? String(error))}`;
}
var MIB, FileRefused;
var init_read_regular = __esm({
  "lib/fs/read_regular.ts"() {
    init_mod();
    MIB = 1024 * 1024;
    FileRefused = class extends Error {
      reason;
      name;
      constructor(reason, options) {
        super(reason, options), this.reason = reason, this.name = "FileRefused";
      }
    };
  },
});

// lib/fs/writable_dir.ts
async function ensureWritableDir(path, field, options = {}) {
  const fail = (why) =>
    options.usage
      ? new UsageError(`usage error: ${field} ${quote(path)} ${why}`)
      : new ConfigError(field, `${quote(path)} ${why}`);
  const info = await Deno.stat(path).catch(() => null);
  if (info && !info.isDirectory) throw fail("is not a directory");
  if (!info) {
    try {
      await Deno.mkdir(path, {
        recursive: true,
      });
    } catch (error) {
      throw fail(createWhy(error));
    }
  }
  let probe;
  try {
    probe = await Deno.makeTempFile({
      dir: path,
      prefix: ".wa-probe-",
    });
  } catch (error) {
    throw fail(
      createWhy(error).replace("cannot be created", "is not writable"),
    );
  } finally {
    if (probe) {
      await Deno.remove(probe).catch(() => {
      });
    }
  }
}
function createWhy(error) {
  if (
    error instanceof Deno.errors.PermissionDenied ||
    error?.name === "NotCapable"
  ) return "cannot be created: permission denied";
  if (
    error instanceof Deno.errors.NotADirectory ||
    error instanceof Deno.errors.AlreadyExists
  ) return "cannot be created: a parent is not a directory";
  if (error instanceof Deno.errors.NotFound) {
    return "cannot be created: a parent does not exist";
  }
  return `cannot be created: ${error?.name ?? "error"}`;
}
function isEnvironmentError(error) {
  return error instanceof Deno.errors.PermissionDenied ||
    error instanceof Deno.errors.NotADirectory ||
    error instanceof Deno.errors.AlreadyExists ||
    error instanceof Deno.errors.IsADirectory || error?.name === "NotCapable" ||
    /read-only file system|EROFS/i.test(String(error?.message));
}
var init_writable_dir = __esm({
  "lib/fs/writable_dir.ts"() {
    init_mod();
  },
});

// lib/fs/mod.ts
var mod_exports2 = {};
__export(mod_exports2, {
  FileRefused: () => FileRefused,
  MIB: () => MIB,
  basename: () => basename,
  createWhy: () => createWhy,
  dirname: () => dirname,
  distrust: () => distrust,
  ensurePrivateDir: () => ensurePrivateDir,
  ensureWritableDir: () => ensureWritableDir,
  isEnvironmentError: () => isEnvironmentError,
  readRegularFile: () => readRegularFile,
  relative: () => relative,
  resolve: () => resolve,
  writeFileAtomic: () => writeFileAtomic,
});
var init_mod7 = __esm({
  "lib/fs/mod.ts"() {
    init_path();
    init_private_dir();
    init_atomic_write();
    init_read_regular();
    init_writable_dir();
  },
});

// lib/process/run.ts
function drain(stream, limit) {
  const reader = stream.getReader();
  const chunks = [];
  let kept = 0;
  let truncated = false;
  let tail = new Uint8Array(0);
  const done = (async () => {
    try {
      for (;;) {
        const { value, done: done2 } = await reader.read();
        if (done2) break;
        tail = keepTail(tail, value);
        if (kept >= limit) {
          truncated = truncated || value.length > 0;
          continue;
        }
        const take = Math.min(value.length, limit - kept);
        if (take < value.length) truncated = true;
        chunks.push(take === value.length ? value : value.subarray(0, take));
        kept += take;
      }
    } catch {
    }
    const bytes = new Uint8Array(kept);
    let at = 0;
    for (const c of chunks) {
      bytes.set(c, at);
      at += c.length;
    }
    return {
      bytes,
      truncated,
      tail,
    };
  })();
  return {
    done,
    stop: () =>
      void reader.cancel().catch(() => {
      }),
  };
}
function keepTail(tail, chunk) {
  if (chunk.length >= TAIL_BYTES) return chunk.slice(chunk.length - TAIL_BYTES);
  const keep = Math.min(tail.length, TAIL_BYTES - chunk.length);
  const next = new Uint8Array(keep + chunk.length);
  next.set(tail.subarray(tail.length - keep));
  next.set(chunk, keep);
  return next;
}
function signalNumber(name) {
  const table = {
    SIGHUP: 1,
    SIGINT: 2,
    SIGKILL: 9,
    SIGTERM: 15,
  };
  return table[name] ?? 1;
}
var DEFAULT_MAX_OUTPUT, MAX_STDERR, TAIL_BYTES, runProcess;
var init_run2 = __esm({
  "lib/process/run.ts"() {
    init_mod2();
    DEFAULT_MAX_OUTPUT = 16 * 1024 * 1024;
    MAX_STDERR = 1024 * 1024;
    TAIL_BYTES = 8192;
    runProcess = async (command, args, options = {}) => {
      const { stdin, signal, maxOutputBytes = DEFAULT_MAX_OUTPUT, env = {} } =
        options;
      const child = new Deno.Command(command, {
        args,
        clearEnv: true,
        env,
        stdin: "piped",
        stdout: "piped",
        stderr: "piped",
      }).spawn();
      let aborted = false;
      let killTimer;
      const onAbort = () => {
        aborted = true;
        try {
          child.kill("SIGTERM");
        } catch {
        }
        killTimer = setTimeout(() => {
          try {
            child.kill("SIGKILL");
          } catch {
          }
        }, 2e3);
      };
      if (signal?.aborted) onAbort();
      else {signal?.addEventListener("abort", onAbort, {
          once: true,
        });}
      const writer = child.stdin.getWriter();
      const writing = (async () => {
        try {
          if (stdin && stdin.length > 0) await writer.write(stdin);
          await writer.close();
        } catch {
        }
      })();
      const out = drain(child.stdout, maxOutputBytes);
      const err = drain(child.stderr, MAX_STDERR);
      try {
        const status = await child.status;
        if (aborted) {
          await Promise.race([
            Promise.all([
              out.done,
              err.done,
            ]),
            delay(200),
          ]);
          out.stop();
          err.stop();
        }
        const [o, e] = await Promise.all([
          out.done,
          err.done,
          writing,
        ]);
        return {
          code: status.signal ? 128 + signalNumber(status.signal) : status.code,
          stdout: o.bytes,
          stderr: e.bytes,
          truncated: o.truncated,
          stdoutTail: o.tail,
          aborted,
        };
      } finally {
        signal?.removeEventListener("abort", onAbort);
        if (killTimer !== void 0) clearTimeout(killTimer);
      }
    };
  },
});

// lib/process/child_env.ts
function childEnv(getEnv) {
  const env = {};
  for (const name of CHILD_ENV_NAMES) {
    const value = getEnv(name);
    if (value !== void 0) env[name] = value;
  }
  env.PATH ??= "/usr/bin:/bin";
  return env;
}
var CHILD_ENV_NAMES;
var init_child_env = __esm({
  "lib/process/child_env.ts"() {
    CHILD_ENV_NAMES = [
      "PATH",
      "HOME",
      "LANG",
      "LC_ALL",
      "USER",
      "LOGNAME",
      "SSH_AUTH_SOCK",
    ];
  },
});

// lib/process/debug_env.ts
var init_debug_env = __esm({
  "lib/process/debug_env.ts"() {
  },
});

// lib/process/mod.ts
var init_mod8 = __esm({
  "lib/process/mod.ts"() {
    init_run2();
    init_child_env();
    init_debug_env();
  },
});

// lib/ssh/classify.ts
function classifySshResult(result) {
  if (result.code !== 255) return "none";
  const text = new TextDecoder().decode(result.stderr);
  if (
    /host key verification failed|remote host identification has changed/i.test(
      text,
    )
  ) {
    return "host_key";
  }
  if (/permission denied|too many authentication failures/i.test(text)) {
    return "auth";
  }
  if (CONNECTION.test(text)) return "connection";
  return "none";
}
var CONNECTION;
var init_classify = __esm({
  "lib/ssh/classify.ts"() {
    CONNECTION =
      /connection (refused|timed out|reset|closed)|timed out|timeout|could not resolve|name or service not known|no route to host|network is unreachable|broken pipe|kex_exchange_identification|closed by remote host|connection to .* closed|mux_client|control socket/i;
  },
});

// lib/ssh/program.ts
function untrusted(info) {
  if (info.uid !== null && info.uid !== 0) {
    return `owned by uid ${info.uid}, not root`;
  }
  if ((info.mode ?? 0) & 18) return "writable by group or others";
  return void 0;
}
async function resolveProgram(name, options = {}) {
  const { searchPath = "/usr/bin:/bin", fs = realFs } = options;
  const refused = [];
  for (const dir of searchPath.split(":")) {
    if (!dir.startsWith("/")) continue;
    const candidate = `${dir.replace(/\/+$/, "")}/${name}`;
    const info = await fs.stat(candidate).catch(() => null);
    if (!info || !info.isFile || ((info.mode ?? 0) & 73) === 0) continue;
    const real = await fs.realPath(candidate).catch(() => candidate);
    const why = untrusted(info) ??
      await fs.stat(dirname(real)).then(
        (d) => untrusted(d) && `its directory is ${untrusted(d)}`,
        () => "its directory cannot be checked",
      );
    if (why) {
      refused.push(`"${candidate}" is ${why}`);
      continue;
    }
    return candidate;
  }
  throw new DependencyError(
    `Cannot run ${name}: ${
      refused.length
        ? `no trusted ${name} on PATH (${refused.join("; ")})`
        : `not found on PATH (install OpenSSH's client)`
    }`,
    {
      fields: {
        state: "missing",
      },
    },
  );
}
var realFs;
var init_program = __esm({
  "lib/ssh/program.ts"() {
    init_mod7();
    init_mod();
    realFs = {
      stat: (p) => Deno.stat(p),
      realPath: (p) => Deno.realPath(p),
    };
  },
});

// lib/ssh/forward.ts
function forwardDir(stateDir) {
  return `${stateDir}/fw`;
}
function forwardSocketPath(dir) {
  if (/[:#?]/.test(dir)) {
    throw new ConfigError(
      "state_dir",
      `must not contain ":", "#" or "?" to hold ssh forward sockets (${
        JSON.stringify(dir.slice(0, 120))
      })`,
    );
  }
  const bytes = crypto.getRandomValues(new Uint8Array(8));
  const name = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join(
    "",
  );
  return `${dir}/${name}.sock`;
}
function forwardSpec(path, host, port) {
  const h = host.includes(":") && !host.startsWith("[") ? `[${host}]` : host;
  return `${path}:${h}:${port}`;
}
var init_forward = __esm({
  "lib/ssh/forward.ts"() {
    init_mod();
  },
});

// lib/ssh/host_key.ts
function blobType(blob) {
  let bytes;
  try {
    bytes = Uint8Array.from(atob(blob), (c) => c.charCodeAt(0));
  } catch {
    return void 0;
  }
  if (bytes.length < 4) return void 0;
  const len = new DataView(bytes.buffer).getUint32(0);
  if (len > 64 || 4 + len > bytes.length) return void 0;
  return new TextDecoder().decode(bytes.subarray(4, 4 + len));
}
function parseHostKey(text) {
  if (/[\r\n\u0000]/.test(text.trim())) return "must be one line";
  const [type, blob, ...rest] = text.trim().split(/[ \t]+/);
  if (!type || !blob) {
    return 'must be a public key line such as "ssh-ed25519 AAAA..."';
  }
  if (!HOST_KEY_TYPES.includes(type)) {
    return `must start with a known key type (${
      HOST_KEY_TYPES.join(", ")
    }), got ${JSON.stringify(type.slice(0, 40))}`;
  }
  if (!BASE64.test(blob) || blob.length % 4 !== 0) {
    return "must have a base64 key after the type";
  }
  const inner = blobType(blob);
  if (inner !== type) {
    return `has a key blob that is not a ${type} key`;
  }
  if (rest.some((w) => /[\u0000-\u001f\u007f]/.test(w))) {
    return "must not contain control characters";
  }
  return {
    type,
    blob,
  };
}
function hostKeyProblem(text) {
  const parsed = parseHostKey(text);
  return typeof parsed === "string" ? parsed : void 0;
}
function knownHostsName(host, port) {
  return port === 22 ? host : `[${host}]:${port}`;
}
function pinnedKnownHosts(host, port, key) {
  return `${knownHostsName(host, port)} ${key.type} ${key.blob}
`;
}
var HOST_KEY_TYPES, BASE64;
var init_host_key = __esm({
  "lib/ssh/host_key.ts"() {
    HOST_KEY_TYPES = [
      "ssh-ed25519",
      "ecdsa-sha2-nistp256",
      "ecdsa-sha2-nistp384",
      "ecdsa-sha2-nistp521",
      "ssh-rsa",
      "sk-ssh-ed25519@openssh.com",
      "sk-ecdsa-sha2-nistp256@openssh.com",
    ];
    BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
  },
});

// lib/ssh/options.ts
function controlPathProblem(stateDir) {
  const bytes = new TextEncoder().encode(`${resolve(stateDir)}/cm/`).length +
    CONTROL_NAME_LENGTH + CONTROL_TEMP_SUFFIX;
  if (bytes <= UNIX_SOCKET_PATH_MAX) return void 0;
  const room = UNIX_SOCKET_PATH_MAX - CONTROL_NAME_LENGTH -
    CONTROL_TEMP_SUFFIX - "/cm/".length;
  return `is too long for ssh's control sockets: "<state_dir>/cm/<40 hex>" plus ssh's 17-byte temporary suffix is ${bytes} bytes, over the unix socket limit of ${UNIX_SOCKET_PATH_MAX}; use an absolute state_dir of at most ${room} bytes`;
}
function sshOptions(target) {
  const o = (value) => [
    "-o",
    value,
  ];
  const pinned = !!target.hostKey;
  const args = [
    ...o(`Port=${target.port}`),
    ...o(`User=${target.user}`),
    ...o("BatchMode=yes"),
    ...o(`StrictHostKeyChecking=${pinned ? "yes" : "accept-new"}`),
    ...o(`UserKnownHostsFile=${knownHostsPath(target)}`),
    ...pinned
      ? [
        // Only the pinned key counts: not the system's known hosts, and ssh
        // must not add keys or addresses to the pinned file.
        ...o("GlobalKnownHostsFile=/dev/null"),
        ...o("UpdateHostKeys=no"),
        ...o("CheckHostIP=no"),
      ]
      : [],
    ...o(
      `ConnectTimeout=${Math.max(1, Math.ceil(target.connectTimeoutMs / 1e3))}`,
    ),
    ...o("ControlMaster=auto"),
    ...o(`ControlPath=${controlDir(target)}/%C`),
    ...o("ControlPersist=60"),
    // Forward sockets (lib/ssh/forward.ts) are created 0600, in a 0700 dir.
    ...o("StreamLocalBindMask=0177"),
    ...o("ServerAliveInterval=15"),
    ...o("ServerAliveCountMax=3"),
    ...o("LogLevel=ERROR"),
  ];
  if (target.identityFile) {
    args.push(
      ...o(`IdentityFile=${target.identityFile}`),
      ...o("IdentitiesOnly=yes"),
    );
  }
  return args;
}
function knownHostsPath(target) {
  return target.hostKey
    ? `${target.stateDir}/known_hosts.pinned`
    : `${target.stateDir}/known_hosts`;
}
function controlDir(target) {
  return `${target.stateDir}/cm`;
}
function scpHost(host) {
  return host.includes(":") ? `[${host}]` : host;
}
async function ensureStateDirs(target) {
  for (
    const dir of [
      target.stateDir,
      controlDir(target),
    ]
  ) {
    await ensurePrivateDir(dir, {
      field: "state_dir",
    });
  }
  if (target.hostKey) {
    const key = parseHostKey(target.hostKey);
    if (typeof key === "string") {
      throw new ConfigError("windows.ssh_host_key", key);
    }
    await writeFileAtomic(
      knownHostsPath(target),
      pinnedKnownHosts(target.host, target.port, key),
    );
  }
}
var UNIX_SOCKET_PATH_MAX, CONTROL_TEMP_SUFFIX, CONTROL_NAME_LENGTH;
var init_options = __esm({
  "lib/ssh/options.ts"() {
    init_mod();
    init_mod7();
    init_host_key();
    UNIX_SOCKET_PATH_MAX = 107;
    CONTROL_TEMP_SUFFIX = 17;
    CONTROL_NAME_LENGTH = 40;
  },
});

// lib/ssh/client.ts
var ConnectionFailure, SshClient;
var init_client2 = __esm({
  "lib/ssh/client.ts"() {
    init_mod();
    init_mod8();
    init_mod2();
    init_classify();
    init_program();
    init_forward();
    init_mod7();
    init_options();
    ConnectionFailure = class extends Error {
      name = "ConnectionFailure";
    };
    SshClient = class {
      target;
      #runner;
      #logger;
      #delays;
      #sleep;
      #ssh;
      #scp;
      #searchPath;
      #env;
      #dirsReady = false;
      constructor(target, options = {}) {
        this.target = target;
        this.#runner = options.runner ?? runProcess;
        this.#logger = options.logger;
        this.#delays = options.retryDelaysMs;
        this.#sleep = options.sleep ?? delay;
        const fixed = (name) => options.runner ? Promise.resolve(name) : void 0;
        const given = (p) => p === void 0 ? void 0 : Promise.resolve(p);
        this.#ssh = given(options.sshProgram) ?? fixed("ssh");
        this.#scp = given(options.scpProgram) ?? fixed("scp");
        this.#searchPath = options.searchPath;
        this.#env = options.env ?? {
          PATH: "/usr/bin:/bin",
        };
      }
      /** The program to run for `what`: resolved on first use, then kept. */
      #program(what) {
        const resolve2 = () =>
          resolveProgram(what, {
            searchPath: this.#searchPath,
          });
        if (what === "ssh") return this.#ssh ??= resolve2();
        return this.#scp ??= resolve2();
      }
      /**
       * Checks (and creates) the private state directories now, so a state dir
       * that cannot be trusted is reported before any work starts.
       */
      async prepareState() {
        if (this.#dirsReady) return;
        await ensureStateDirs(this.target);
        this.#dirsReady = true;
      }
      /** `host:port` for messages. */
      get endpoint() {
        return `${this.target.host}:${this.target.port}`;
      }
      /** Runs `remoteCommand` on the host and returns what it left. */
      run(remoteCommand, options = {}) {
        const args = [
          ...sshOptions(this.target),
          "-T",
          "--",
          this.target.host,
          remoteCommand,
        ];
        return this.#invoke(args, "ssh", options);
      }
      /**
       * Copies local files (or, with `recursive`, directories) to a remote path
       * (Windows paths with forward slashes).
       */
      upload(localPaths, remotePath, options = {}) {
        const args = [
          "-q",
          ...options.recursive
            ? [
              "-r",
            ]
            : [],
          ...sshOptions(this.target),
          "--",
          ...localPaths,
          `${scpHost(this.target.host)}:${remotePath}`,
        ];
        return this.#invoke(args, "scp", options);
      }
      /**
       * Copies remote files (or, with `recursive`, a directory) to a local path.
       * `sftpRequests` raises the number of SFTP reads in flight (`scp -X
       * nrequests=N`, OpenSSH 9.0 or later) for large files.
       */
      download(remotePath, localPath, options = {}) {
        const args = [
          "-q",
          ...options.recursive
            ? [
              "-r",
            ]
            : [],
          ...options.sftpRequests
            ? [
              "-X",
              `nrequests=${options.sftpRequests}`,
            ]
            : [],
          ...sshOptions(this.target),
          "--",
          `${scpHost(this.target.host)}:${remotePath}`,
          localPath,
        ];
        return this.#invoke(args, "scp", options);
      }
      /**
       * Runs `ssh -O <op>` against this target's control socket, once (no
       * retry): `check`, or `forward`/`cancel` of one `-L` spec.
       */
      async #control(op, spec, signal) {
        await this.prepareState();
        const program = await this.#program("ssh");
        return await this.#runner(program, [
          ...sshOptions(this.target),
          "-O",
          op,
          ...spec === void 0 ? [] : [
            "-L",
            spec,
          ],
          "--",
          this.target.host,
        ], {
          signal: signal ?? AbortSignal.timeout(this.target.connectTimeoutMs),
        });
      }
      /**
       * Makes sure a control master runs for this target: nothing when one
       * answers `-O check`, else starts one (`ControlMaster=yes -N`, which
       * ControlPersist puts in the background). When another process's master
       * won the race, ours stays in the foreground as a plain connection
       * ("already exists, disabling multiplexing") and is stopped.
       */
      async ensureMaster(options = {}) {
        const { signal, timeoutMs = this.target.connectTimeoutMs + 5e3 } =
          options;
        if ((await this.#control("check", void 0, signal)).code === 0) return;
        const ours = new AbortController();
        const settled = this.#invoke(
          [
            ...sshOptions(this.target),
            "-o",
            "ControlMaster=yes",
            "-N",
            "--",
            this.target.host,
          ],
          "ssh",
          {
            signal: signal
              ? AbortSignal.any([
                signal,
                ours.signal,
              ])
              : ours.signal,
            timeoutMs,
          },
        ).then((result) => ({
          result,
        }), (error) => ({
          error,
        }));
        let lostAt;
        for (;;) {
          const done = await Promise.race([
            settled,
            this.#sleep(150).then(() => void 0),
          ]);
          if (done && "error" in done) {
            if (!ours.signal.aborted) throw done.error;
            return;
          }
          if (done) {
            const check = await this.#control("check", void 0, signal);
            if (check.code === 0) return;
            const why = new TextDecoder().decode(done.result.stderr).trim()
              .split("\n").pop();
            throw new DependencyError(
              `Cannot start an ssh control master for ${this.endpoint}: ssh exited ${done.result.code}${
                why ? ` (${why})` : ""
              }`,
              {
                fields: {
                  state: "unreachable",
                },
              },
            );
          }
          if ((await this.#control("check", void 0, signal)).code !== 0) {
            continue;
          }
          lostAt ??= Date.now();
          if (Date.now() - lostAt > 1e3) {
            ours.abort(new Error("another control master won"));
            await settled;
            return;
          }
        }
      }
      /**
       * Opens a local forward on the control master: a unix socket in
       * `<state_dir>/fw` (0700; the socket itself 0600, StreamLocalBindMask)
       * that reaches `host:port` from the Windows side. Close it right after
       * the connection through it is made.
       */
      async forward(host, port, options = {}) {
        await this.prepareState();
        const dir = forwardDir(this.target.stateDir);
        await ensurePrivateDir(dir, {
          field: "state_dir",
        });
        const path = forwardSocketPath(dir);
        const spec = forwardSpec(path, host, port);
        const remote = `${host}:${port}`;
        let result;
        for (let attempt = 0; attempt < 2; attempt++) {
          await this.ensureMaster(options);
          result = await this.#control("forward", spec, options.signal);
          if (result.code === 0) break;
        }
        if (result?.code !== 0) {
          const why = new TextDecoder().decode(result?.stderr).trim().split(
            "\n",
          ).pop();
          await Deno.remove(path).catch(() => {
          });
          throw new DependencyError(
            `Cannot forward to ${remote} on the Windows side through ${this.endpoint}: ssh -O forward exited ${result?.code}${
              why ? ` (${why})` : ""
            }`,
            {
              fields: {
                state: "unreachable",
              },
            },
          );
        }
        this.#logger?.scope("ssh", "ssh.forward").debug("forward opened", {
          remote,
        });
        let closed = false;
        return {
          path,
          remote,
          close: async () => {
            if (closed) return;
            closed = true;
            await this.#control("cancel", spec).catch(() => void 0);
            await Deno.remove(path).catch(() => {
            });
            this.#logger?.scope("ssh", "ssh.forward").debug(
              "forward cancelled",
              {
                remote,
              },
            );
          },
        };
      }
      async #invoke(args, what, options) {
        await this.prepareState();
        const program = await this.#program(what);
        const { timeoutMs, signal } = options;
        try {
          return await retry(async () => {
            const timeout = timeoutMs === void 0
              ? void 0
              : AbortSignal.timeout(timeoutMs);
            const signals = [
              signal,
              timeout,
            ].filter((s) => s !== void 0);
            const result = await this.#runner(program, args, {
              stdin: options.stdin,
              signal: signals.length ? AbortSignal.any(signals) : void 0,
              maxOutputBytes: options.maxOutputBytes,
              env: this.#env,
            });
            if (result.aborted) {
              if (timeout?.aborted) {
                throw new TimeoutError(
                  `Cannot finish ${what} on ${this.endpoint}: no answer within ${timeoutMs}ms`,
                  {
                    fields: {
                      state: "timeout",
                    },
                  },
                );
              }
              throw signal?.reason ?? new Error("aborted");
            }
            const failure = classifySshResult(result);
            const stderr =
              new TextDecoder().decode(result.stderr).trim().split("\n")
                .pop() ?? "";
            if (failure === "connection") throw new ConnectionFailure(stderr);
            if (failure === "host_key" && this.target.hostKey) {
              throw new DependencyError(
                `Cannot connect to ${this.endpoint}: host key verification failed (the host's key is not the one pinned in windows.ssh_host_key)`,
                {
                  fields: {
                    state: "host_key_mismatch",
                  },
                },
              );
            }
            if (failure === "host_key") {
              throw new DependencyError(
                `Cannot connect to ${this.endpoint}: host key verification failed (the host key differs from ${
                  knownHostsPath(this.target)
                }; remove the stale entry with: ssh-keygen -R "[${this.target.host}]:${this.target.port}" -f ${
                  knownHostsPath(this.target)
                })`,
              );
            }
            if (failure === "auth") {
              throw new DependencyError(
                `Cannot connect to ${this.endpoint}: authentication failed for user "${this.target.user}" (${stderr})`,
              );
            }
            return result;
          }, {
            shouldRetry: (e) => e instanceof ConnectionFailure,
            delaysMs: this.#delays,
            sleep: this.#sleep,
            signal,
            onRetry: (e, n, delay2) =>
              this.#logger?.scope("ssh", what).warn(
                "retrying after connection failure",
                {
                  attempt: n + 1,
                  delay_ms: delay2,
                  err: errorMessage(e),
                },
              ),
          });
        } catch (error) {
          if (error?.name === "NotCapable") {
            throw new DependencyError(
              `Cannot run ${what}: "${program}" is not among the programs this build may run (scripts/permissions.ts lists them)`,
              {
                fields: {
                  state: "missing",
                },
              },
            );
          }
          if (error instanceof ConnectionFailure) {
            throw new DependencyError(
              `Cannot connect to ${this.endpoint}: ${error.message}`,
              {
                cause: error,
                fields: {
                  state: "unreachable",
                },
              },
            );
          }
          throw error;
        }
      }
    };
  },
});

// lib/ssh/mod.ts
var init_mod9 = __esm({
  "lib/ssh/mod.ts"() {
    init_client2();
    init_classify();
    init_forward();
    init_options();
    init_host_key();
    init_program();
  },
});

// lib/duration/duration.ts
function parseDuration(text) {
  const re = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/y;
  if (text.length === 0) return void 0;
  let total = 0;
  let i = 0;
  while (i < text.length) {
    re.lastIndex = i;
    const m = re.exec(text);
    if (!m) return void 0;
    total += Number(m[1]) * UNITS[m[2]];
    i = re.lastIndex;
  }
  return total;
}
function formatDuration(ms) {
  if (ms < 1e3 || ms % 1e3 !== 0) return `${ms}ms`;
  let s = ms / 1e3;
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  return `${h ? h + "h" : ""}${m ? m + "m" : ""}${s ? s + "s" : ""}`;
}
var UNITS, DURATION_MIN_MS, DURATION_MAX_MS, LONG_DURATION_MAX_MS;
var init_duration = __esm({
  "lib/duration/duration.ts"() {
    UNITS = {
      ns: 1e-6,
      us: 1e-3,
      "\xB5s": 1e-3,
      ms: 1,
      s: 1e3,
      m: 6e4,
      h: 36e5,
    };
    DURATION_MIN_MS = 1e3;
    DURATION_MAX_MS = 36e5;
    LONG_DURATION_MAX_MS = 24 * DURATION_MAX_MS;
  },
});

// lib/duration/mod.ts
var init_mod10 = __esm({
  "lib/duration/mod.ts"() {
    init_duration();
  },
});

// lib/config/fields.ts
function fromEnvString(spec, text) {
  if (spec.kind.type === "port" || spec.kind.type === "int") {
    return /^-?\d+$/.test(text.trim()) ? Number(text.trim()) : text;
  }
  return text;
}
var TABLE, FIELDS;
var init_fields = __esm({
  "lib/config/fields.ts"() {
    init_mod10();
    TABLE = [
      {
        path: "windows.ssh_host",
        env: "WIN_AUTOMATION_WINDOWS_SSH_HOST",
        kind: {
          type: "sshname",
        },
        default: "localhost",
      },
      {
        path: "windows.ssh_port",
        env: "WIN_AUTOMATION_WINDOWS_SSH_PORT",
        kind: {
          type: "port",
        },
        default: 22555,
      },
      {
        path: "windows.ssh_user",
        env: "WIN_AUTOMATION_WINDOWS_SSH_USER",
        kind: {
          type: "sshname",
        },
        default: "administrator",
      },
      {
        path: "windows.ssh_identity_file",
        env: "WIN_AUTOMATION_WINDOWS_SSH_IDENTITY_FILE",
        kind: {
          type: "string",
          sshPath: true,
        },
        default: "",
      },
      {
        path: "windows.ssh_host_key",
        env: "WIN_AUTOMATION_WINDOWS_SSH_HOST_KEY",
        kind: {
          type: "hostkey",
        },
        default: "",
      },
      {
        path: "windows.allow_from",
        env: "WIN_AUTOMATION_WINDOWS_ALLOW_FROM",
        kind: {
          type: "addresses",
        },
        default: "",
      },
      {
        path: "aloha.via",
        env: "WIN_AUTOMATION_ALOHA_VIA",
        kind: {
          type: "enum",
          values: [
            "ssh",
            "direct",
          ],
        },
        default: "ssh",
      },
      {
        path: "aloha.server_url",
        env: "WIN_AUTOMATION_ALOHA_SERVER_URL",
        kind: {
          type: "url",
        },
        default: "http://127.0.0.1:7887",
      },
      {
        path: "aloha.client_url",
        env: "WIN_AUTOMATION_ALOHA_CLIENT_URL",
        kind: {
          type: "url",
          dropSuffix: "/run_task",
        },
        default: "http://127.0.0.1:7888",
      },
      {
        path: "aloha.server_start_cmd",
        env: "WIN_AUTOMATION_ALOHA_SERVER_START_CMD",
        kind: {
          type: "string",
        },
        default: "",
      },
      {
        path: "aloha.client_start_cmd",
        env: "WIN_AUTOMATION_ALOHA_CLIENT_START_CMD",
        kind: {
          type: "string",
        },
        default: "",
      },
      {
        path: "aloha.desktop_user",
        env: "WIN_AUTOMATION_ALOHA_DESKTOP_USER",
        kind: {
          type: "string",
        },
        default: "",
      },
      {
        path: "aloha.client_log_path",
        env: "WIN_AUTOMATION_ALOHA_CLIENT_LOG_PATH",
        kind: {
          type: "string",
        },
        default: "",
      },
      {
        path: "hatchet.http_url",
        env: "WIN_AUTOMATION_HATCHET_HTTP_URL",
        kind: {
          type: "url",
        },
        default: "http://127.0.0.1:8888",
      },
      {
        path: "hatchet.grpc_address",
        env: "WIN_AUTOMATION_HATCHET_GRPC_ADDRESS",
        kind: {
          type: "hostport",
        },
        default: "localhost:7077",
      },
      {
        path: "hatchet.health_url",
        env: "WIN_AUTOMATION_HATCHET_HEALTH_URL",
        kind: {
          type: "url",
        },
        default: "http://127.0.0.1:8733",
      },
      {
        path: "hatchet.token",
        env: "WIN_AUTOMATION_HATCHET_TOKEN",
        kind: {
          type: "string",
        },
        default: "",
        secret: true,
        credential: "hatchet_token",
      },
      {
        path: "hatchet.tls_strategy",
        env: "WIN_AUTOMATION_HATCHET_TLS_STRATEGY",
        kind: {
          type: "enum",
          values: [
            "",
            "none",
            "tls",
            "mtls",
          ],
          unsupported: {
            mtls:
              "is not supported yet: no client certificate can be configured (use tls or none)",
          },
        },
        default: "",
      },
      {
        path: "hatchet.namespace",
        env: "WIN_AUTOMATION_HATCHET_NAMESPACE",
        kind: {
          type: "string",
          nonEmpty: true,
          noSpaces: true,
        },
        default: "default",
      },
      {
        path: "hatchet.worker_name",
        env: "WIN_AUTOMATION_HATCHET_WORKER_NAME",
        kind: {
          type: "string",
          nonEmpty: true,
          noSpaces: true,
        },
        default: "win-automation",
      },
      {
        path: "hatchet.worker_concurrency",
        env: "WIN_AUTOMATION_HATCHET_WORKER_CONCURRENCY",
        kind: {
          type: "int",
          min: 1,
          max: 100,
        },
        default: 5,
      },
      {
        path: "hatchet.job_timeout",
        env: "WIN_AUTOMATION_HATCHET_JOB_TIMEOUT",
        kind: {
          type: "duration",
          maxMs: LONG_DURATION_MAX_MS,
        },
        default: "10m",
      },
      {
        path: "hatchet.retry_max",
        env: "WIN_AUTOMATION_HATCHET_RETRY_MAX",
        kind: {
          type: "int",
          min: 0,
          max: 10,
        },
        default: 3,
      },
      {
        path: "hatchet.retry_backoff",
        env: "WIN_AUTOMATION_HATCHET_RETRY_BACKOFF",
        kind: {
          type: "duration",
          maxMs: DURATION_MAX_MS,
        },
        default: "5s",
      },
      {
        path: "playwright.via",
        env: "WIN_AUTOMATION_PLAYWRIGHT_VIA",
        kind: {
          type: "enum",
          values: [
            "ssh",
            "direct",
          ],
        },
        default: "ssh",
      },
      {
        path: "playwright.host",
        env: "WIN_AUTOMATION_PLAYWRIGHT_HOST",
        kind: {
          type: "string",
          nonEmpty: true,
          noSpaces: true,
        },
        default: "127.0.0.1",
      },
      {
        path: "playwright.port",
        env: "WIN_AUTOMATION_PLAYWRIGHT_PORT",
        kind: {
          type: "port",
        },
        default: 9323,
      },
      {
        path: "playwright.ws_path",
        env: "WIN_AUTOMATION_PLAYWRIGHT_WS_PATH",
        kind: {
          type: "string",
        },
        default: "",
        secret: true,
        credential: "playwright_ws_path",
      },
      {
        path: "playwright.channel",
        env: "WIN_AUTOMATION_PLAYWRIGHT_CHANNEL",
        kind: {
          type: "enum",
          values: [
            "auto",
            "msedge",
            "msedge-beta",
            "msedge-dev",
            "msedge-canary",
            "chrome",
            "chrome-beta",
            "chrome-dev",
            "chrome-canary",
            "chromium",
          ],
        },
        default: "auto",
      },
      {
        path: "playwright.executable_path",
        env: "WIN_AUTOMATION_PLAYWRIGHT_EXECUTABLE_PATH",
        kind: {
          type: "string",
        },
        default: "",
      },
      {
        path: "playwright.allow_file_urls",
        env: "WIN_AUTOMATION_PLAYWRIGHT_ALLOW_FILE_URLS",
        kind: {
          type: "enum",
          values: [
            "off",
            "on",
          ],
        },
        default: "off",
      },
      {
        path: "artifacts.out_dir",
        env: "WIN_AUTOMATION_ARTIFACT_OUT",
        kind: {
          type: "string",
          nonEmpty: true,
        },
        default: "./artifacts",
      },
      {
        path: "artifacts.retention_days",
        env: "WIN_AUTOMATION_ARTIFACT_RETENTION_DAYS",
        kind: {
          type: "int",
          min: 1,
          max: 3650,
        },
        default: 7,
      },
      {
        path: "artifacts.mirror",
        env: "WIN_AUTOMATION_ARTIFACT_MIRROR",
        kind: {
          type: "enum",
          values: [
            "off",
            "on",
          ],
        },
        default: "off",
      },
      {
        path: "timeout",
        env: "WIN_AUTOMATION_TIMEOUT",
        kind: {
          type: "duration",
          maxMs: DURATION_MAX_MS,
        },
        default: "10s",
      },
      {
        path: "metrics_path",
        env: "WIN_AUTOMATION_METRICS_PATH",
        kind: {
          type: "string",
        },
        default: "",
      },
      {
        path: "state_dir",
        env: "WIN_AUTOMATION_STATE_DIR",
        kind: {
          type: "string",
          sshPath: true,
        },
        default: "",
      },
    ];
    FIELDS = TABLE;
  },
});

// lib/config/check.ts
function isHttpUrl(text) {
  try {
    const url = new URL(text);
    return (url.protocol === "http:" || url.protocol === "https:") &&
      !url.search && !url.hash && !url.username && !url.password;
  } catch {
    return false;
  }
}
function checkString(kind, v) {
  if (typeof v !== "string") return no(`must be a string, ${got(v)}`);
  if (/[\0\r\n]/.test(v)) return no("must not contain newlines or NUL");
  if (kind.nonEmpty && v.trim() === "") return no("must not be empty");
  if (kind.sshPath && /[\s%"]/.test(v)) {
    return no(
      `must not contain white space, "%" or '"' (ssh's option parser would split or expand them), ${
        got(v)
      }`,
    );
  }
  if (kind.noSpaces) {
    if (/\s/.test(v)) return no(`must not contain white space, ${got(v)}`);
    if (v.startsWith("-")) return no(`must not start with "-", ${got(v)}`);
  }
  return ok(v);
}
function checkSshName(v) {
  if (typeof v !== "string") return no(`must be a string, ${got(v)}`);
  if (v.trim() === "") return no("must not be empty");
  if (v.startsWith("-")) return no(`must not start with "-", ${got(v)}`);
  const length = [
    ...v,
  ].length;
  if (length > SSH_NAME_MAX) {
    return no(`must be at most ${SSH_NAME_MAX} characters, got ${length}`);
  }
  if (SSH_NAME_BAD.test(v)) {
    return no(
      `must not contain white space, "@", control or zero-width characters, ${
        got(v)
      }`,
    );
  }
  return ok(v);
}
function checkInt(min, max, v) {
  return typeof v === "number" && Number.isInteger(v) && v >= min && v <= max
    ? ok(v)
    : no(`must be an integer from ${min} to ${max}, ${got(v)}`);
}
function checkEnum(kind, v) {
  const unsupported = kind.unsupported ?? {};
  if (typeof v !== "string" || !kind.values.includes(v)) {
    const allowed = kind.values.filter((x) => !(x in unsupported)).map((x) =>
      `"${x}"`
    ).join(", ");
    return no(`must be one of ${allowed}, ${got(v)}`);
  }
  const why = unsupported[v];
  return why ? no(why) : ok(v);
}
function checkUrl(kind, v) {
  if (typeof v !== "string") return no(`${URL_REASON}, ${got(v)}`);
  if (!isHttpUrl(v)) {
    return no(`${URL_REASON} without query or credentials, ${got(v)}`);
  }
  const trimmed = v.replace(/\/+$/, "");
  const suffix = kind.dropSuffix;
  return ok(
    suffix && trimmed.endsWith(suffix)
      ? trimmed.slice(0, -suffix.length)
      : trimmed,
  );
}
function checkDuration(kind, v) {
  if (typeof v !== "string") return no(`${DURATION_REASON}, ${got(v)}`);
  const ms = parseDuration(v);
  if (ms === void 0) return no(`${DURATION_REASON}, ${got(v)}`);
  if (ms < DURATION_MIN_MS || ms > kind.maxMs) {
    return no(`must be from 1s to ${formatDuration(kind.maxMs)}, ${got(v)}`);
  }
  return ok(ms);
}
function checkHostPort(v) {
  if (typeof v !== "string" || !/^[A-Za-z0-9.\-\[\]:]+:\d{1,5}$/.test(v)) {
    return no(`must be host:port, ${got(v)}`);
  }
  const port = Number(v.slice(v.lastIndexOf(":") + 1));
  return port >= 1 && port <= 65535
    ? ok(v)
    : no(`port must be from 1 to 65535, ${got(v)}`);
}
function checkField(spec, v) {
  const kind = spec.kind;
  switch (kind.type) {
    case "string":
      return checkString(kind, v);
    case "sshname":
      return checkSshName(v);
    case "hostkey": {
      if (typeof v !== "string") return no(`must be a string, ${got(v)}`);
      const why = v === "" ? void 0 : hostKeyProblem(v);
      return why ? no(why) : ok(v.trim());
    }
    case "enum":
      return checkEnum(kind, v);
    case "port":
      return checkInt(1, 65535, v);
    case "int":
      return checkInt(kind.min, kind.max, v);
    case "url":
      return checkUrl(kind, v);
    case "duration":
      return checkDuration(kind, v);
    case "addresses": {
      if (typeof v !== "string") {
        return no(`must be a string of addresses, ${got(v)}`);
      }
      const why = addressListProblem(v);
      return why ? no(why) : ok(parseAddressList(v).join(","));
    }
    case "hostport":
      return checkHostPort(v);
  }
}
function layout() {
  const top = /* @__PURE__ */ new Map();
  const sections = /* @__PURE__ */ new Map();
  for (const spec of FIELDS) {
    const dot = spec.path.indexOf(".");
    if (dot < 0) {
      top.set(spec.path, spec);
      continue;
    }
    const name = spec.path.slice(0, dot);
    if (!sections.has(name)) sections.set(name, /* @__PURE__ */ new Map());
    sections.get(name).set(spec.path.slice(dot + 1), spec);
  }
  for (const [name, section] of sections) top.set(name, section);
  return top;
}
function keyProblem(spec, value, path) {
  if (spec.secret) {
    return {
      path,
      reason:
        `is a secret: set it only in the environment (${spec.env}), never in a config file`,
    };
  }
  const checked = checkField(spec, value);
  return checked.ok ? void 0 : {
    path,
    reason: checked.reason,
  };
}
function fileProblem(json) {
  if (!isObject(json)) {
    return {
      path: "",
      reason: "must be a JSON object",
    };
  }
  const top = layout();
  for (const [name, entry] of top) {
    const value = json[name];
    if (value === void 0) continue;
    if (!(entry instanceof Map)) {
      const problem = keyProblem(entry, value, name);
      if (problem) return problem;
      continue;
    }
    if (!isObject(value)) {
      return {
        path: name,
        reason: `must be an object, got ${JSON.stringify(value)}`,
      };
    }
    for (const [key, spec] of entry) {
      if (value[key] === void 0) continue;
      const problem = keyProblem(spec, value[key], `${name}.${key}`);
      if (problem) return problem;
    }
    const unknown2 = Object.keys(value).find((k) => !entry.has(k));
    if (unknown2 !== void 0) {
      return {
        path: [
          name,
          unknown2,
        ].filter(Boolean).join("."),
        reason: "unknown key",
      };
    }
  }
  const unknown = Object.keys(json).find((k) => !top.has(k));
  return unknown === void 0 ? void 0 : {
    path: unknown,
    reason: "unknown key",
  };
}
var ok,
  no,
  got,
  URL_REASON,
  DURATION_REASON,
  SSH_NAME_BAD,
  SSH_NAME_MAX,
  isObject;
var init_check = __esm({
  "lib/config/check.ts"() {
    init_mod();
    init_mod5();
    init_mod9();
    init_mod10();
    init_fields();
    ok = (value) => ({
      ok: true,
      value,
    });
    no = (reason) => ({
      ok: false,
      reason,
    });
    got = (input) => `got ${quote(input)}`;
    URL_REASON = "must be an http or https URL";
    DURATION_REASON = 'must be a duration such as "10s" or "5m"';
    SSH_NAME_BAD = /[\s\p{Cc}\p{Cf}\p{Z}@]/u;
    SSH_NAME_MAX = 253;
    isObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);
  },
});

// lib/config/load.ts
function allowFrom(text) {
  return text === "" ? [] : text.split(",");
}
async function readCredentialText(path, read) {
  let bytes;
  try {
    bytes = await read(path);
  } catch (error) {
    const cause = error instanceof FileRefused ? error.cause : error;
    if (cause instanceof Deno.errors.NotFound) return void 0;
    const why = errorMessage(error);
    throw new ConfigError(path, `cannot be read: ${truncate(why, 120)}`);
  }
  let text;
  try {
    text = new TextDecoder("utf-8", {
      fatal: true,
    }).decode(bytes);
  } catch {
    throw new ConfigError(path, NOT_UTF8);
  }
  return text.replace(/\r?\n$/, "");
}
function replacedAt(value, path = []) {
  if (typeof value === "string") {
    return value.includes("\uFFFD") ? path.join(".") || "(top level)" : void 0;
  }
  if (value === null || typeof value !== "object") return void 0;
  for (const [k, v] of Object.entries(value)) {
    if (k.includes("\uFFFD")) {
      return [
        ...path,
        "<key>",
      ].join(".");
    }
    const at = replacedAt(v, [
      ...path,
      k,
    ]);
    if (at !== void 0) return at;
  }
  return void 0;
}
function readAt(obj, path) {
  let cur = obj;
  for (const part of path.split(".")) {
    if (cur === null || typeof cur !== "object") return void 0;
    cur = cur[part];
  }
  return cur;
}
async function readText(path, readFile) {
  const bytes = await readFile(path);
  try {
    return {
      text: new TextDecoder("utf-8", {
        fatal: true,
      }).decode(bytes),
      validUtf8: true,
    };
  } catch {
    return {
      text: new TextDecoder().decode(bytes),
      validUtf8: false,
    };
  }
}
async function readFileLayer(path, readFile, readTextFile) {
  let text;
  let validUtf8 = true;
  try {
    if (readTextFile) text = await readTextFile(path);
    else ({ text, validUtf8 } = await readText(path, readFile));
  } catch (err) {
    const why = err instanceof FileRefused
      ? err.reason
      : err instanceof Deno.errors.NotFound
      ? "does not exist"
      : err instanceof Deno.errors.PermissionDenied || err.name === "NotCapable"
      ? "cannot be read: permission denied"
      : err instanceof Deno.errors.IsADirectory
      ? "is a directory"
      : `cannot be read: ${err.name}`;
    throw new ConfigError(path, why, {
      cause: err,
    });
  }
  let json;
  try {
    json = JSON.parse(text);
  } catch (err) {
    if (!validUtf8) throw new ConfigError(path, NOT_UTF8);
    throw new ConfigError(
      path,
      `is not valid JSON: ${
        truncate(errorMessage(err).replace(/\s+/g, " "), 120)
      }`,
      {
        cause: err,
      },
    );
  }
  const bad = replacedAt(json);
  if (bad !== void 0) throw new ConfigError(bad, NOT_UTF8);
  if (!validUtf8) throw new ConfigError(path, NOT_UTF8);
  const problem = fileProblem(json);
  if (problem) throw new ConfigError(problem.path || path, problem.reason);
  return json;
}
function checkOne(spec, raw, where) {
  const checked = checkField(spec, raw);
  if (!checked.ok) throw new ConfigError(where, checked.reason);
  return checked.value;
}
function defaultStateDir(env) {
  if (env.XDG_STATE_HOME?.startsWith("/")) {
    return `${env.XDG_STATE_HOME}/win-automation`;
  }
  if (env.HOME?.startsWith("/")) {
    return `${env.HOME}/.local/state/win-automation`;
  }
  return void 0;
}
async function loadConfig(options = {}) {
  const {
    flagPath,
    env = {},
    readFile = (p) =>
      readRegularFile(p, {
        maxBytes: MAX_CONFIG_BYTES,
      }),
    readTextFile,
    readCredential = (p) =>
      readRegularFile(p, {
        maxBytes: 64 * 1024,
      }),
  } = options;
  for (const [name, value] of Object.entries(env)) {
    if (value?.includes("\uFFFD")) throw new ConfigError(name, NOT_UTF8);
  }
  const configPath = flagPath ?? (env.WIN_AUTOMATION_CONFIG || void 0);
  if (flagPath !== void 0 && flagPath.trim() === "") {
    throw new ConfigError("--config", "must not be empty");
  }
  const file = configPath === void 0
    ? void 0
    : await readFileLayer(configPath, readFile, readTextFile);
  const values = /* @__PURE__ */ new Map();
  const entries2 = [];
  for (const spec of FIELDS) {
    let source = "default";
    let value = checkOne(spec, spec.default, spec.path);
    const fromFile = file === void 0 ? void 0 : readAt(file, spec.path);
    if (fromFile !== void 0) {
      value = checkOne(spec, fromFile, spec.path);
      source = "file";
    }
    const fromEnv = env[spec.env];
    if (fromEnv !== void 0) {
      value = checkOne(spec, fromEnvString(spec, fromEnv), spec.env);
      source = "env";
    } else if (spec.credential && env.CREDENTIALS_DIRECTORY) {
      const path = `${env.CREDENTIALS_DIRECTORY}/${spec.credential}`;
      const text = await readCredentialText(path, readCredential);
      if (text !== void 0) {
        value = checkOne(
          spec,
          text,
          `$CREDENTIALS_DIRECTORY/${spec.credential}`,
        );
        source = "credential";
      }
    }
    values.set(spec.path, value);
    const shown = spec.kind.type === "duration" && typeof value === "number"
      ? String(
        source === "default"
          ? spec.default
          : source === "file"
          ? fromFile
          : fromEnv,
      )
      : value;
    entries2.push({
      path: spec.path,
      env: spec.env,
      value: shown,
      source,
      secret: !!spec.secret,
    });
  }
  const s = (p) => values.get(p);
  const n = (p) => values.get(p);
  const stateDir = s("state_dir") || defaultStateDir(env);
  if (stateDir === void 0) {
    throw new ConfigError(
      "state_dir",
      "is not set and neither HOME nor XDG_STATE_HOME is: set state_dir or WIN_AUTOMATION_STATE_DIR",
    );
  }
  const tooLong = controlPathProblem(stateDir);
  if (tooLong) {
    const source = entries2.find((e) => e.path === "state_dir")?.source;
    throw new ConfigError(
      source === "env" ? "WIN_AUTOMATION_STATE_DIR" : "state_dir",
      `${JSON.stringify(truncate(stateDir, 120))} ${tooLong}`,
    );
  }
  const direct = [
    "aloha.via",
    "playwright.via",
  ].filter((p) => s(p) === "direct");
  if (direct.length > 0 && s("windows.allow_from") === "") {
    const source = entries2.find((e) => e.path === "windows.allow_from")
      ?.source;
    throw new ConfigError(
      source === "env"
        ? "WIN_AUTOMATION_WINDOWS_ALLOW_FROM"
        : "windows.allow_from",
      `must name the Linux host's address(es) when ${
        direct.join(" and ")
      } is "direct": the firewall rules allow only them (or use "ssh")`,
    );
  }
  if (s("state_dir") === "") {
    const row = entries2.find((e) => e.path === "state_dir");
    if (row) row.value = stateDir;
  }
  return {
    windows: {
      sshHost: s("windows.ssh_host"),
      sshPort: n("windows.ssh_port"),
      sshUser: s("windows.ssh_user"),
      sshIdentityFile: s("windows.ssh_identity_file"),
      sshHostKey: s("windows.ssh_host_key"),
      allowFrom: allowFrom(s("windows.allow_from")),
    },
    aloha: {
      via: s("aloha.via"),
      serverUrl: s("aloha.server_url"),
      clientUrl: s("aloha.client_url"),
      serverStartCmd: s("aloha.server_start_cmd"),
      clientStartCmd: s("aloha.client_start_cmd"),
      desktopUser: s("aloha.desktop_user"),
      clientLogPath: s("aloha.client_log_path"),
    },
    hatchet: {
      httpUrl: s("hatchet.http_url"),
      grpcAddress: s("hatchet.grpc_address"),
      healthUrl: s("hatchet.health_url"),
      token: s("hatchet.token"),
      tlsStrategy: s("hatchet.tls_strategy"),
      namespace: s("hatchet.namespace"),
      workerName: s("hatchet.worker_name"),
      workerConcurrency: n("hatchet.worker_concurrency"),
      jobTimeoutMs: n("hatchet.job_timeout"),
      retryMax: n("hatchet.retry_max"),
      retryBackoffMs: n("hatchet.retry_backoff"),
    },
    playwright: {
      via: s("playwright.via"),
      host: s("playwright.host"),
      port: n("playwright.port"),
      wsPath: s("playwright.ws_path"),
      channel: s("playwright.channel"),
      executablePath: s("playwright.executable_path"),
      allowFileUrls: s("playwright.allow_file_urls") === "on",
    },
    artifacts: {
      outDir: s("artifacts.out_dir"),
      retentionDays: n("artifacts.retention_days"),
      mirror: s("artifacts.mirror") === "on",
    },
    timeoutMs: n("timeout"),
    limits: limitsOf({
      timeoutMs: n("timeout"),
      jobTimeoutMs: n("hatchet.job_timeout"),
    }),
    metricsPath: s("metrics_path"),
    stateDir,
    configPath,
    entries: entries2,
  };
}
function secretsOf(config) {
  return [
    config.hatchet.token,
    config.playwright.wsPath,
  ].filter((s) => s.length > 0);
}
function settingName(config, path) {
  const entry = config.entries.find((e) => e.path === path);
  return entry?.source === "env" ? entry.env : path;
}
var MAX_CONFIG_BYTES, NOT_UTF8;
var init_load = __esm({
  "lib/config/load.ts"() {
    init_mod();
    init_limits();
    init_mod7();
    init_mod9();
    init_fields();
    init_check();
    MAX_CONFIG_BYTES = MIB;
    NOT_UTF8 = "is not valid UTF-8 (the value is not shown)";
  },
});

// lib/config/mod.ts
var init_mod11 = __esm({
  "lib/config/mod.ts"() {
    init_load();
    init_limits();
    init_fields();
    init_mod10();
  },
});

// lib/log/logfmt.ts
function encodeValue(value) {
  if (BARE.test(value)) return value;
  let out = '"';
  for (let i = 0; i < value.length; i++) {
    const ch = value[i];
    const code = value.charCodeAt(i);
    if (ch === '"') out += '\\"';
    else if (ch === "\\") out += "\\\\";
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "	") out += "\\t";
    else if (code < 32 || code > 126) {
      out += "\\u" + code.toString(16).padStart(4, "0");
    } else out += ch;
  }
  return out + '"';
}
function encodeLine(fields) {
  const parts = [];
  for (const [key, value] of Object.entries(fields)) {
    if (value === void 0) continue;
    if (!KEY.test(key)) {
      throw new TypeError(`Cannot encode log field: invalid key "${key}"`);
    }
    parts.push(`${key}=${encodeValue(value === null ? "" : String(value))}`);
  }
  return parts.join(" ");
}
var KEY, BARE;
var init_logfmt = __esm({
  "lib/log/logfmt.ts"() {
    KEY = /^[A-Za-z_][A-Za-z0-9_.]*$/;
    BARE = /^[\x21\x23-\x3c\x3e-\x5b\x5d-\x7e]+$/;
  },
});

// lib/redact/redactor.ts
function base64(bytes) {
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin);
}
function utf16le(text) {
  const out = new Uint8Array(text.length * 2);
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    out[2 * i] = code & 255;
    out[2 * i + 1] = code >> 8;
  }
  return out;
}
function base64Forms(bytes) {
  const forms = [
    base64(bytes),
  ];
  for (let shift = 0; shift < 3; shift++) {
    const padded = new Uint8Array(shift + bytes.length);
    padded.set(bytes, shift);
    const whole = Math.floor(padded.length / 3) * 3;
    const text = base64(padded.subarray(0, whole));
    const core = shift === 0 ? text : text.slice(4);
    if (core.length >= MIN_FRAGMENT) forms.push(core);
  }
  const urlSafe = forms.map((f) =>
    f.replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "")
  );
  return [
    ...forms,
    ...urlSafe,
  ];
}
function secretForms(secret) {
  if (secret === "") return [];
  const forms = /* @__PURE__ */ new Set([
    secret,
    JSON.stringify(secret).slice(1, -1),
    encodeURIComponent(secret),
    encodeURI(secret),
    ...base64Forms(encoder.encode(secret)),
    ...base64Forms(utf16le(secret)),
  ]);
  forms.delete("");
  return [
    ...forms,
  ];
}
var REDACTED, MIN_FRAGMENT, encoder, Redactor;
var init_redactor = __esm({
  "lib/redact/redactor.ts"() {
    REDACTED = "<redacted>";
    MIN_FRAGMENT = 8;
    encoder = new TextEncoder();
    Redactor = class {
      #forms;
      /** Builds the redactor for `secrets`; empty strings are ignored. */
      constructor(secrets = []) {
        const forms = /* @__PURE__ */ new Set();
        for (const s of secrets) for (const f of secretForms(s)) forms.add(f);
        this.#forms = [
          ...forms,
        ].sort((a, b) => b.length - a.length);
      }
      /** Whether there is anything to redact. */
      get active() {
        return this.#forms.length > 0;
      }
      /** `text` with every secret form replaced by `<redacted>`. */
      redact(text) {
        if (this.#forms.length === 0 || text === "") return text;
        let out = text;
        for (const form of this.#forms) {
          if (out.includes(form)) out = out.replaceAll(form, REDACTED);
        }
        return out.includes("\u2026") ? this.#cutPrefixes(out) : out;
      }
      #cutPrefixes(text) {
        let out = text;
        let at = out.indexOf("\u2026");
        while (at >= 0) {
          let cut = 0;
          for (const form of this.#forms) {
            for (
              let k = Math.min(form.length - 1, at);
              k >= MIN_FRAGMENT;
              k--
            ) {
              if (k <= cut) break;
              if (out.startsWith(form.slice(0, k), at - k)) {
                cut = k;
                break;
              }
            }
          }
          if (cut > 0) {
            out = out.slice(0, at - cut) + REDACTED + out.slice(at);
            at = at - cut + REDACTED.length;
          }
          at = out.indexOf("\u2026", at + 1);
        }
        return out;
      }
      /**
       * `bytes` with every secret form replaced (byte-wise: the forms are
       * matched as their UTF-8 bytes); the same array when nothing matched.
       */
      redactBytes(bytes) {
        if (this.#forms.length === 0 || bytes.length === 0) return bytes;
        let bin = "";
        for (let i = 0; i < bytes.length; i += 8192) {
          bin += String.fromCharCode(...bytes.subarray(i, i + 8192));
        }
        let changed = false;
        for (const form of this.#forms) {
          let formBin = "";
          for (const b of encoder.encode(form)) {
            formBin += String.fromCharCode(b);
          }
          if (bin.includes(formBin)) {
            bin = bin.replaceAll(formBin, REDACTED);
            changed = true;
          }
        }
        if (!changed) return bytes;
        const out = new Uint8Array(bin.length);
        for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
        return out;
      }
      /** A copy of a JSON-like value with every string (keys too) redacted. */
      redactJson(value) {
        if (this.#forms.length === 0) return value;
        const walk = (v) => {
          if (typeof v === "string") return this.redact(v);
          if (Array.isArray(v)) return v.map(walk);
          if (v !== null && typeof v === "object") {
            const out = {};
            for (const [k, item] of Object.entries(v)) {
              out[this.redact(k)] = walk(item);
            }
            return out;
          }
          return v;
        };
        return walk(value);
      }
    };
  },
});

// lib/redact/mod.ts
var init_mod12 = __esm({
  "lib/redact/mod.ts"() {
    init_redactor();
  },
});

// lib/log/logger.ts
function withoutStack(text) {
  return text.includes("at ") ? text.replace(STACK_LINE, "") : text;
}
function bounded(text) {
  return text.length <= MAX_FIELD_CHARS
    ? text
    : text.slice(0, MAX_FIELD_CHARS - 1) + "\u2026";
}
function writeStderr(line) {
  Deno.stderr.writeSync(encoder2.encode(line + "\n"));
}
var encoder2, STACK_LINE, MAX_FIELD_CHARS, Logger, ScopedLogger;
var init_logger = __esm({
  "lib/log/logger.ts"() {
    init_mod();
    init_mod12();
    init_logfmt();
    encoder2 = new TextEncoder();
    STACK_LINE = /\r?\n[ \t]+at [^\r\n]*/g;
    MAX_FIELD_CHARS = 4096;
    Logger = class _Logger {
      #write;
      #now;
      #silent;
      #debug;
      #context;
      #redactor;
      constructor(options = {}) {
        const {
          write = writeStderr,
          now = () => /* @__PURE__ */ new Date(),
          silent = false,
          debug = false,
          context = {},
          secrets = [],
          redactor,
        } = options;
        this.#write = write;
        this.#now = now;
        this.#silent = silent;
        this.#debug = debug;
        this.#context = context;
        this.#redactor = redactor ?? new Redactor(secrets);
      }
      /** A logger that adds `fields` to every line. */
      with(fields) {
        return new _Logger({
          write: this.#write,
          now: this.#now,
          silent: this.#silent,
          debug: this.#debug,
          context: {
            ...this.#context,
            ...fields,
          },
          redactor: this.#redactor,
        });
      }
      /** The redactor every line passes through. */
      get redactor() {
        return this.#redactor;
      }
      /** Whether debug lines are written. */
      get debugEnabled() {
        return this.#debug && !this.#silent;
      }
      /**
       * A logger for one component and op, named once:
       * `const log = logger.scope("ssh", "windows.exec")`, then
       * `log.info(msg, fields)`.
       */
      scope(component, op) {
        return new ScopedLogger(this, component, op);
      }
      /** Writes one line; {@linkcode ScopedLogger} is the way in. */
      write(level, where, msg, fields) {
        if (this.#silent) return;
        const all = {
          ts: this.#now().toISOString(),
          level,
          component: where.component,
          op: where.op,
          msg,
          ...this.#context,
          ...fields,
        };
        for (const [key, value] of Object.entries(all)) {
          if (typeof value === "string") {
            all[key] = bounded(withoutStack(this.redact(value)));
          }
        }
        this.#write(encodeLine(all));
      }
      /** Replaces every form of every known secret in `text` by `<redacted>`. */
      redact(text) {
        return this.#redactor.redact(text);
      }
    };
    ScopedLogger = class _ScopedLogger {
      component;
      op;
      /** The unscoped logger, for code that scopes its own lines. */
      logger;
      constructor(logger, component, op) {
        this.logger = logger;
        this.component = component;
        this.op = op;
      }
      /** This scope with `fields` added to every line. */
      with(fields) {
        return new _ScopedLogger(
          this.logger.with(fields),
          this.component,
          this.op,
        );
      }
      /** Logs at info level. */
      info(msg, fields = {}) {
        this.logger.write("info", this, msg, fields);
      }
      /** Logs at warn level. */
      warn(msg, fields = {}) {
        this.logger.write("warn", this, msg, fields);
      }
      /**
       * Logs at error level; `err` (an Error or any value) becomes the last
       * field, `err=<its message>`.
       */
      error(msg, fields = {}) {
        const { err, ...rest } = fields;
        this.logger.write("error", this, msg, {
          ...rest,
          err: err === void 0 ? void 0 : errorMessage(err),
        });
      }
      /**
       * Logs a verbose line, only when debug is on. The schema's levels stay
       * info/warn/error, so it is written at info with `debug=true`.
       */
      debug(msg, fields = {}) {
        if (this.logger.debugEnabled) {
          this.logger.write("info", this, msg, {
            ...fields,
            debug: true,
          });
        }
      }
      /** Logs at `level` with `fields` as given (a level decided at run time). */
      log(level, msg, fields = {}) {
        this.logger.write(level, this, msg, fields);
      }
    };
  },
});

// lib/log/result.ts
var ResultLog;
var init_result = __esm({
  "lib/log/result.ts"() {
    init_mod12();
    init_logfmt();
    init_logger();
    ResultLog = class {
      #write;
      #redactor;
      #lines;
      constructor(options) {
        const { write, redactor = new Redactor(), now, context = {} } = options;
        this.#write = write;
        this.#redactor = redactor;
        this.#lines = new Logger({
          write,
          redactor,
          now,
          context,
        });
      }
      /** Writes one payload line: `fields` redacted and encoded as key=value. */
      emit(fields) {
        const out = {};
        for (const [key, value] of Object.entries(fields)) {
          out[key] = typeof value === "string"
            ? this.#redactor.redact(value)
            : value;
        }
        this.#write(encodeLine(out));
      }
      /** Result lines in the log schema for one component and op. */
      scope(...where) {
        return this.#lines.scope(...where);
      }
    };
  },
});

// lib/log/mod.ts
var init_mod13 = __esm({
  "lib/log/mod.ts"() {
    init_logfmt();
    init_logger();
    init_result();
  },
});

// lib/ids/ids.ts
function isJobId(text) {
  return UUID_PATTERN.test(text);
}
function newJobId() {
  return crypto.randomUUID();
}
function isTraceId(text) {
  return TRACE_ID_PATTERN.test(text);
}
function newTraceId() {
  return crypto.randomUUID().replaceAll("-", "");
}
function runIdOf(jobId, attempt = 0) {
  return attempt ? `${jobId}-a${attempt}` : jobId;
}
var UUID_PATTERN, TRACE_ID_PATTERN;
var init_ids = __esm({
  "lib/ids/ids.ts"() {
    UUID_PATTERN =
      /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
    TRACE_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
  },
});

// lib/ids/mod.ts
var mod_exports3 = {};
__export(mod_exports3, {
  TRACE_ID_PATTERN: () => TRACE_ID_PATTERN,
  UUID_PATTERN: () => UUID_PATTERN,
  isJobId: () => isJobId,
  isTraceId: () => isTraceId,
  newJobId: () => newJobId,
  newTraceId: () => newTraceId,
  runIdOf: () => runIdOf,
});
var init_mod14 = __esm({
  "lib/ids/mod.ts"() {
    init_ids();
  },
});

// commands/_trace.ts
var init_trace = __esm({
  "commands/_trace.ts"() {
    init_mod();
    init_mod14();
    init_mod14();
  },
});

// lib/artifacts/job_id.ts
function checkArtifactJobId(id, flag = "--job") {
  if (!isJobId(id)) {
    throw new UsageError(
      `usage error: ${flag} must be a job id (a UUID), got ${
        JSON.stringify(id)
      }`,
    );
  }
  return id.toLowerCase();
}
var init_job_id = __esm({
  "lib/artifacts/job_id.ts"() {
    init_mod();
    init_mod14();
  },
});

// lib/artifacts/paths.ts
function jobRootOf(outDir, jobId) {
  return resolve(outDir, checkArtifactJobId(jobId));
}
function isSafeRelPath(rel) {
  if (rel === "" || rel.length > 512 || rel.startsWith("/")) return false;
  if (/[\\:\x00-\x1f]/.test(rel)) return false;
  return rel.split("/").every((s) => s !== "" && s !== "." && s !== "..");
}
async function containedJobRoot(outDir, jobId) {
  const root = jobRootOf(outDir, jobId);
  const info = await Deno.lstat(root).catch(() => null);
  if (!info) return void 0;
  if (!info.isDirectory) {
    throw new OperationalError(
      `Cannot use artifact root "${root}": not a directory (symlinks are not followed)`,
    );
  }
  const [realOut, realRoot] = await Promise.all([
    Deno.realPath(outDir),
    Deno.realPath(root),
  ]);
  if (realRoot !== `${realOut}/${jobId.toLowerCase()}`) {
    throw new OperationalError(
      `Cannot use artifact root "${root}": it resolves outside "${realOut}"`,
    );
  }
  return realRoot;
}
async function isPlainFileIn(root, rel) {
  if (!isSafeRelPath(rel)) return false;
  let path = root;
  const segments = rel.split("/");
  for (const [i, segment] of segments.entries()) {
    path = `${path}/${segment}`;
    const info = await Deno.lstat(path).catch(() => null);
    if (!info || info.isSymlink) return false;
    if (i < segments.length - 1 ? !info.isDirectory : !info.isFile) {
      return false;
    }
  }
  return true;
}
var MANIFEST_FILE, RUNNING_FILE;
var init_paths2 = __esm({
  "lib/artifacts/paths.ts"() {
    init_mod7();
    init_mod();
    init_job_id();
    MANIFEST_FILE = "manifest.json";
    RUNNING_FILE = ".running";
  },
});

// lib/artifacts/hash.ts
async function sha256Stream() {
  const { createHash } = await import("node:crypto");
  const hash = createHash("sha256");
  return {
    update: (bytes) => void hash.update(bytes),
    hex: () => hash.digest("hex"),
  };
}
async function sha256Hex(bytes) {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}
async function hashFile(path, options = {}) {
  using file = await Deno.open(path, {
    read: true,
  });
  if ((await file.stat()).size <= (options.smallBytes ?? SMALL_FILE_BYTES)) {
    const bytes = await readAll(file);
    return {
      sha256: await sha256Hex(bytes),
      size: bytes.length,
    };
  }
  const hash = await sha256Stream();
  const buf = new Uint8Array(CHUNK);
  let size = 0;
  while (true) {
    const n = await file.read(buf);
    if (n === null) break;
    hash.update(buf.subarray(0, n));
    size += n;
  }
  return {
    sha256: hash.hex(),
    size,
  };
}
async function readAll(file) {
  const chunks = [];
  let size = 0;
  while (true) {
    const buf = new Uint8Array(CHUNK);
    const n = await file.read(buf);
    if (n === null) break;
    chunks.push(buf.subarray(0, n));
    size += n;
  }
  if (chunks.length === 1) return chunks[0];
  const all = new Uint8Array(size);
  let off = 0;
  for (const c of chunks) {
    all.set(c, off);
    off += c.length;
  }
  return all;
}
async function writeAll(to, bytes) {
  let off = 0;
  while (off < bytes.length) off += await to.write(bytes.subarray(off));
}
async function copyHashing(src, dst, options = {}) {
  using from = await Deno.open(src, {
    read: true,
  });
  using to = await Deno.open(dst, {
    write: true,
    createNew: true,
    mode: 384,
  });
  let digest;
  if ((await from.stat()).size <= (options.smallBytes ?? SMALL_FILE_BYTES)) {
    const bytes = await readAll(from);
    await writeAll(to, bytes);
    digest = {
      sha256: await sha256Hex(bytes),
      size: bytes.length,
    };
  } else {
    const hash = await sha256Stream();
    const buf = new Uint8Array(CHUNK);
    let size = 0;
    while (true) {
      const n = await from.read(buf);
      if (n === null) break;
      const chunk = buf.subarray(0, n);
      hash.update(chunk);
      await writeAll(to, chunk);
      size += n;
    }
    digest = {
      sha256: hash.hex(),
      size,
    };
  }
  await to.sync();
  return digest;
}
var CHUNK, SMALL_FILE_BYTES;
var init_hash = __esm({
  "lib/artifacts/hash.ts"() {
    CHUNK = 1024 * 1024;
    SMALL_FILE_BYTES = 8 * CHUNK;
  },
});

// lib/artifacts/manifest.ts
async function writeManifest(root, manifest) {
  await writeFileAtomic(
    `${root}/${MANIFEST_FILE}`,
    JSON.stringify(manifest, null, 2) + "\n",
    {
      mode: 420,
    },
  );
}
function isEntry(value) {
  const e = value;
  return typeof e === "object" && e !== null && typeof e.type === "string" &&
    typeof e.path === "string" && isSafeRelPath(e.path) &&
    Number.isSafeInteger(e.size_bytes) && e.size_bytes >= 0 &&
    typeof e.sha256 === "string" && HEX64.test(e.sha256);
}
async function readManifest(root) {
  const path = `${root}/${MANIFEST_FILE}`;
  const info = await Deno.lstat(path).catch(() => null);
  if (!info) return void 0;
  const bad = (why) =>
    new OperationalError(`Cannot read manifest "${path}": ${why}`);
  if (!info.isFile) throw bad("not a regular file");
  let data;
  try {
    data = JSON.parse(new TextDecoder().decode(
      await readRegularFile(path, {
        maxBytes: MAX_MANIFEST_BYTES,
      }),
    ));
  } catch (error) {
    throw bad(errorMessage(error));
  }
  const m = data;
  if (
    typeof m !== "object" || m === null || typeof m.job_id !== "string" ||
    typeof m.state !== "string" || typeof m.created_at !== "string" ||
    !Array.isArray(m.artifacts)
  ) throw bad("missing job_id, state, created_at or artifacts");
  const wrong = m.artifacts.find((e) => !isEntry(e));
  if (wrong !== void 0) {
    throw bad(`invalid artifact entry ${JSON.stringify(wrong)}`);
  }
  return m;
}
var MAX_MANIFEST_BYTES, HEX64;
var init_manifest = __esm({
  "lib/artifacts/manifest.ts"() {
    init_mod();
    init_mod7();
    init_paths2();
    MAX_MANIFEST_BYTES = 64 * MIB;
    HEX64 = /^[0-9a-f]{64}$/;
  },
});

// lib/artifacts/marker.ts
async function writeMarker(root, marker) {
  const file = await Deno.open(`${root}/${RUNNING_FILE}`, {
    write: true,
    create: true,
    truncate: true,
  });
  try {
    await file.lock(true);
    const bytes = new TextEncoder().encode(JSON.stringify(marker) + "\n");
    let off = 0;
    while (off < bytes.length) off += await file.write(bytes.subarray(off));
    return file;
  } catch (error) {
    file.close();
    throw error;
  }
}
async function markerHeld(root) {
  const info = await Deno.lstat(`${root}/${RUNNING_FILE}`).catch(() => null);
  if (!info?.isFile) return false;
  let file;
  try {
    file = await Deno.open(`${root}/${RUNNING_FILE}`, {
      read: true,
    });
  } catch {
    return false;
  }
  try {
    const got2 = await file.tryLock(true);
    if (got2) await file.unlock();
    return !got2;
  } finally {
    file.close();
  }
}
async function readMarker(root) {
  const path = `${root}/${RUNNING_FILE}`;
  const info = await Deno.lstat(path).catch(() => null);
  if (!info || !info.isFile) return void 0;
  try {
    const m = JSON.parse(new TextDecoder().decode(
      await readRegularFile(path, {
        maxBytes: MAX_MARKER_BYTES,
      }),
    ));
    if (
      typeof m.host === "string" && Number.isSafeInteger(m.pid) &&
      !Number.isNaN(Date.parse(m.started_at))
    ) return m;
  } catch {
  }
  return null;
}
async function removeMarker(root) {
  await Deno.remove(`${root}/${RUNNING_FILE}`).catch((error) => {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  });
}
var MAX_MARKER_BYTES;
var init_marker = __esm({
  "lib/artifacts/marker.ts"() {
    init_mod7();
    init_paths2();
    MAX_MARKER_BYTES = 64 * 1024;
  },
});

// lib/artifacts/job_artifacts.ts
function artifactTypeOf(rel) {
  return TYPES[rel] ?? "file";
}
var TYPES, JobArtifacts;
var init_job_artifacts = __esm({
  "lib/artifacts/job_artifacts.ts"() {
    init_mod();
    init_mod7();
    init_mod12();
    init_hash();
    init_manifest();
    init_marker();
    init_paths2();
    TYPES = {
      "ssh/stdout.txt": "stdout",
      "ssh/stderr.txt": "stderr",
      "ssh/exit_code.txt": "exit_code",
      "aloha/response.json": "response",
      "aloha/client_log.txt": "client_log",
      "playwright/screenshot.png": "screenshot",
      "playwright/trace.zip": "trace",
      "playwright/video.webm": "video",
    };
    JobArtifacts = class _JobArtifacts {
      /** The absolute job root. */
      root;
      jobId;
      #o;
      #now;
      #redactor;
      #finished = false;
      #marker;
      /** Set when a requested artifact did not arrive: the manifest says `partial`. */
      partial = false;
      constructor(root, options) {
        this.root = root;
        this.jobId = options.jobId.toLowerCase();
        this.#o = options;
        this.#now = options.now ?? Date.now;
        this.#redactor = options.redactor ?? options.logger?.redactor ??
          new Redactor();
      }
      /**
       * Creates the job root and its in-progress marker. A root left by an
       * earlier attempt of the same job is emptied first, so the manifest
       * describes this attempt only.
       */
      static async begin(options) {
        const root = jobRootOf(options.outDir, options.jobId);
        await Deno.remove(root, {
          recursive: true,
        }).catch((error) => {
          if (!(error instanceof Deno.errors.NotFound)) throw error;
        });
        await Deno.mkdir(root, {
          recursive: true,
        });
        const art = new _JobArtifacts(root, options);
        art.#marker = await writeMarker(root, {
          host: options.hostname ?? Deno.hostname(),
          pid: Deno.pid,
          started_at: new Date(art.#now()).toISOString(),
        });
        return art;
      }
      /**
       * Writes one file at `rel` (e.g. `ssh/stdout.txt`) inside the root, with
       * every secret redacted.
       */
      async put(rel, data) {
        if (!isSafeRelPath(rel)) {
          throw new Error(`unsafe artifact path "${rel}"`);
        }
        const path = `${this.root}/${rel}`;
        await Deno.mkdir(dirname(path), {
          recursive: true,
        });
        if (typeof data === "string") {
          await Deno.writeTextFile(path, this.#redactor.redact(data));
        } else await Deno.writeFile(path, this.#redactor.redactBytes(data));
      }
      /**
       * Writes the manifest with the job's terminal `state` (`partial` instead of
       * `completed` or `failed` when {@linkcode partial} is set) and removes the
       * marker; then mirrors. Runs once; later calls return undefined.
       */
      async finish(state) {
        if (this.#finished) return void 0;
        this.#finished = true;
        const artifacts = await this.#entries();
        const manifest = {
          job_id: this.jobId,
          trace_id: this.#o.traceId,
          created_at: new Date(this.#now()).toISOString(),
          state: this.partial && state !== "cancelled" ? "partial" : state,
          artifacts,
          ...this.#o.mirror
            ? {
              mirror: {
                state: "pending",
              },
            }
            : {},
        };
        await writeManifest(this.root, this.#redactor.redactJson(manifest));
        await removeMarker(this.root);
        this.#marker?.close();
        this.#marker = void 0;
        if (!this.#o.mirror) return manifest;
        try {
          const done = await this.#o.mirror(this.root, this.jobId, artifacts);
          const skipped = done?.skipped ?? [];
          manifest.mirror = skipped.length
            ? {
              state: "ok",
              skipped_symlinks: skipped,
            }
            : {
              state: "ok",
            };
          if (skipped.length) {
            this.#o.logger?.scope("ssh", "artifacts.mirror").warn(
              "symlinks not mirrored",
              {
                job_id: this.jobId,
                skipped: skipped.join(","),
              },
            );
          }
        } catch (error) {
          const message = errorMessage(error);
          manifest.mirror = {
            state: "failed",
            error: message,
          };
          this.#o.logger?.scope("ssh", "artifacts.mirror").warn(
            "mirror failed",
            {
              job_id: this.jobId,
              err: message,
            },
          );
        }
        await writeManifest(this.root, this.#redactor.redactJson(manifest));
        return manifest;
      }
      async #entries() {
        const entries2 = [];
        const walk = async (dir) => {
          const names = [];
          for await (const e of Deno.readDir(dir)) names.push(e);
          names.sort((a, b) => a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
          for (const e of names) {
            const path = `${dir}/${e.name}`;
            const rel = relative(this.root, path);
            if (e.isDirectory) await walk(path);
            else if (
              e.isFile && rel !== MANIFEST_FILE && rel !== RUNNING_FILE &&
              !e.name.startsWith(`.${MANIFEST_FILE}.`) && isSafeRelPath(rel)
            ) {
              const digest = await hashFile(path);
              entries2.push({
                type: artifactTypeOf(rel),
                path: rel,
                size_bytes: digest.size,
                sha256: digest.sha256,
              });
            }
          }
        };
        await walk(this.root);
        return entries2;
      }
    };
  },
});

// lib/artifacts/list.ts
async function listArtifacts(outDir, jobId) {
  const root = await containedJobRoot(outDir, jobId);
  if (root === void 0) return void 0;
  const manifest = await readManifest(root);
  return manifest && {
    root,
    manifest,
  };
}
var init_list = __esm({
  "lib/artifacts/list.ts"() {
    init_manifest();
    init_paths2();
  },
});

// lib/artifacts/_tail_hash.ts
async function hashWhileWriting(path, write) {
  let done = false;
  const writing = write().finally(() => done = true);
  const hash = await sha256Stream();
  const buf = new Uint8Array(CHUNK2);
  let size = 0;
  let file;
  try {
    while (true) {
      const last = done;
      file ??= await Deno.open(path, {
        read: true,
      }).catch(() => void 0);
      while (file) {
        const n = await file.read(buf);
        if (n === null) break;
        hash.update(buf.subarray(0, n));
        size += n;
      }
      if (last) break;
      await Promise.race([
        writing.catch(() => false),
        delay(5),
      ]);
    }
  } finally {
    file?.close();
  }
  if (!await writing) return void 0;
  return {
    sha256: hash.hex(),
    size,
  };
}
var CHUNK2;
var init_tail_hash = __esm({
  "lib/artifacts/_tail_hash.ts"() {
    init_mod2();
    init_hash();
    CHUNK2 = 1024 * 1024;
  },
});

// lib/artifacts/fetch.ts
async function plainDirs(base, rel) {
  let path = base;
  for (const segment of rel.split("/").filter((s) => s !== "")) {
    path = `${path}/${segment}`;
    await Deno.mkdir(path).catch((e) => {
      if (!(e instanceof Deno.errors.AlreadyExists)) throw e;
    });
    const info = await Deno.lstat(path);
    if (!info.isDirectory || info.isSymlink) {
      throw new OperationalError(
        `Cannot fetch into "${path}": not a plain directory (symlinks are not followed)`,
      );
    }
  }
  return path;
}
async function fetchArtifacts(options) {
  const { outDir, jobId, out, download } = options;
  const listing = await listArtifacts(outDir, jobId);
  const id = jobId.toLowerCase();
  const result = {
    state: "not_found",
    jobId: id,
    outDir: "",
    files: [],
    missing: [],
    mismatched: [],
    fromWindows: [],
  };
  if (!listing) return result;
  await Deno.mkdir(out, {
    recursive: true,
  });
  const base = await plainDirs(await Deno.realPath(out), id);
  result.outDir = base;
  for (const entry of listing.manifest.artifacts) {
    const dir = await plainDirs(base, dirname(entry.path).replace(/^\.$/, ""));
    const dest = `${base}/${entry.path}`;
    const tmp = `${dir}/.${crypto.randomUUID()}.part`;
    const good = (d) =>
      d !== void 0 && d.sha256 === entry.sha256 && d.size === entry.size_bytes;
    let seen = false;
    let ok2 = false;
    try {
      if (await isPlainFileIn(listing.root, entry.path)) {
        seen = true;
        ok2 = good(await copyHashing(`${listing.root}/${entry.path}`, tmp));
      }
      if (!ok2 && download) {
        const remote = scpPath(WINDOWS_ARTIFACT_DIR, id, entry.path);
        await Deno.remove(tmp).catch(() => {
        });
        const digest = await hashWhileWriting(tmp, () => download(remote, tmp));
        if (digest) {
          seen = true;
          ok2 = good(digest) || good(await hashFile(tmp));
          if (ok2) result.fromWindows.push(entry.path);
        }
      }
      if (ok2) {
        await Deno.rename(tmp, dest);
        result.files.push(entry.path);
      } else (seen ? result.mismatched : result.missing).push(entry.path);
    } finally {
      await Deno.remove(tmp).catch(() => {
      });
    }
  }
  await writeManifest(base, listing.manifest);
  result.state = result.missing.length || result.mismatched.length
    ? "partial"
    : "ok";
  return result;
}
var init_fetch = __esm({
  "lib/artifacts/fetch.ts"() {
    init_mod7();
    init_mod();
    init_hash();
    init_list();
    init_manifest();
    init_mod5();
    init_paths2();
    init_tail_hash();
  },
});

// lib/artifacts/gc.ts
async function gcArtifacts(options) {
  const {
    outDir,
    days,
    dryRun = false,
    now = Date.now,
    hostname = Deno.hostname(),
    isHeld = markerHeld,
  } = options;
  const result = {
    entries: [],
    ignored: [],
  };
  const names = [];
  try {
    for await (const e of Deno.readDir(outDir)) names.push(e.name);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return result;
    throw error;
  }
  names.sort();
  const limit = now() - days * DAY;
  for (const name of names) {
    const path = `${outDir}/${name}`;
    const info = await Deno.lstat(path).catch(() => null);
    if (!info || !info.isDirectory || info.isSymlink || !isJobId(name)) {
      if (info) result.ignored.push(name);
      continue;
    }
    const marker = await readMarker(path);
    const manifest = await readManifest(path).catch(() => void 0);
    const created = manifest ? Date.parse(manifest.created_at) : NaN;
    const ageFrom = Number.isNaN(created) ? "mtime" : "manifest";
    const at = ageFrom === "manifest"
      ? created
      : info.mtime?.getTime() ?? now();
    const entry = {
      jobId: name,
      action: "kept",
      ageDays: Math.floor((now() - at) / DAY),
      ageFrom,
    };
    result.entries.push(entry);
    if (marker !== void 0) {
      const running = marker === null ||
        (marker.host === hostname
          ? await isHeld(path)
          : now() - Date.parse(marker.started_at) < RUNNING_GRACE_MS);
      if (running) {
        entry.action = "running";
        continue;
      }
    }
    if (at >= limit) continue;
    if (dryRun) {
      entry.action = "would_delete";
      continue;
    }
    await Deno.remove(path, {
      recursive: true,
    });
    entry.action = "deleted";
  }
  return result;
}
var RUNNING_GRACE_MS, DAY;
var init_gc = __esm({
  "lib/artifacts/gc.ts"() {
    init_manifest();
    init_marker();
    init_mod14();
    RUNNING_GRACE_MS = 24 * 60 * 60 * 1e3;
    DAY = 24 * 60 * 60 * 1e3;
  },
});

// lib/artifacts/stage.ts
async function linkOrCopy(from, to) {
  try {
    await Deno.link(from, to);
  } catch {
    await Deno.copyFile(from, to);
  }
}
async function stageTree(root, options = {}) {
  const { exclude = [] } = options;
  const dir = await Deno.makeTempDir({
    dir: dirname(root),
    prefix: ".mirror-",
  });
  const skipped = [];
  const walk = async (from, to, rel) => {
    const names = [];
    for await (const e of Deno.readDir(from)) names.push(e.name);
    names.sort();
    for (const name of names) {
      if (rel === "" && exclude.includes(name)) continue;
      const path = `${from}/${name}`;
      const relPath = rel ? `${rel}/${name}` : name;
      const info = await Deno.lstat(path).catch(() => null);
      if (!info) continue;
      if (info.isSymlink) skipped.push(relPath);
      else if (info.isDirectory) {
        await Deno.mkdir(`${to}/${name}`, {
          mode: 448,
        });
        await walk(path, `${to}/${name}`, relPath);
      } else if (info.isFile) await linkOrCopy(path, `${to}/${name}`);
    }
  };
  try {
    await walk(root, dir, "");
  } catch (error) {
    await Deno.remove(dir, {
      recursive: true,
    }).catch(() => {
    });
    throw error;
  }
  const entries2 = [];
  for await (const e of Deno.readDir(dir)) entries2.push(`${dir}/${e.name}`);
  return {
    dir,
    entries: entries2.sort(),
    skipped,
  };
}
var init_stage = __esm({
  "lib/artifacts/stage.ts"() {
    init_mod7();
  },
});

// lib/artifacts/mirror.ts
function windowsMirror(ssh, options) {
  return async (root, jobId) => {
    await runJsonScript(ssh, {
      kind: "artifact_dir",
      input: {
        job_id: jobId,
      },
      ...options,
    });
    const staged = await stageTree(root, {
      exclude: [
        RUNNING_FILE,
      ],
    });
    try {
      const remote = scpPath(WINDOWS_ARTIFACT_DIR, jobId, "");
      if (staged.entries.length === 0) {
        return {
          skipped: staged.skipped,
        };
      }
      const result = await ssh.upload(staged.entries, remote, {
        ...options,
        recursive: true,
      });
      if (result.code !== 0) {
        const why = new TextDecoder().decode(result.stderr).trim().split("\n")
          .pop();
        throw new OperationalError(
          `Cannot mirror artifacts to ${ssh.endpoint}:${remote}: scp exited ${result.code}${
            why ? ` (${why})` : ""
          }`,
        );
      }
      return {
        skipped: staged.skipped,
      };
    } finally {
      await Deno.remove(staged.dir, {
        recursive: true,
      }).catch(() => {
      });
    }
  };
}
function unsupportedOption(stderr) {
  return /unknown option|illegal option|usage: scp/i.test(
    new TextDecoder().decode(stderr),
  );
}
function windowsDownload(ssh, options = {}) {
  let tuned = true;
  return async (remote, local) => {
    if (tuned) {
      const result2 = await ssh.download(remote, local, {
        ...options,
        sftpRequests: SFTP_REQUESTS,
      });
      if (result2.code === 0) return true;
      if (!unsupportedOption(result2.stderr)) return false;
      tuned = false;
    }
    const result = await ssh.download(remote, local, options);
    return result.code === 0;
  };
}
var SFTP_REQUESTS;
var init_mirror = __esm({
  "lib/artifacts/mirror.ts"() {
    init_mod();
    init_mod5();
    init_paths2();
    init_stage();
    SFTP_REQUESTS = 128;
  },
});

// lib/artifacts/outputs.ts
async function putExecOutput(art, output) {
  await art.put("ssh/stdout.txt", output.stdout);
  await art.put("ssh/stderr.txt", output.stderr);
  await art.put(
    "ssh/exit_code.txt",
    `${output.exitCode}
`,
  );
}
async function putAlohaOutput(art, output) {
  const { task, state, response, error = null, log = "" } = output;
  await art.put(
    "aloha/response.json",
    JSON.stringify(
      {
        task,
        state,
        response,
        error,
      },
      null,
      2,
    ) + "\n",
  );
  if (log !== "") await art.put("aloha/client_log.txt", log);
}
var init_outputs = __esm({
  "lib/artifacts/outputs.ts"() {
  },
});

// lib/artifacts/record_aloha.ts
async function recordAlohaRun(art, task, run) {
  let response = null;
  try {
    const result = await run((r) => response = r);
    await putAlohaOutput(art, {
      task,
      state: result.state,
      response: result.response,
      log: result.log,
    });
    return result;
  } catch (error) {
    await putAlohaOutput(art, {
      task,
      state: "failed",
      response,
      error: errorMessage(error),
    }).catch(() => {
    });
    throw error;
  }
}
var init_record_aloha = __esm({
  "lib/artifacts/record_aloha.ts"() {
    init_mod();
    init_outputs();
  },
});

// lib/artifacts/recorded_run.ts
function isCancelled(signal) {
  if (!signal?.aborted) return false;
  const reason = signal.reason;
  return !/timeout|timed out|exceeded/i.test(String(reason?.message ?? reason));
}
async function recordedRun(options, body) {
  const {
    outDir,
    jobId,
    traceId,
    log,
    manifestLine = "info",
    redactor,
    mirror,
    gate,
    signal = new AbortController().signal,
    cancelSignal = signal,
    stateOf = () => "completed",
    onManifestError,
    begin = (o) => JobArtifacts.begin(o),
  } = options;
  let art;
  try {
    art = await begin({
      outDir,
      jobId,
      traceId,
      logger: log.logger,
      redactor,
      mirror: mirror ? windowsMirror(mirror.ssh, mirror) : void 0,
    });
  } catch (error) {
    throw new ArtifactRootError(
      `Cannot create the artifact root in "${outDir}": ${errorMessage(error)}`,
    );
  }
  let state = "failed";
  try {
    if (gate?.check !== void 0) {
      const decision = await idempotencyGate(gate.ssh, gate.check, {
        timeoutMs: gate.timeoutMs,
        requireUnlocked: gate.requireUnlocked,
        signal,
      });
      if (decision === "skip") {
        state = "completed";
        return {
          state: "skipped",
          art,
        };
      }
    }
    const value = await body(art, signal);
    state = stateOf(value);
    return {
      state: "ran",
      value,
      art,
    };
  } catch (error) {
    if (isCancelled(cancelSignal)) state = "cancelled";
    throw error;
  } finally {
    await finish(art, state, {
      log,
      manifestLine,
      onManifestError,
    });
  }
}
async function finish(art, state, options) {
  const { log, manifestLine, onManifestError } = options;
  try {
    const manifest = await art.finish(state);
    log[manifestLine ?? "info"]("manifest written", {
      job_id: art.jobId,
      artifact_root: art.root,
      manifest_state: manifest?.state,
      artifacts: manifest?.artifacts.length,
      mirror: manifest?.mirror?.state,
    });
  } catch (error) {
    log.error("cannot write the manifest", {
      err: error,
      job_id: art.jobId,
      artifact_root: art.root,
    });
    onManifestError?.(error);
  }
}
var ArtifactRootError;
var init_recorded_run = __esm({
  "lib/artifacts/recorded_run.ts"() {
    init_mod();
    init_mod5();
    init_job_artifacts();
    init_mirror();
    ArtifactRootError = class extends OperationalError {
    };
  },
});

// lib/artifacts/mod.ts
var mod_exports4 = {};
__export(mod_exports4, {
  ArtifactRootError: () => ArtifactRootError,
  JobArtifacts: () => JobArtifacts,
  MANIFEST_FILE: () => MANIFEST_FILE,
  RUNNING_FILE: () => RUNNING_FILE,
  RUNNING_GRACE_MS: () => RUNNING_GRACE_MS,
  artifactTypeOf: () => artifactTypeOf,
  checkArtifactJobId: () => checkArtifactJobId,
  copyHashing: () => copyHashing,
  fetchArtifacts: () => fetchArtifacts,
  gcArtifacts: () => gcArtifacts,
  hashFile: () => hashFile,
  isCancelled: () => isCancelled,
  isSafeRelPath: () => isSafeRelPath,
  jobRootOf: () => jobRootOf,
  listArtifacts: () => listArtifacts,
  putAlohaOutput: () => putAlohaOutput,
  putExecOutput: () => putExecOutput,
  readManifest: () => readManifest,
  readMarker: () => readMarker,
  recordAlohaRun: () => recordAlohaRun,
  recordedRun: () => recordedRun,
  windowsDownload: () => windowsDownload,
  windowsMirror: () => windowsMirror,
  writeManifest: () => writeManifest,
});
var init_mod15 = __esm({
  "lib/artifacts/mod.ts"() {
    init_job_id();
    init_paths2();
    init_hash();
    init_manifest();
    init_marker();
    init_job_artifacts();
    init_list();
    init_fetch();
    init_gc();
    init_mirror();
    init_outputs();
    init_record_aloha();
    init_recorded_run();
  },
});

// commands/_context.ts
var context_exports = {};
__export(context_exports, {
  createContext: () => createContext,
});
async function createContext(io, state, options) {
  state.op = options.op;
  state.raw = options.raw ?? false;
  const traceId = options.traceId ?? newTraceId();
  state.context = {
    trace_id: traceId,
  };
  const env = {};
  for (
    const name of [
      ...FIELDS.map((f) => f.env),
      ...EXTRA_ENV,
    ]
  ) {
    env[name] = io.getEnv(name);
  }
  const config = await loadConfig({
    flagPath: options.configPath,
    env,
  });
  const logger = new Logger({
    write: io.stderr,
    silent: options.raw ?? false,
    debug: options.debug || state.debug || false,
    context: {
      trace_id: traceId,
    },
    secrets: secretsOf(config),
  });
  state.logger = logger;
  state.redactor = logger.redactor;
  let ssh;
  let aloha;
  return {
    config,
    logger,
    io,
    traceId,
    op: options.op,
    out: new ResultLog({
      write: io.stdout,
      redactor: logger.redactor,
      context: {
        trace_id: traceId,
      },
    }),
    ssh: sshClient,
    aloha: () =>
      aloha ??= new AlohaClient({
        serverUrl: config.aloha.serverUrl,
        clientUrl: config.aloha.clientUrl,
        timeoutMs: config.limits.httpMs,
        logger,
        tunnel: config.aloha.via === "ssh" ? sshClient() : void 0,
      }),
    record: async (body, run = {}) => {
      const { recordedRun: recordedRun2 } = await Promise.resolve().then(
        () => (init_mod15(), mod_exports4),
      );
      const { ensureWritableDir: ensureWritableDir2 } = await Promise.resolve()
        .then(() => (init_mod7(), mod_exports2));
      const { newJobId: newJobId2 } = await Promise.resolve().then(
        () => (init_mod14(), mod_exports3),
      );
      const outDir = config.artifacts.outDir;
      await ensureWritableDir2(
        outDir,
        settingName(config, "artifacts.out_dir"),
      );
      const jobId = newJobId2();
      const gate = {
        ssh: sshClient(),
        check: run.check,
        requireUnlocked: true,
        timeoutMs: config.limits.gateMs,
      };
      return await recordedRun2({
        outDir,
        jobId,
        traceId,
        log: logger.with({
          job_id: jobId,
        }).scope("cli", options.op),
        manifestLine: "debug",
        mirror: config.artifacts.mirror
          ? {
            ssh: sshClient(),
            timeoutMs: config.limits.mirrorMs,
          }
          : void 0,
        gate,
        signal: run.signal,
        stateOf: run.stateOf,
        onManifestError: () => state.exitCode = 1,
      }, body);
    },
  };
  function sshClient() {
    return ssh ??= new SshClient({
      host: config.windows.sshHost,
      port: config.windows.sshPort,
      user: config.windows.sshUser,
      identityFile: config.windows.sshIdentityFile,
      connectTimeoutMs: config.limits.connectMs,
      stateDir: config.stateDir,
      hostKey: config.windows.sshHostKey,
    }, {
      logger,
      searchPath: env.PATH,
      env: childEnv((name) => env[name]),
    });
  }
}
var EXTRA_ENV;
var init_context = __esm({
  "commands/_context.ts"() {
    init_mod6();
    init_mod11();
    init_mod13();
    init_trace();
    init_mod9();
    init_mod8();
    EXTRA_ENV = [
      "WIN_AUTOMATION_CONFIG",
      "XDG_STATE_HOME",
      "CREDENTIALS_DIRECTORY",
      ...CHILD_ENV_NAMES,
    ];
  },
});

// commands/_idempotent.ts
init_mod();
function idempotentCheckOf(opts) {
  if (opts.idempotent && !opts.idempotentCheck) {
    throw new UsageError(
      "usage error: --idempotent requires --idempotent-check <ps>",
    );
  }
  if (!opts.idempotent && opts.idempotentCheck !== void 0) {
    throw new UsageError(
      "usage error: --idempotent-check requires --idempotent",
    );
  }
  return opts.idempotent ? opts.idempotentCheck : void 0;
}

// commands/_with_context.ts
function contextOf(io, state, globals) {
  return async (request) => {
    const { createContext: createContext2 } = await Promise.resolve().then(
      () => (init_context(), context_exports),
    );
    return await createContext2(io, state, {
      configPath: globals().config,
      ...typeof request === "string"
        ? {
          op: request,
        }
        : request,
    });
  };
}
function withContextOf(io, state, globals) {
  const open = contextOf(io, state, globals);
  return async (request, body) => await body(await open(request));
}

// commands/windows/exec.ts
async function windowsExecCommand({ io, state, globals }, opts, words) {
  const withContext = withContextOf(io, state, globals);
  const check = idempotentCheckOf(opts);
  await withContext({
    op: "windows.exec",
    raw: opts.raw,
  }, async (ctx) => {
    const { putExecOutput: putExecOutput2 } = await Promise.resolve().then(
      () => (init_mod15(), mod_exports4),
    );
    const { windowsExec: windowsExec2 } = await Promise.resolve().then(
      () => (init_mod5(), mod_exports),
    );
    const log = ctx.logger.scope("ssh", "windows.exec");
    const started = performance.now();
    const run = await ctx.record(async (art2) => {
      const result2 = await windowsExec2(ctx.ssh(), words.join(" "), {
        timeoutMs: opts.timeout ?? ctx.config.limits.commandMs,
        logger: ctx.logger,
        runId: art2.jobId,
      });
      await putExecOutput2(art2, result2);
      return result2;
    }, {
      check,
      stateOf: (r) => r.exitCode === 0 ? "completed" : "failed",
    });
    if (run.state === "skipped") {
      log.info("idempotent check passed; skipped", {
        state: "skipped",
      });
      if (!opts.raw) {
        ctx.out.emit({
          state: "skipped",
        });
      }
      return;
    }
    const { value: result, art } = run;
    const ok2 = result.exitCode === 0;
    const fields = {
      state: ok2 ? "completed" : "failed",
      exit_code: result.exitCode,
      job_id: art.jobId,
      artifact_root: art.root,
      duration_ms: Math.round(performance.now() - started),
      truncated: result.truncated || void 0,
    };
    if (result.truncated) {
      log.warn("stdout truncated", {
        truncated: true,
      });
    }
    if (ok2) log.info("command finished", fields);
    else log.error("command exited non-zero", fields);
    if (opts.raw) {
      io.stdoutRaw(result.stdout);
      if (result.stderr) io.stderrRaw(result.stderr);
    } else {
      ctx.out.emit({
        ...fields,
        stdout: result.stdout.replace(/\r?\n$/, ""),
        stderr: result.stderr.replace(/\r?\n$/, ""),
      });
    }
    if (!ok2) state.exitCode = 1;
  });
}
export { windowsExecCommand as default };
