import {
  type ConfigEntry,
  namesTargets,
  selectTargets,
} from "../lib/config/mod.ts";
import type { AppContext } from "./_context.ts";

/**
 * The targets a per-target command (`doctor`, `supervisor run`) works on:
 * undefined for a config without targets (today's single host: the command
 * runs as it always did; a `--targets` pattern must still name `default`);
 * else the `--targets` pattern's targets, or the chosen one (`--target`,
 * `WIN_AUTOMATION_TARGET`, `default_target`, the only one). Several targets
 * and none chosen is the usual config error (`--target is needed`).
 */
export function selectedTargets(
  ctx: AppContext,
  pattern: string | undefined,
): string[] | undefined {
  const { config } = ctx;
  const names = pattern === undefined
    ? undefined
    : selectTargets(config, pattern);
  if (!namesTargets(config)) return undefined;
  if (names !== undefined) return names;
  if (config.target === "") ctx.ssh(); // throws: --target is needed
  return [config.target];
}

/** The groups a target belongs to, in the config's order. */
export function groupsOf(
  groups: Record<string, string[]>,
  name: string,
): string[] {
  return Object.entries(groups).filter(([, members]) => members.includes(name))
    .map(([group]) => group);
}

/** A row of `config show` and `targets show`: a secret's value is never printed. */
export function entryRow(entry: ConfigEntry) {
  return {
    key: entry.path,
    value: entry.secret
      ? (entry.value === "" ? "" : "<redacted>")
      : entry.value,
    source: entry.source,
    env: entry.env,
  };
}
