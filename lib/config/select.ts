/**
 * Which targets a fleet command works on (`--targets`), and one target's view
 * of the resolved config.
 * @module
 */
import { ConfigError } from "../errors/mod.ts";
import type { ResolvedConfig } from "./resolved.ts";
import { ALL_TARGETS, DEFAULT_TARGET } from "./targets.ts";

/**
 * Whether the config names targets of its own: a file with `targets` (other
 * than a lone `default`). Without them the config is today's single host,
 * and commands print what they printed before targets existed.
 */
export function namesTargets(config: ResolvedConfig): boolean {
  const names = Object.keys(config.targets);
  return names.length !== 1 || names[0] !== DEFAULT_TARGET;
}

/** A name after `@` or `tag:`: letters, digits and `-`. */
const NAME = "[a-z0-9][a-z0-9-]{0,63}";

/**
 * One item of a pattern, after an optional `!`: `all`, `@<group>`,
 * `tag:<tag>`, or a target or group name that may hold the globs `*` `?`.
 */
const ITEM = new RegExp(
  `^(?:${ALL_TARGETS}|@${NAME}|tag:${NAME}|[a-z0-9*?][a-z0-9*?-]{0,63})$`,
);

function globOf(item: string): RegExp {
  const body = item.replace(/[*?]/g, (c) => c === "*" ? "[a-z0-9-]*" : ".");
  return new RegExp(`^${body}$`);
}

type Fleet = Pick<ResolvedConfig, "targets" | "groups">;

/** The targets one item (without its `!`) names; empty when none. */
function namedBy(config: Fleet, item: string): string[] {
  const names = Object.keys(config.targets);
  if (item === ALL_TARGETS) return names;
  if (item.startsWith("@")) return config.groups[item.slice(1)] ?? [];
  if (item.startsWith("tag:")) {
    const tag = item.slice(4);
    return names.filter((n) => config.targets[n]!.tags.includes(tag));
  }
  if (/[*?]/.test(item)) {
    const glob = globOf(item);
    return names.filter((n) => glob.test(n));
  }
  // A target's name wins over a group of the same name; `@name` is the group.
  if (names.includes(item)) return [item];
  return config.groups[item] ?? [];
}

/**
 * The targets a pattern names, in the config's order, each once. The
 * pattern is comma-separated items: a target's name, a group's name (or
 * `@group`, only a group), a glob over target names (`win-*`, `win-0?`),
 * `tag:<tag>`, or `all`; `!` before any of them excludes what it names.
 * The result is every target some inclusion names, minus every target some
 * exclusion names, whatever the items' order (a pattern of exclusions only
 * starts from `all`). A bare name that is both a target and a group is the
 * target. An item that names nothing, and a pattern that leaves no target,
 * are config errors naming what is known: a typo never silently checks
 * fewer hosts.
 */
export function selectTargets(
  config: Fleet,
  pattern: string,
  where = "--targets",
): string[] {
  const names = Object.keys(config.targets);
  const groups = Object.keys(config.groups);
  const known = `targets: ${names.join(", ")}${
    groups.length > 0 ? `; groups: ${groups.join(", ")}` : ""
  }`;
  const included = new Set<string>();
  const excluded = new Set<string>();
  let inclusions = 0;
  for (const entry of pattern.split(",").map((s) => s.trim())) {
    const exclude = entry.startsWith("!");
    const item = exclude ? entry.slice(1) : entry;
    if (!ITEM.test(item)) {
      throw new ConfigError(
        where,
        `must be target names, group names (or @group), globs (win-*), tag:<tag> or all, each may start with ! to exclude, comma-separated, got ${
          JSON.stringify(entry)
        }`,
      );
    }
    const found = namedBy(config, item);
    if (found.length === 0) {
      throw new ConfigError(
        where,
        `${JSON.stringify(entry)} names no target (${known})`,
      );
    }
    if (!exclude) inclusions++;
    for (const n of found) (exclude ? excluded : included).add(n);
  }
  const chosen = names.filter((n) =>
    (inclusions === 0 || included.has(n)) && !excluded.has(n)
  );
  if (chosen.length === 0) {
    throw new ConfigError(
      where,
      `${JSON.stringify(pattern)} leaves no target (${known})`,
    );
  }
  return chosen;
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
