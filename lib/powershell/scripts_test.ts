import { assert } from "@test/assert";
import { ROOT_GUARD, SCRIPT_BODIES, WINDOWS_ROOT } from "./scripts.ts";

/** Commands and .NET calls that create or write a file or folder. */
const CREATES =
  /\b(New-Item|Set-Content|Add-Content|Out-File|Copy-Item|Move-Item)\b|\[(System\.)?IO\.(File|Directory)\]::(Write\w*|Create\w*|Move|Copy|AppendAll\w*)\(/;

/** The folders under the root that bodies use, as they name them. */
const UNDER_ROOT = /C:\\ProgramData\\win-automation(\\|')/i;

Deno.test("every body that creates something under C:\\ProgramData\\win-automation starts with ROOT_GUARD, verbatim", () => {
  const creating: string[] = [];
  for (const [kind, body] of Object.entries(SCRIPT_BODIES)) {
    if (!UNDER_ROOT.test(body) || !CREATES.test(body)) continue;
    creating.push(kind);
    const at = body.indexOf(ROOT_GUARD);
    assert.ok(at >= 0, `${kind} creates under the root without ROOT_GUARD`);
    const before = body.slice(0, at);
    assert.ok(
      !CREATES.test(before),
      `${kind} creates something before ROOT_GUARD runs`,
    );
  }
  // The kinds that do, today; a new one is found by the scan above.
  for (const kind of ["exec", "kill", "artifact_dir", "root_lock"]) {
    assert.ok(
      creating.includes(kind),
      `${kind} not found creating: scan broken`,
    );
  }
  // Negative control: the scan sees a body that creates without the guard.
  const rogue =
    `New-Item -ItemType Directory -Force -Path '${WINDOWS_ROOT}\\x' | Out-Null`;
  assert.ok(UNDER_ROOT.test(rogue) && CREATES.test(rogue));
  assert.ok(!rogue.includes(ROOT_GUARD));
});

Deno.test("ROOT_GUARD creates the root in one call with its final descriptor: protected, SYSTEM and Administrators only, owned by Administrators", () => {
  assert.match(ROOT_GUARD, /SetAccessRuleProtection\(\$true, \$false\)/);
  assert.match(ROOT_GUARD, /foreach \(\$waSid in 'S-1-5-18', 'S-1-5-32-544'\)/);
  assert.match(
    ROOT_GUARD,
    /'FullControl', 'ContainerInherit, ObjectInherit', 'None', 'Allow'/,
  );
  assert.match(
    ROOT_GUARD,
    /SetOwner\(\(New-Object System\.Security\.Principal\.SecurityIdentifier 'S-1-5-32-544'\)\)/,
  );
  assert.match(
    ROOT_GUARD,
    /\[System\.IO\.Directory\]::CreateDirectory\(\$waRoot, \$waAcl\)/,
  );
  assert.ok(!/New-Item|Set-Acl/.test(ROOT_GUARD), "no create-then-lock window");
});
