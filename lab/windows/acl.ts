/**
 * The lab's NTFS access control lists: `<lab>/state/acl.json` holds the
 * security descriptor a script set on a path (its owner, whether its DACL is
 * protected from inheritance, its explicit rules), as
 * `{"paths":{"<windows path>":{...}}}`. What a path has on Windows is
 * computed from it the way NTFS inheritance works: the explicit rules, then
 * (unless protected) the inheritable rules of its folder, recursively.
 *
 * A path that exists in the lab's file system without an entry was made by
 * something the lab does not model as setting an ACL (npm, scp, New-Item): it
 * gets only inherited rules, and its creator (the ssh user) as owner, the
 * less convenient reading of "System objects: Default owner for objects
 * created by members of the Administrators group", whose default is the
 * object creator. `C:\ProgramData` has the ACL the issue found there: BUILTIN\Users
 * may create files and folders (no Microsoft page lists ProgramData's default
 * ACL; this is the less convenient reading). Anything else without an entry
 * (outside `C:\ProgramData`) is refused: the lab does not know its ACL.
 *
 * Inheritance follows "How inheritance works" (ACE flags OBJECT_INHERIT_ACE,
 * CONTAINER_INHERIT_ACE, INHERIT_ONLY_ACE:
 * https://learn.microsoft.com/en-us/windows/win32/secauthz/ace-inheritance-rules):
 * a folder inherits a CI rule as is, an OI-only rule as inherit-only; a file
 * inherits an OI rule without flags; CREATOR OWNER becomes the new object's
 * owner. Setting a DACL propagates to existing children (SetNamedSecurityInfo:
 * https://learn.microsoft.com/en-us/windows/win32/api/aclapi/nf-aclapi-setnamedsecurityinfow),
 * which computing it on every read models.
 * @module
 */
import { Unsupported } from "./errors.ts";
import { machineName } from "./host_facts.ts";
import { readJson, withLock, writeJson } from "../linux/mod.ts";
import { mapWindowsPath } from "./win_path.ts";

/** An Allow rule as .NET's FileSystemAccessRule holds it. */
export interface AclRule {
  sid: string;
  /** The access mask (FileSystemRights), Synchronize included. */
  rights: number;
  /** ContainerInherit (1) | ObjectInherit (2). */
  inheritance: number;
  /** InheritOnly (2) or 0. */
  propagation: number;
}

/** A security descriptor as a script set it. */
export interface AclEntry {
  owner: string;
  protected: boolean;
  /** Explicit rules only. */
  rules: AclRule[];
}

/** A path's effective ACL: explicit rules first, then inherited ones. */
export interface EffectiveAcl {
  owner: string;
  protected: boolean;
  rules: Array<AclRule & { inherited: boolean }>;
}

/** The file of `paths` entries. */
export interface AclFile {
  paths: Record<string, AclEntry>;
}

/** Well-known SIDs and the names Windows gives them (en-US). */
export const SID_NAMES: Record<string, string> = {
  "S-1-5-18": "NT AUTHORITY\\SYSTEM",
  "S-1-5-19": "NT AUTHORITY\\LOCAL SERVICE",
  "S-1-5-32-544": "BUILTIN\\Administrators",
  "S-1-5-32-545": "BUILTIN\\Users",
  "S-1-5-11": "NT AUTHORITY\\Authenticated Users",
  "S-1-1-0": "Everyone",
  "S-1-3-0": "CREATOR OWNER",
};
/** The ssh user's SID in the lab: the creator of what it makes. */
export const LAB_USER_SID = "S-1-5-21-1111111111-2222222222-3333333333-1001";
/** The name Windows gives a SID (NTAccount), or the SID itself. */
export function sidName(sid: string): string {
  if (sid === LAB_USER_SID) {
    return `${machineName()}\\${Deno.env.get("USER") || "lab"}`;
  }
  return SID_NAMES[sid] ?? sid;
}

/** FileSystemRights values the lab uses. */
export const RIGHTS = {
  fullControl: 0x1f01ff,
  readAndExecute: 0x1200a9,
  write: 0x100116,
  /** CreateFiles | AppendData (CreateDirectories) | Synchronize. */
  createFilesAndFolders: 0x100006,
  genericAll: 0x10000000,
} as const;
const CI = 1;
const OI = 2;
const INHERIT_ONLY = 2;

/** The tool's root. */
export const ROOT = "C:\\ProgramData\\win-automation";
const PROGRAM_DATA = "C:\\ProgramData";

/** The root as ROOT_GUARD and root_lock leave it. */
export const LOCKED_ROOT: AclEntry = {
  owner: "S-1-5-32-544",
  protected: true,
  rules: [
    {
      sid: "S-1-5-18",
      rights: RIGHTS.fullControl,
      inheritance: 3,
      propagation: 0,
    },
    {
      sid: "S-1-5-32-544",
      rights: RIGHTS.fullControl,
      inheritance: 3,
      propagation: 0,
    },
  ],
};

const PROGRAM_DATA_ACL: EffectiveAcl = {
  owner: "S-1-5-18",
  protected: true,
  rules: [
    {
      sid: "S-1-5-18",
      rights: RIGHTS.fullControl,
      inheritance: 3,
      propagation: 0,
    },
    {
      sid: "S-1-5-32-544",
      rights: RIGHTS.fullControl,
      inheritance: 3,
      propagation: 0,
    },
    {
      sid: "S-1-3-0",
      rights: RIGHTS.genericAll,
      inheritance: 3,
      propagation: INHERIT_ONLY,
    },
    {
      sid: "S-1-5-32-545",
      rights: RIGHTS.readAndExecute,
      inheritance: 3,
      propagation: 0,
    },
    {
      sid: "S-1-5-32-545",
      rights: RIGHTS.createFilesAndFolders,
      inheritance: CI,
      propagation: 0,
    },
  ].map((r) => ({ ...r, inherited: false })),
};

