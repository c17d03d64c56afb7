/**
 * Named Windows targets: the `targets`, `groups` and `default_target` of the
 * config file, checked and resolved. A target's `windows` (the five SSH
 * fields), `aloha` and `playwright` settings inherit the top level, as
 * Ansible's `group_vars/all`; its secrets come only from the environment
 * (`WIN_AUTOMATION_TARGET_<NAME>_PLAYWRIGHT_WS_PATH`). Without `targets`,
 * the top level is one target, `default`.
 * @module
 */
import { checkField, type FileProblem, TARGET_NAME } from "./check.ts";
import { type FieldPath, FIELDS, type FieldSpec } from "./fields.ts";

/** The target a config without `targets` has. */
export const DEFAULT_TARGET = "default";

/**
 * The `--targets` item that names every target: reserved, no target or
 * group may be called so.
 */
export const ALL_TARGETS = "all";

/** Why `name` may not name a target or group of the file, or undefined. */
function reservedProblem(name: string): string | undefined {
  return name === ALL_TARGETS
    ? `is reserved: "${ALL_TARGETS}" in --targets names every target; choose another name`
    : undefined;
}

/** The one-line reason `name` is not a target name, or undefined. */
export function targetNameProblem(name: unknown): string | undefined {
  return typeof name === "string" && TARGET_NAME.test(name)
    ? undefined
    : `must be a target name (a-z, 0-9 and "-", starting with a letter or digit, at most 31 characters), got ${
      JSON.stringify(name)
    }`;
}

export { TARGET_NAME };

/** The settings a target may set for itself, by section. */
export const TARGET_FIELDS: readonly (FieldSpec & { path: FieldPath })[] =
  FIELDS.filter((f) =>
    [
      "windows.ssh_host",
      "windows.ssh_port",
      "windows.ssh_user",
      "windows.ssh_identity_file",
      "windows.ssh_host_key",
    ].includes(f.path) || f.path.startsWith("aloha.") ||
    f.path.startsWith("playwright.")
  );

/**
 * The variable that holds a target's secret: `WIN_AUTOMATION_TARGET_`, the
 * name upper-cased with `-` as `_`, then the setting (`PLAYWRIGHT_WS_PATH`).
 */
