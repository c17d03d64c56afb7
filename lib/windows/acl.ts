import { PLAYWRIGHT_DIR, WINDOWS_ROOT } from "../powershell/mod.ts";
import type { SshClient } from "../ssh/mod.ts";
import type { ProbeOptions } from "./probes.ts";
import { psQuote } from "./probes.ts";
import { runJsonScript } from "./remote.ts";

/** One Allow rule that lets someone other than SYSTEM or Administrators write. */
export interface AclWriter {
  /** The account's name (its SID when Windows cannot name it). */
  identity: string;
  sid: string;
  /** `FileSystemRights` as Windows prints it, e.g. `CreateFiles, AppendData`. */
  rights: string;
  /** Whether the rule comes from a parent folder. */
  inherited: boolean;
}

/** What `acl_check` reports for a path. */
export interface AclReport {
  exists: boolean;
  owner: string | null;
  owner_sid: string | null;
  /** Whether the ACL is protected from inheritance. */
  protected: boolean;
  writers: AclWriter[];
}

/** Well-known SIDs the tool trusts with its folders. */
export const TRUSTED_SIDS = {
  system: "S-1-5-18",
  administrators: "S-1-5-32-544",
  localService: "S-1-5-19",
} as const;

/** The folders `doctor` checks, and whether each must be cut off from inheritance. */
export const CHECKED_FOLDERS: ReadonlyArray<
  { path: string; protectedAcl: boolean }
> = [
  { path: WINDOWS_ROOT, protectedAcl: true },
  { path: PLAYWRIGHT_DIR, protectedAcl: false },
];

/** Reads a path's owner, protection and writing rules (`acl_check`). */
export function aclCheck(
  ssh: SshClient,
  path: string,
  options: ProbeOptions,
): Promise<AclReport> {
  return runJsonScript(ssh, { kind: "acl_check", input: { path }, ...options });
}

/**
 * Locks `C:\ProgramData\win-automation` to SYSTEM and Administrators
 * (`root_lock`): creates it so, or repairs it. Returns `["acl"]` when it was
 * wrong, `[]` when it was right.
 */
export async function lockRoot(
  ssh: SshClient,
  options: ProbeOptions,
): Promise<string[]> {
  const answer = await runJsonScript<"root_lock", { changed: string[] | null }>(
    ssh,
    { kind: "root_lock", input: {}, ...options },
  );
  return answer.changed ?? [];
}

const FULL_CONTROL_RULE = (sid: string) =>
  `(New-Object System.Security.AccessControl.FileSystemAccessRule((New-Object System.Security.Principal.SecurityIdentifier '${sid}'), 'FullControl', 'ContainerInherit, ObjectInherit', 'None', 'Allow'))`;

/**
 * The exact PowerShell that locks a folder as `playwright install` leaves it:
 * the root protected from inheritance with FullControl for SYSTEM and
 * Administrators only; the Playwright folder inheriting that, plus read and
 * execute for LOCAL SERVICE. Both owned by Administrators. Run elevated.
 */
export function aclFixCommand(path: string): string {
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

/**
 * Who may change what is in a folder besides SYSTEM and Administrators, as
 * `<identity>` or `owner:<identity>` / `inheritance` entries: the rules that
 * grant write rights, an owner that is neither, and (where `protectedAcl`) an
 * ACL that still inherits from its parent. Empty when it is locked.
 */
export function aclOffenders(
  report: AclReport,
  options: { protectedAcl: boolean },
): string[] {
  if (!report.exists) return [];
  const out: string[] = [];
  const trusted: string[] = [TRUSTED_SIDS.system, TRUSTED_SIDS.administrators];
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
