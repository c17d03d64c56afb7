import { type Delay, delay } from "../retry/mod.ts";
import { errorMessage } from "../errors/mod.ts";
import type { Fields } from "../log/mod.ts";
import { CircuitBreaker } from "./breaker.ts";
import type {
  PassView,
  ProbeOutcome,
  RemediationOutcome,
  SupervisedCheck,
} from "./check.ts";
import type { CheckName } from "./failpoint.ts";

/** One result line of a pass: payload for stdout. */
export interface PassLine {
  level: "info" | "warn" | "error";
  msg: string;
  fields: Fields;
}

/** How one check ended in a pass. */
export interface CheckReport {
  check: CheckName;
  /** `ok` first time, `remediated` after remediation, else `unhealthy`. */
  state: "ok" | "remediated" | "unhealthy";
  /** Probes made in this pass (0 when the breaker was open). */
  attempts: number;
  /** The endpoint's breaker after the check. */
  circuitBreaker: string;
  /** The remediations that changed something. */
  changed: string[];
  /** Why it is unhealthy. */
  reason?: string;
}

/** The outcome of a whole pass. */
export interface PassResult {
  healthy: boolean;
  /** Unhealthy checks, in order. */
  failed: CheckName[];
  checks: CheckReport[];
}

/** Options for {@linkcode runPass}. */
export interface PassOptions {
  /** The checks, in order. */
  checks: SupervisedCheck[];
  /** The breakers by check name; missing ones are created (and kept) here. */
  breakers: Map<CheckName, CircuitBreaker>;
  /** A check forced to fail (`WIN_AUTOMATION_SUPERVISOR_FAILPOINT`). @default null */
  failpoint?: CheckName | null;
  /** Probes per check and pass (the breaker may stop it sooner). @default 3 */
  attempts?: number;
  /** Pauses before a re-probe when no remediation changed anything. @default [500, 1000] */
  backoffMs?: number[];
  /** Receives each result line. */
  report: (line: PassLine) => void;
  /** Sleeps; injected in tests. @default setTimeout */
  sleep?: Delay;
  /** Makes a breaker for an endpoint seen for the first time. @default new CircuitBreaker() */
  newBreaker?: () => CircuitBreaker;
}

function message(error: unknown): string {
  return errorMessage(error);
}

/**
 * Runs every check in order. A failed probe runs the check's remediations and
 * probes again, up to `attempts` probes, each recorded by the endpoint's
 * circuit breaker; an open breaker skips the check; a half-open one gets one
 * trial (remediations, then one probe). Never throws for a check's failure.
 */
export async function runPass(options: PassOptions): Promise<PassResult> {
  const {
    checks,
    breakers,
    failpoint = null,
    attempts = 3,
    backoffMs = [500, 1000],
    report,
    sleep = delay,
    newBreaker = () => new CircuitBreaker(),
  } = options;
  const healthy = new Set<CheckName>();
  const view: PassView = { healthy: (name) => healthy.has(name) };
  const reports: CheckReport[] = [];

  const remediate = async (check: SupervisedCheck): Promise<string[]> => {
    const changed: string[] = [];
    for (const step of check.remediations) {
      let outcome: RemediationOutcome | undefined;
      let err: string | undefined;
      try {
        outcome = await step.run(view);
      } catch (error) {
        err = message(error);
      }
      if (outcome?.state === "changed") changed.push(step.name);
      report({
        level: err ? "error" : outcome?.state === "skipped" ? "warn" : "info",
        msg: err ? "remediation failed" : outcome!.msg,
        fields: {
          check: check.name,
          remediation: step.name,
          state: err ? "failed" : outcome!.state,
          ...outcome?.fields,
          err,
        },
      });
    }
    return changed;
  };

  const probe = async (check: SupervisedCheck): Promise<ProbeOutcome> => {
    if (failpoint === check.name) {
      return { ok: false, reason: `failpoint ${failpoint}` };
    }
    try {
      return await check.probe(view);
    } catch (error) {
      return { ok: false, reason: message(error) };
    }
  };

  for (const check of checks) {
    let breaker = breakers.get(check.name);
    if (!breaker) breakers.set(check.name, breaker = newBreaker());
    const fp = failpoint === check.name ? failpoint : undefined;
    const changed: string[] = [];
    let made = 0;
    let last: ProbeOutcome = { ok: false, reason: "circuit breaker open" };
    // A half-open breaker's one trial: remediate (a no-op when healthy), probe once.
    if (breaker.state === "half_open") changed.push(...await remediate(check));
    while (made < attempts && breaker.allows) {
      made++;
      last = await probe(check);
      if (last.ok) {
        breaker.success();
        break;
      }
      breaker.failure();
      report({
        level: "warn",
        msg: "check failed",
        fields: {
          check: check.name,
          attempt: made,
          state: "failed",
          circuit_breaker: breaker.state,
          failpoint: fp,
          err: last.reason,
        },
      });
      if (!breaker.allows || made >= attempts) break;
      const acted = await remediate(check);
      changed.push(...acted);
      if (acted.length === 0) await sleep(backoffMs[made - 1] ?? 0);
    }
    const state = last.ok
      ? (changed.length > 0 ? "remediated" : "ok")
      : "unhealthy";
    if (last.ok) healthy.add(check.name);
    const entry: CheckReport = {
      check: check.name,
      state,
      attempts: made,
      circuitBreaker: breaker.state,
      changed,
      reason: last.ok ? undefined : last.reason,
    };
    reports.push(entry);
    report({
      level: last.ok ? "info" : "error",
      msg: last.ok ? `${check.name} healthy` : `${check.name} unhealthy`,
      fields: {
        check: check.name,
        state,
        attempts: made,
        circuit_breaker: entry.circuitBreaker,
        changed: changed.length > 0
          ? [...new Set(changed)].join(",")
          : undefined,
        failpoint: fp,
        ...last.fields,
        err: entry.reason,
      },
    });
  }
  const failed = reports.filter((r) => r.state === "unhealthy").map((r) =>
    r.check
  );
  return { healthy: failed.length === 0, failed, checks: reports };
}