export function targetSecretEnv(target: string, spec: FieldSpec): string {
  return `WIN_AUTOMATION_TARGET_${target.toUpperCase().replaceAll("-", "_")}_${
    spec.path.toUpperCase().replaceAll(".", "_")
  }`;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === "object" && !Array.isArray(v);

const SECTIONS = ["windows", "aloha", "playwright"] as const;

function targetProblem(name: string, value: unknown): FileProblem | undefined {
  const at = `targets.${name}`;
  const bad = targetNameProblem(name) ?? reservedProblem(name);
  if (bad) return { path: at, reason: bad };
  if (!isObject(value)) {
    return {
      path: at,
      reason: `must be an object, got ${JSON.stringify(value)}`,
    };
  }
  for (const section of SECTIONS) {
    const part = value[section];
    if (part === undefined) continue;
    if (!isObject(part)) {
      return {
        path: `${at}.${section}`,
        reason: `must be an object, got ${JSON.stringify(part)}`,
      };
    }
    for (const [key, v] of Object.entries(part)) {
      const spec = TARGET_FIELDS.find((f) => f.path === `${section}.${key}`);
      const path = `${at}.${section}.${key}`;
      if (!spec) {
        return {
          path,
          reason: FIELDS.some((f) => f.path === `${section}.${key}`)
            ? "is not a per-target setting (set it at the top level)"
            : "unknown key",
        };
      }
      if (spec.secret) {
        return {
          path,
          reason: `is a secret: set it only in the environment (${
            targetSecretEnv(name, spec)
          }), never in a config file`,
        };
      }
      const checked = checkField(spec, v);
      if (!checked.ok) return { path, reason: checked.reason };
    }
  }
  const tags = value.tags;
  if (tags !== undefined) {
    if (!Array.isArray(tags)) {
      return {
        path: `${at}.tags`,
        reason: `must be an array of tags, got ${JSON.stringify(tags)}`,
      };
    }
    const badTag = tags.find((t) => targetNameProblem(t) !== undefined);
    if (badTag !== undefined) {
      return {
        path: `${at}.tags`,
        reason: `each tag ${targetNameProblem(badTag)!.slice(5)}`,
      };
    }
  }
  const desktop = value.desktop;
  if (
    desktop !== undefined &&
    (typeof desktop !== "string" || desktop.trim() === "" ||
      /[\0\r\n]/.test(desktop))
  ) {
    return {
      path: `${at}.desktop`,
      reason: `must be a non-empty one-line string, got ${
        JSON.stringify(desktop)
      }`,
    };
  }
  const unknown = Object.keys(value).find((k) =>
    !(SECTIONS as readonly string[]).includes(k) && k !== "tags" &&
    k !== "desktop"
  );
  return unknown === undefined
    ? undefined
    : { path: `${at}.${unknown}`, reason: "unknown key" };
}

/**
 * The first problem of a file's `targets`, `groups` and `default_target`, or
 * undefined. Group members and the default must name known targets.
 */
export function targetsProblem(
  json: Record<string, unknown>,
): FileProblem | undefined {
  const targets = json.targets;
  if (targets !== undefined) {
    if (!isObject(targets) || Object.keys(targets).length === 0) {
      return {
        path: "targets",
        reason: `must be an object of named targets, got ${
          JSON.stringify(targets)
        }`,
      };
    }
    const envNames = new Map<string, string>();
    for (const [name, value] of Object.entries(targets)) {
      const problem = targetProblem(name, value);
      if (problem) return problem;
      const key = name.toUpperCase().replaceAll("-", "_");
      const other = envNames.get(key);
      if (other !== undefined) {
        return {
          path: `targets.${name}`,
          reason:
            `collides with target "${other}": both read WIN_AUTOMATION_TARGET_${key}_*`,
        };
      }
      envNames.set(key, name);
    }
  }
  const names = targetNamesOf(json);
  const groups = json.groups;
  if (groups !== undefined) {
    if (!isObject(groups)) {
      return {
        path: "groups",
        reason: `must be an object of named groups, got ${
          JSON.stringify(groups)
        }`,
      };
    }
    for (const [name, members] of Object.entries(groups)) {
      const at = `groups.${name}`;
      const bad = targetNameProblem(name);
      if (bad) {
        return { path: at, reason: bad.replace("target name", "group name") };
      }
      const reserved = reservedProblem(name);
      if (reserved) return { path: at, reason: reserved };
      if (!Array.isArray(members)) {
        return {
          path: at,
          reason: `must be an array of target names, got ${
            JSON.stringify(members)
          }`,
        };
      }
      const missing = members.find((m) => !names.includes(m as string));
      if (missing !== undefined) {
        return {
          path: at,
          reason: `names an unknown target ${JSON.stringify(missing)} (known: ${
            names.join(", ")
          })`,
        };
      }
    }
  }
  return undefined;
}

/** The target names a checked config file defines (`default` without any). */
export function targetNamesOf(json: unknown): string[] {
  const targets = isObject(json) ? json.targets : undefined;
  return isObject(targets) ? Object.keys(targets) : [DEFAULT_TARGET];
}

/** A checked target of the file: its own settings, tags and desktop. */
export interface TargetLayer {
  /** Its own settings by path (`windows.ssh_host`), as the file has them. */
  settings: Map<FieldPath, unknown>;
  tags: string[];
  /** The GUI-lock identity, when the file sets one. */
  desktop?: string;
}

/** The checked file's targets, each with what it sets itself. */
export function targetLayers(json: unknown): Map<string, TargetLayer> {
  const out = new Map<string, TargetLayer>();
  const targets = isObject(json) ? json.targets : undefined;
  if (!isObject(targets)) {
    out.set(DEFAULT_TARGET, { settings: new Map(), tags: [] });
    return out;
  }
  for (const [name, value] of Object.entries(targets)) {
    const v = value as Record<string, unknown>;
    const settings = new Map<FieldPath, unknown>();
    for (const section of SECTIONS) {
      const part = v[section];
      if (!isObject(part)) continue;
      for (const [key, x] of Object.entries(part)) {
        settings.set(`${section}.${key}` as FieldPath, x);
      }
    }
    out.set(name, {
      settings,
      tags: (v.tags as string[] | undefined) ?? [],
      desktop: v.desktop as string | undefined,
    });
  }
  return out;
}

/** The groups of a checked file, by name. */
export function groupsOf(json: unknown): Record<string, string[]> {
  const groups = isObject(json) ? json.groups : undefined;
  return isObject(groups) ? groups as Record<string, string[]> : {};
}