function key(path: string): string {
  return path.replaceAll("/", "\\").replace(/\\+$/, "").toLowerCase();
}

function parentOf(path: string): string | null {
  const i = path.replaceAll("/", "\\").replace(/\\+$/, "").lastIndexOf("\\");
  return i <= 2 ? null : path.slice(0, i);
}

const file = (labDir: string) => `${labDir}/state/acl.json`;

/** The explicit descriptor a script set on `path`, if any. */
export async function aclEntry(
  labDir: string,
  path: string,
): Promise<AclEntry | null> {
  const data = await readJson<AclFile>(file(labDir), { paths: {} });
  for (const [p, entry] of Object.entries(data.paths)) {
    if (key(p) === key(path)) return entry;
  }
  return null;
}

/** Sets (or, with null, forgets) the descriptor of `path`. */
export async function setAcl(
  labDir: string,
  path: string,
  entry: AclEntry | null,
): Promise<void> {
  const f = file(labDir);
  await withLock(`${f}.lock`, async () => {
    const data = await readJson<AclFile>(f, { paths: {} });
    for (const p of Object.keys(data.paths)) {
      if (key(p) === key(path)) delete data.paths[p];
    }
    if (entry) data.paths[path] = entry;
    await writeJson(f, data);
  });
}

/**
 * Plants a descriptor for tests (e.g. a root that inherits ProgramData's
 * rules: `{owner: LAB_USER_SID, protected: false, rules: []}`).
 */
export const plantAcl = setAcl;

async function stat(labDir: string, path: string) {
  return await Deno.stat(mapWindowsPath(labDir, path)).catch(() => null);
}

/** The ACL `path` has on "Windows", or null when it does not exist. */
export async function effectiveAcl(
  labDir: string,
  path: string,
): Promise<EffectiveAcl | null> {
  if (key(path) === key(PROGRAM_DATA)) return PROGRAM_DATA_ACL;
  const info = await stat(labDir, path);
  if (!info) return null;
  const entry = await aclEntry(labDir, path);
  const parent = parentOf(path);
  if (!entry && (parent === null || !key(path).startsWith(key(PROGRAM_DATA)))) {
    throw new Unsupported(
      `the lab does not know the ACL of ${path} (only C:\\ProgramData and below)`,
    );
  }
  const own = entry ?? { owner: LAB_USER_SID, protected: false, rules: [] };
  const rules: EffectiveAcl["rules"] = own.rules.map((r) => ({
    ...r,
    inherited: false,
  }));
  if (!own.protected && parent !== null) {
    const up = await effectiveAcl(labDir, parent);
    for (const r of up?.rules ?? []) {
      const sid = r.sid === "S-1-3-0" ? own.owner : r.sid;
      if (info.isDirectory) {
        if (r.inheritance & CI) {
          rules.push({ ...r, propagation: 0, inherited: true });
          if (r.sid === "S-1-3-0") {
            rules[rules.length - 1]!.propagation = INHERIT_ONLY;
            rules.push({
              ...r,
              sid,
              inheritance: 0,
              propagation: 0,
              inherited: true,
            });
          }
        } else if (r.inheritance & OI) {
          rules.push({ ...r, propagation: INHERIT_ONLY, inherited: true });
        }
      } else if (r.inheritance & OI) {
        rules.push({
          ...r,
          sid,
          inheritance: 0,
          propagation: 0,
          inherited: true,
        });
      }
    }
  }
  return { owner: own.owner, protected: own.protected, rules };
}

/**
 * The rights an account has on `path` from Allow rules that apply to the
 * object itself (not inherit-only), counting the groups every service
 * account's token holds (Everyone, Authenticated Users, Users).
 */
export async function rightsOf(
  labDir: string,
  path: string,
  sid: string,
): Promise<number> {
  const acl = await effectiveAcl(labDir, path);
  if (!acl) return 0;
  const who = new Set([sid, "S-1-1-0", "S-1-5-11", "S-1-5-32-545"]);
  let mask = 0;
  for (const r of acl.rules) {
    if (r.propagation & INHERIT_ONLY) continue;
    if (who.has(r.sid)) mask |= r.rights;
  }
  return mask;
}

/** The root as ROOT_GUARD makes it: created locked when missing. */
export async function ensureLockedRoot(labDir: string): Promise<void> {
  if (await stat(labDir, ROOT)) return;
  await Deno.mkdir(mapWindowsPath(labDir, ROOT), { recursive: true });
  await setAcl(labDir, ROOT, LOCKED_ROOT);
}

/** FileSystemRights as .NET's enum prints a mask (the names the lab uses). */
export function rightsText(mask: number): string {
  const known: Array<[number, string]> = [
    [0x1f01ff, "FullControl"],
    [0x1301bf, "Modify, Synchronize"],
    [0x1200a9, "ReadAndExecute, Synchronize"],
    [0x100116, "Write, Synchronize"],
    [0x100006, "CreateFiles, AppendData, Synchronize"],
    [0x6, "CreateFiles, AppendData"],
  ];
  return known.find(([m]) => m === mask)?.[1] ?? String(mask >>> 0);
}
