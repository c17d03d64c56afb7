/**
 * Which targets a fleet command works on (`--targets`), and one target's view
 * of the resolved config.
 * @module
 */
import { ConfigError } from "../errors/mod.ts";
import type { ResolvedConfig } from "./resolved.ts";
import { DEFAULT_TARGET } from "./targets.ts";

/**
 * Whether the config names targets of its own: a file with `targets` (other
 * than a lone `default`). Without them the config is today's single host,
 * and commands print what they printed before targets existed.
 */
export function namesTargets(config: ResolvedConfig): boolean {
  const names = Object.keys(config.targets);
  return names.length !== 1 || names[0] !== DEFAULT_TARGET;
}

/** One item of a pattern: letters, digits, `-`, and the globs `*` `?`. */
const ITEM = /^(tag:)?[a-z0-9*?][a-z0-9*?-]{0,63}$/;

function globOf(item: string): RegExp {
  const body = item.replace(/[*?]/g, (c) => c === "*" ? "[a-z0-9-]*" : ".");
  return new RegExp(`^${body}$`);
}

/**
 * The targets a pattern names, in the config's order, each once. The pattern
 * is comma-separated; each item is a target's name, a group's name, a glob
 * over target names (`win-*`, `win-0?`) or `tag:<tag>` (the targets with that
 * tag). An item that names nothing is a config error naming what is known:
 * a typo never silently checks fewer hosts.
 */
export function selectTargets(
  config: Pick<ResolvedConfig, "targets" | "groups">,
  pattern: string,
  where = "--targets",
): string[] {
  const names = Object.keys(config.targets);
  const items = pattern.split(",").map((s) => s.trim());
  const chosen = new Set<string>();
  for (const item of items) {
    if (!ITEM.test(item)) {
      throw new ConfigError(
        where,
        `must be target names, group names, globs (win-*) or tag:<tag>, comma-separated, got ${
          JSON.stringify(item)
        }`,
      );
    }
    let found: string[];
    if (item.startsWith("tag:")) {
      const tag = item.slice(4);
      found = names.filter((n) => config.targets[n]!.tags.includes(tag));
    } else if (/[*?]/.test(item)) {
      const glob = globOf(item);
      found = names.filter((n) => glob.test(n));
    } else if (names.includes(item)) {
      found = [item];
    } else {
      found = config.groups[item] ?? [];
    }
    if (found.length === 0) {
      const groups = Object.keys(config.groups);
      throw new ConfigError(
        where,
        `${JSON.stringify(item)} names no target (targets: ${names.join(", ")}${
          groups.length > 0 ? `; groups: ${groups.join(", ")}` : ""
        })`,
      );
    }
    for (const n of found) chosen.add(n);
  }
  return names.filter((n) => chosen.has(n));
}

/**
 * The config as one target sees it: its `windows`, `aloha` and `playwright`
 * settings, and `target` its name. Everything else is shared.
 */
export function configForTarget(
  config: ResolvedConfig,
  name: string,
): ResolvedConfig {
  const target = config.targets[name];
  if (!target) {
    throw new ConfigError(
      "--target",
      `names an unknown target ${JSON.stringify(name)} (known: ${
        Object.keys(config.targets).join(", ")
      })`,
    );
  }
  return {
    ...config,
    windows: target.windows,
    aloha: target.aloha,
    playwright: target.playwright,
    target: name,
  };
}
