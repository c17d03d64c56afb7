import { OperationalError } from "../errors/mod.ts";
import type { SshClient } from "../ssh/mod.ts";
import { execInSession } from "./exec.ts";
import { desktopLocked } from "./probes.ts";

/** Options for {@linkcode idempotencyGate}. */
export interface IdempotencyOptions {
  /** Time limit for each remote step in ms. */
  timeoutMs: number;
  /** Fail with `state=blocked` when the desktop is locked. @default false */
  requireUnlocked?: boolean;
  /** Cancels the checks. @default undefined */
  signal?: AbortSignal;
}

/**
 * Runs the `--idempotent-check` PowerShell first: exit 0 means the work is
 * already done (`"skip"`), anything else means run it (`"run"`). A locked
 * desktop fails fast with `state=blocked` (exit 1) when required.
 */
export async function idempotencyGate(
  ssh: SshClient,
  check: string,
  options: IdempotencyOptions,
): Promise<"skip" | "run"> {
  const { timeoutMs, requireUnlocked = false, signal } = options;
  if (requireUnlocked && await desktopLocked(ssh, { timeoutMs, signal })) {
    throw new OperationalError("Cannot run: the Windows desktop is locked", {
      fields: { state: "blocked" },
    });
  }
  const code = await execInSession(ssh, check, { timeoutMs, signal });
  return code === 0 ? "skip" : "run";
}
