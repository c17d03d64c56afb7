import type { Delay } from "../retry/mod.ts";
import type { ResolvedConfig } from "../config/mod.ts";
import { type AlohaSide, probeFirewallRule } from "../doctor/mod.ts";
import { OperationalError } from "../errors/mod.ts";
import type { Logger } from "../log/mod.ts";
import type { SshClient } from "../ssh/mod.ts";
import {
  ensureFirewallRule,
  type FirewallRuleSpec,
  portListening,
  repairFirewallRule,
  runScheduledTask,
  TASK_NAMES,
} from "../windows/mod.ts";
import type { Remediation, RemediationOutcome } from "./check.ts";

/** The scheduled task that runs the Playwright server on Windows. */
export const PLAYWRIGHT_TASK = TASK_NAMES.playwright;

/** What the remediations need, every default filled in. */
export interface RemediationDeps {
  config: ResolvedConfig;
  ssh: SshClient;
  /** Receives debug lines. */
  logger: Logger | undefined;
  /** How long a started service may take to listen, in ms. */
  startWaitMs: number;
  /** Pause between port probes while waiting, in ms. */
  pollMs: number;
  /** Sleeps. */
  sleep: Delay;
  /** The clock, in ms. */
  now: () => number;
}

const SKIP_NO_SSH: RemediationOutcome = {
  state: "skipped",
  msg: "not remediated: ssh unhealthy",
};

/** One remote step's limit. */
function stepOf(deps: RemediationDeps) {
  return { timeoutMs: deps.config.limits.stepMs };
}

/**
 * Creates a missing firewall rule, or repairs one that is wrong, limited to
 * `windows.allow_from`; none when the service needs no rule (reached
 * through ssh).
 */
export function firewallRemediation(
  deps: RemediationDeps,
  spec: FirewallRuleSpec | undefined,
): Remediation[] {
  if (spec === undefined) return [];
  const { ssh } = deps;
  return [{
    name: "firewall",
    run: async (view) => {
      if (!view.healthy("ssh")) return SKIP_NO_SSH;
      const fields = { rule: spec.name, port: spec.port };
      const found = await probeFirewallRule(deps, spec);
      if (!found.rule.exists) {
        await ensureFirewallRule(ssh, spec, stepOf(deps));
        return { state: "changed", msg: "firewall rule created", fields };
      }
      if (!found.problem) {
        return { state: "unchanged", msg: "firewall rule present", fields };
      }
      const repaired = await repairFirewallRule(ssh, spec, stepOf(deps));
      return repaired.changed.length > 0
        ? {
          state: "changed",
          msg: `firewall rule repaired: ${repaired.changed.join(", ")}`,
          fields,
        }
        : { state: "unchanged", msg: "firewall rule present", fields };
    },
  }];
}

/** Waits, bounded, for a Windows port to listen after a start. */
async function waitListening(
  deps: RemediationDeps,
  target: { port: number; what: string },
): Promise<void> {
  const { ssh, startWaitMs, pollMs, sleep, now } = deps;
  const { port, what } = target;
  const deadline = now() + startWaitMs;
  while (!await portListening(ssh, port, stepOf(deps))) {
    if (now() >= deadline) {
      throw new OperationalError(
        `Cannot start ${what}: port ${port} did not listen within ${startWaitMs} ms`,
      );
    }
    await sleep(pollMs);
  }
}

/**
 * Starts an Aloha side's scheduled task unless its port listens, and waits
 * for the port; a missing task is an error naming `aloha install`.
 */
export function alohaStart(
  deps: RemediationDeps,
  target: { side: AlohaSide; port: number },
): Remediation {
  const { ssh, logger } = deps;
  const { side, port } = target;
  return {
    name: "start",
    run: async (view) => {
      if (!view.healthy("ssh")) return SKIP_NO_SSH;
      const what = `aloha ${side}`;
      const fields = { port };
      if (await portListening(ssh, port, stepOf(deps))) {
        return { state: "unchanged", msg: `${what} port listening`, fields };
      }
      const task = side === "server"
        ? TASK_NAMES.alohaServer
        : TASK_NAMES.alohaClient;
      logger?.scope("supervisor", "supervisor").debug(`starting ${what}`, {
        ...fields,
        task,
      });
      const run = await runScheduledTask(ssh, task, stepOf(deps));
      if (run.state === "missing") {
        throw new OperationalError(
          `Cannot start ${what}: scheduled task ${task} is missing (register it with: win-automation aloha install --desktop-user <user>)`,
        );
      }
      await waitListening(deps, { port, what });
      return { state: "changed", msg: `${what} started`, fields };
    },
  };
}

/**
 * Runs the Playwright server's scheduled task unless it runs, and waits for
 * its port; a missing task is skipped, naming `playwright install`.
 */
export function playwrightStart(deps: RemediationDeps): Remediation {
  const { ssh, config } = deps;
  return {
    name: "schtasks_run",
    run: async (view) => {
      if (!view.healthy("ssh")) return SKIP_NO_SSH;
      const port = config.playwright.port;
      const fields = { task: PLAYWRIGHT_TASK, port };
      const answer = await runScheduledTask(ssh, PLAYWRIGHT_TASK, stepOf(deps));
      if (answer.state === "missing") {
        return {
          state: "skipped",
          msg:
            `scheduled task ${PLAYWRIGHT_TASK} missing: run win-automation playwright install`,
          fields,
        };
      }
      if (answer.state === "running") {
        return { state: "unchanged", msg: "task already running", fields };
      }
      await waitListening(deps, { port, what: "the Playwright server" });
      return { state: "changed", msg: "task started", fields };
    },
  };
}
