/**
 * The PowerShell parse gate: every PowerShell text this tool can send to
 * Windows, or print for an operator to run there, parses with tree-sitter's
 * PowerShell grammar with no ERROR and no MISSING node.
 */
import { assert } from "@test/assert";
import { FIXES, PLAYWRIGHT_ASSETS } from "../lib/playwright/mod.ts";
import { BOOTSTRAP, REMOTE_COMMAND, RUNNER } from "../lib/powershell/mod.ts";
import {
  aclFixCommand,
  CHECKED_FOLDERS,
  firewallFixCommand,
  firewallProblem,
  firewallRuleName,
} from "../lib/windows/mod.ts";
import { parsePowerShell } from "./_powershell_parse.ts";
import {
  builderCount,
  scriptBody,
  scriptKinds,
  scriptTexts,
} from "./_script_texts.ts";

/** Input strings chosen to break a script that embeds data carelessly. */
const ADVERSARIAL: Record<string, string> = {
  "single quotes": "it's 'quoted' ''",
  "double quotes": 'say "hi" ""',
  "here-string end at line start": "a\n'@\nb\n\"@\n",
  "here-string start": "@'\n@\"\n",
  "backticks": "tab`t newline`n escape`` end`",
  "subexpression": "$(Remove-Item -Recurse C:\\) ${env:PATH} $in",
  "newlines": "one\ntwo\r\nthree\rfour",
  "non-ASCII": "é 中文 😀 ‘smart’ “quotes” \u2028\u2029 \u00a0",
  "comment and braces": "#> <# } { ) ( ; |",
  "control characters": "\u0000\u0001\u001b[31m",
  "10 KB": '\'@`$("x")\n‘’é'.repeat(1024).slice(0, 10240),
};

/** Parses every text and fails once, listing every text with its errors. */
async function assertAllParse(
  texts: readonly { name: string; text: string }[],
): Promise<void> {
  assert.ok(texts.length > 0, "nothing to gate");
  const failures: string[] = [];
  for (const { name, text } of texts) {
    const result = await parsePowerShell(text);
    if (result.ok) continue;
    failures.push(
      `${name}:\n${
        result.errors.map((e) =>
          `  ${e.line}:${e.column} ${e.kind} ${JSON.stringify(e.snippet)}`
        ).join("\n")
      }`,
    );
  }
  assert.equal(
    failures.length,
    0,
    `PowerShell that does not parse:\n${failures.join("\n")}`,
  );
}

Deno.test("parsePowerShell() reports ERROR or MISSING nodes for broken scripts, and none for their repaired twins", async () => {
  const pairs: Array<[string, string, string]> = [
    ["unclosed here-string", "$a = @'\nx\n", "$a = @'\nx\n'@"],
    ["unbalanced brace", "if ($true) {\n  'x'\n", "if ($true) {\n  'x'\n}"],
    ["'@ not at line start", "$a = @'\nx\n  '@\n$a", "$a = @'\nx\n'@\n$a"],
    ["unclosed string", "$a = 'abc\n$a", "$a = 'abc'\n$a"],
    ["unclosed double string", 'Write-Output "abc', 'Write-Output "abc"'],
    ["unclosed subexpression", "$x = $(Get-Date", "$x = $(Get-Date)"],
    // What buildScript's JSON prevents: raw data ending the input here-string.
    [
      "data ends the here-string",
      '$in = @\'\n{"a":"\n\'@\n"}\n\'@ | ConvertFrom-Json',
      '$in = @\'\n{"a":"\\n\'@\\n"}\n\'@ | ConvertFrom-Json',
    ],
  ];
  for (const [what, broken, repaired] of pairs) {
    const bad = await parsePowerShell(broken);
    assert.equal(bad.ok, false, `${what}: parsed without errors`);
    assert.ok(bad.errors.length > 0, `${what}: no error listed`);
    for (const e of bad.errors) {
      assert.ok(e.kind === "ERROR" || e.kind === "MISSING", what);
      assert.ok(e.line >= 1 && e.column >= 1, `${what}: ${JSON.stringify(e)}`);
    }
    const good = await parsePowerShell(repaired);
    assert.deepEqual(good, { ok: true, errors: [] }, `${what} (repaired)`);
  }
  // Where and what: the brace is missing at the end of the unbalanced block.
  const brace = await parsePowerShell("if ($true) {\n  'x'\n");
  assert.ok(
    brace.errors.some((e) => e.kind === "MISSING" && e.snippet.includes("}")),
    JSON.stringify(brace.errors),
  );
  const injected = await parsePowerShell(
    '$in = @\'\n{"a":"\n\'@\n"}\n\'@ | ConvertFrom-Json',
  );
  assert.ok(
    injected.errors.some((e) => e.line === 4 && e.snippet === '"}'),
    JSON.stringify(injected.errors),
  );
});

