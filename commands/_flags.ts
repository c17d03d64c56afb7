import { InvalidArgumentError } from "@commander-js/extra-typings";
import { parseDurationFlag } from "../lib/config/mod.ts";

/** Commander parser for a duration flag (1s to 1h), in ms. */
export function durationArg(flag: string) {
  return (value: string): number => {
    try {
      return parseDurationFlag(flag, value);
    } catch (error) {
      throw new InvalidArgumentError(
        (error as Error).message.replace(/^usage error: \S+ /, ""),
      );
    }
  };
}

/** Commander parser for an integer flag within bounds. */
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

/** Commander parser for a name-like value (letters, digits, `.`, `_`, `-`). */
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

/** Commander parser for non-empty text. */
export function textArg(value: string): string {
  if (value.trim() === "") throw new InvalidArgumentError("must not be empty");
  return value;
}
