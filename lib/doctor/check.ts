import {
  DependencyError,
  errorMessage,
  exitCodeOf,
  TimeoutError,
} from "../errors/mod.ts";
import type { Component, Fields } from "../log/mod.ts";

/** The state of one check. */
export type CheckState = "ok" | "warn" | "error";

/** One doctor line. */
export interface CheckResult {
  /** The check's name, e.g. `ssh`, `firewall`. */
  check: string;
  /** The component it belongs to. */
  component: Component;
  /** ok, warn or error. */
  state: CheckState;
  /** What it found, in words. */
  msg: string;
  /** How long it took. */
  durationMs: number;
  /** The exact command that fixes a problem. */
  fix?: string;
  /** Extra fields (e.g. `ps_version`). */
  fields: Fields;
  /** Exit code this result contributes (0 for ok and warn). */
  exitCode: number;
  /** The error text, for problems. */
  err?: string;
}

/** What a check body returns. */
export interface CheckOutcome {
  state: CheckState;
  msg: string;
  fix?: string;
  fields?: Fields;
  /** Exit code for an `error` outcome. @default 1 */
  exitCode?: number;
  err?: string;
}

/** What {@linkcode runCheck} runs: the check's name, component and fix. */
export interface CheckSpec {
  /** The `check=` name (`ssh`, `aloha_server`, ...). */
  check: string;
  component: Component;
  /** What to do when it fails; empty: none. */
  fix: string;
  /** The clock, for `duration_ms`. @default performance.now */
  now?: () => number;
  /** Fields every outcome of this check carries. @default {} */
  always?: Fields;
}

/**
 * Runs one check body, timing it, and turns a thrown error into an `error`
 * result with the error's exit code (3 unreachable, 4 timeout) and `fix`.
 */
export async function runCheck(
  spec: CheckSpec,
  body: () => Promise<CheckOutcome>,
): Promise<CheckResult> {
  const {
    check,
    component,
    fix,
    now = () => performance.now(),
    always = {},
  } = spec;
  const start = now();
  let outcome: CheckOutcome;
  try {
    outcome = await body();
  } catch (error) {
    const unreachable = error instanceof DependencyError ||
      error instanceof TimeoutError;
    outcome = {
      state: "error",
      msg: unreachable ? `${check} unreachable` : `${check} failed`,
      err: errorMessage(error),
      exitCode: exitCodeOf(error),
      fix,
    };
  }
  const durationMs = Math.round(now() - start);
  return {
    check,
    component,
    state: outcome.state,
    msg: outcome.msg,
    durationMs,
    fix: outcome.state === "ok" ? undefined : outcome.fix,
    fields: { ...always, ...outcome.fields },
    exitCode: outcome.state === "error" ? (outcome.exitCode ?? 1) : 0,
    err: outcome.err,
  };
}

/** The exit code of a whole doctor run: the worst of its checks. */
export function worstExitCode(results: CheckResult[]): number {
  return results.reduce((worst, r) => Math.max(worst, r.exitCode), 0);
}
