import { ConfigError } from "../errors/mod.ts";

/** The supervised checks, in the order a pass runs them. */
export const CHECK_NAMES = [
  "ssh",
  "aloha_server",
  "aloha_client",
  "hatchet",
  "playwright",
] as const;

/** The name of one supervised check. */
export type CheckName = typeof CHECK_NAMES[number];

/** The variable that forces one check to fail. */
export const FAILPOINT_ENV = "WIN_AUTOMATION_SUPERVISOR_FAILPOINT";

/**
 * Reads `WIN_AUTOMATION_SUPERVISOR_FAILPOINT`: unset or empty is none; any
 * value but a check name is a config error (exit 2) naming the variable.
 */
export function parseFailpoint(value: string | undefined): CheckName | null {
  if (value === undefined || value === "") return null;
  if ((CHECK_NAMES as readonly string[]).includes(value)) {
    return value as CheckName;
  }
  throw new ConfigError(
    FAILPOINT_ENV,
    `must be one of ${CHECK_NAMES.join("|")}, got ${
      JSON.stringify(value.slice(0, 40))
    }`,
  );
}