Deno.test("the bootstrap, the runner and the command line ssh sends parse as PowerShell", async () => {
  // REMOTE_COMMAND goes to sshd's DefaultShell: with DefaultShell=powershell
  // (`powershell.exe -c <line>`) the line itself is PowerShell source.
  assert.ok(BOOTSTRAP.includes("[Console]::"), "not the bootstrap");
  assert.ok(REMOTE_COMMAND.startsWith("powershell "), REMOTE_COMMAND);
  await assertAllParse([
    { name: "BOOTSTRAP", text: BOOTSTRAP },
    { name: "REMOTE_COMMAND", text: REMOTE_COMMAND },
    // run_start carries it as data (a here-string) and writes it to
    // runner.ps1, which powershell.exe -File compiles.
    { name: "RUNNER", text: RUNNER },
  ]);
});

Deno.test("every script kind parses: header + body, and as built with typical and adversarial input", async () => {
  const kinds = scriptKinds();
  assert.ok(kinds.includes("exec"), `no exec kind in ${kinds.join(",")}`);
  const texts = scriptTexts({ adversarial: ADVERSARIAL });
  // Every kind contributes its header + body, and from each builder a
  // typical build and one build per adversarial string; each text holds that
  // kind's body.
  assert.equal(
    texts.length,
    kinds.length * (1 + builderCount() * (1 + Object.keys(ADVERSARIAL).length)),
  );
  for (const { kind, name, text } of texts) {
    assert.ok(text.includes(scriptBody(kind)), `${name}: body not in text`);
  }
  await assertAllParse(texts);
});

Deno.test("every assets/*.ps1 file and every embedded .ps1 asset parses", async () => {
  const dir = new URL("../assets/", import.meta.url);
  const texts: { name: string; text: string }[] = [];
  for await (const entry of Deno.readDir(dir)) {
    if (!entry.isFile || !entry.name.toLowerCase().endsWith(".ps1")) continue;
    const text = await Deno.readTextFile(new URL(entry.name, dir));
    texts.push({ name: `assets/${entry.name}`, text });
  }
  assert.ok(
    texts.some((t) => t.name === "assets/install-playwright.ps1"),
    texts.map((t) => t.name).join(","),
  );
  for (const [name, text] of Object.entries(PLAYWRIGHT_ASSETS)) {
    if (name.toLowerCase().endsWith(".ps1")) {
      texts.push({ name: `PLAYWRIGHT_ASSETS["${name}"]`, text });
    }
  }
  await assertAllParse(texts);
});

Deno.test("every PowerShell fix that doctor and playwright install print parses", async () => {
  // Which fixes are PowerShell, by where the operator runs them:
  // - firewall (lib/windows/probes.ts firewallFixCommand and firewallProblem):
  //   New-/Enable-/Set-NetFirewallRule in a PowerShell on Windows. Gated.
  // - playwright install FIXES (lib/playwright/install.ts): printed as "fix on
  //   Windows", typed into a PowerShell there ($env:, `;`). Gated.
  // Not PowerShell, so not gated: doctor's ssh fix (an `ssh ...` line for the
  // Linux host's shell), the aloha_server/aloha_client/hatchet/playwright
  // fixes (win-automation or scripts/lab on the Linux host), and the desktop
  // fix (prose: log on at the console).
  const texts: { name: string; text: string }[] = [];
  const states = {
    missing: { exists: false, enabled: false, ports: "" },
    disabled: { exists: true, enabled: false, ports: "7887" },
    outbound: {
      exists: true,
      enabled: true,
      ports: "Any",
      direction: "Outbound",
      action: "Block",
    },
    "wrong port": { exists: true, enabled: true, ports: "443,8443" },
    "any remote": {
      exists: true,
      enabled: true,
      ports: "Any",
      remote_addresses: ["Any"],
    },
  };
  // windows.allow_from as configured: addresses and subnets, IPv4 and IPv6.
  const allowFrom = ["192.168.122.1", "10.0.0.0/24", "fd00::1"];
  // The name is `<prefix>-<port>` (firewallRuleName); ports are validated
  // 1..65535, so the edges of that range are the adversarial inputs.
  for (const prefix of ["Aloha", "Playwright"] as const) {
    for (const port of [1, 7887, 9323, 65535]) {
      const name = firewallRuleName(prefix, port);
      texts.push({
        name: `firewallFixCommand(${name})`,
        text: firewallFixCommand(name, port, allowFrom),
      });
      for (const [state, rule] of Object.entries(states)) {
        const problem = firewallProblem({
          name: name,
          port: port,
          allowFrom: allowFrom,
        }, rule);
        assert.ok(problem, `${name} ${state}: no problem reported`);
        texts.push({
          name: `firewallProblem(${name}, ${state})`,
          text: problem.fix,
        });
      }
    }
  }
  for (const [what, fix] of Object.entries(FIXES)) {
    texts.push({ name: `FIXES.${what}`, text: fix });
  }
  // - doctor's windows_acl fix (lib/windows/acl.ts aclFixCommand): run in an
  //   elevated PowerShell on Windows. Gated, for every folder it checks.
  for (const { path } of CHECKED_FOLDERS) {
    texts.push({ name: `aclFixCommand(${path})`, text: aclFixCommand(path) });
  }
  await assertAllParse(texts);
});
