import { InvalidArgumentError, valueFlag } from "../lib/cli/mod.ts";
import { quote, UsageError } from "../lib/errors/mod.ts";
import { pageUrlProblem } from "../lib/page_url/mod.ts";
import {
  DURATION_MAX_MS,
  DURATION_MIN_MS,
  formatDuration,
  LONG_DURATION_MAX_MS,
  parseDuration,
} from "../lib/duration/mod.ts";

/** Flag parser for a duration flag (1s to `maxMs`, 1h unless told), in ms. */
export function durationArg(maxMs: number = DURATION_MAX_MS) {
  return (value: string): number => {
    const ms = parseDuration(value);
    if (ms === undefined) {
      throw new InvalidArgumentError(
        `must be a duration such as "10s" or "5m", got "${value}"`,
      );
    }
    if (ms < DURATION_MIN_MS || ms > maxMs) {
      throw new InvalidArgumentError(
        `must be from 1s to ${formatDuration(maxMs)}, got "${value}"`,
      );
    }
    return ms;
  };
}

/** Flag parser for the time limit of a run or a job (1s to 24h), in ms. */
export function longDurationArg() {
  return durationArg(LONG_DURATION_MAX_MS);
}

/** Flag parser for an integer flag within bounds. */
export function intArg(min: number, max: number) {
  return (value: string): number => {
    if (!/^-?\d+$/.test(value) || Number(value) < min || Number(value) > max) {
      throw new InvalidArgumentError(
        `must be an integer from ${min} to ${max}, got "${value}"`,
      );
    }
    return Number(value);
  };
}

/** Flag parser for a name-like value (letters, digits, `.`, `_`, `-`). */
export function nameArg(max = 128) {
  return (value: string): string => {
    if (!new RegExp(`^[A-Za-z0-9][A-Za-z0-9._-]{0,${max - 1}}$`).test(value)) {
      throw new InvalidArgumentError(
        `must be 1-${max} letters, digits, ".", "_" or "-", got ${
          JSON.stringify(value)
        }`,
      );
    }
    return value;
  };
}

/** Flag parser for non-empty text. */
export function textArg(value: string): string {
  if (value.trim() === "") throw new InvalidArgumentError("must not be empty");
  return value;
}

/**
 * Flag parser for a page URL: it must parse as a URL. Which schemes are
 * allowed (http/https, others only with `playwright.allow_file_urls=on`) is
 * checked once the config is loaded: {@linkcode checkPageUrl}.
 */
export function pageUrlArg(value: string): string {
  try {
    new URL(value);
  } catch {
    throw new InvalidArgumentError(
      `must be an http or https URL, got ${quote(value)}`,
    );
  }
  return value;
}

/** Checks `--url` against the config's URL policy; a UsageError when refused. */
export function checkPageUrl(url: string, allowFileUrls: boolean): string {
  const why = pageUrlProblem(url, { allowFileUrls });
  if (why) throw new UsageError(`usage error: --url ${why}`);
  return url;
}

/** A target's name: a-z, 0-9 and "-", at most 31 characters. */
const TARGET_NAME = /^[a-z0-9][a-z0-9-]{0,30}$/;

/**
 * `--target <name>`: the Windows target a command works on. A name that is
 * not in the config is refused when the config loads (exit 2, naming the
 * known ones).
 */
export function targetFlag(
  description =
    "the Windows target (default: WIN_AUTOMATION_TARGET, default_target, or the only one)",
) {
  return valueFlag(
    "--target <name>",
    description,
    (value: string): string => {
      if (!TARGET_NAME.test(value)) {
        throw new InvalidArgumentError(
          `must be a target name (a-z, 0-9 and "-", at most 31 characters), got "${value}"`,
        );
      }
      return value;
    },
  );
}

/** What `--targets` takes, in help texts and usage errors. */
export const TARGETS_HELP =
  "target names, groups (or @group), globs (win-*), tag:<tag> or all, comma-separated; !item excludes";

/**
 * `--targets <pattern>`: several targets. Comma-separated target names,
 * group names (`@group`: only a group), globs over names (`win-*`),
 * `tag:<tag>` or `all`, each may start with `!` to exclude; what each names
 * is resolved when the config loads (exit 2 for one that names none, or a
 * pattern that leaves none: lib/config's `selectTargets`).
 */
export function targetsFlag(what = "several targets in turn") {
  return valueFlag(
    "--targets <pattern>",
    `${what}: ${TARGETS_HELP}`,
    (value: string): string => {
      if (
        !/^[a-z0-9*?:,@!-]{1,1024}$/.test(value) || /(^|,)(,|$)/.test(value)
      ) {
        throw new InvalidArgumentError(
          `must be ${TARGETS_HELP}, got "${value}"`,
        );
      }
      return value;
    },
  );
}

/** `--target` and `--targets` together: which one is meant is unclear. */
export function oneTargetChoice(
  opts: { target?: string; targets?: string },
): void {
  if (opts.target !== undefined && opts.targets !== undefined) {
    throw new UsageError(
      "usage error: --target and --targets exclude each other: give one",
    );
  }
}
