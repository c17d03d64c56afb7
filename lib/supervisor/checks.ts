import { type Delay, delay } from "../retry/mod.ts";
import type { AlohaClient } from "../aloha/mod.ts";
import * as doctor from "../doctor/mod.ts";
import { errorMessage } from "../errors/mod.ts";
import type { Fields, Logger } from "../log/mod.ts";
import { type FirewallRuleSpec, portListening } from "../windows/mod.ts";
import type { PassView, ProbeOutcome, SupervisedCheck } from "./check.ts";
import type { CheckName } from "./failpoint.ts";
import {
  alohaStart,
  firewallRemediation,
  playwrightStart,
  type RemediationDeps,
} from "./remediations.ts";

/** What the checks need. */
export interface CheckDeps extends doctor.ProbeDeps {
  /** An Aloha client (the supervisor's own retries replace the HTTP ones). */
  aloha: AlohaClient;
  /** Receives debug lines. @default undefined */
  logger?: Logger;
  /** How long a started service may take to listen, in ms. @default 30_000 */
  startWaitMs?: number;
  /** Pause between port probes while waiting, in ms. @default 500 */
  pollMs?: number;
  /** Sleeps; injected in tests. @default setTimeout */
  sleep?: Delay;
  /** The clock, in ms. @default Date.now */
  now?: () => number;
  /**
   * The checks to keep, still in the fixed order (a fleet checks Hatchet
   * once, apart from its targets). @default every check
   */
  only?: readonly CheckName[];
}

/** The checks' dependencies with every default filled in. */
type Deps = doctor.ProbeDeps & RemediationDeps;

/**
 * The five supervised checks in their fixed order: SSH reachability, Aloha
 * server, Aloha client, Hatchet-lite health, Playwright server. The probes
 * are doctor's; the remediations are the supervisor's own. Windows-side
 * probes and every remediation need SSH; when the ssh check failed they are
 * left out (probes) or skipped (remediations).
 */
export function supervisedChecks(deps: CheckDeps): SupervisedCheck[] {
  const {
    logger,
    startWaitMs = 30_000,
    pollMs = 500,
    sleep = delay,
    now = Date.now,
    only,
    ...probeDeps
  } = deps;
  const resolved = { ...probeDeps, logger, startWaitMs, pollMs, sleep, now };
  const all: [CheckName, () => SupervisedCheck][] = [
    ["ssh", () => sshCheck(resolved)],
    ["aloha_server", () => alohaCheck(resolved, "server")],
    ["aloha_client", () => alohaCheck(resolved, "client")],
    ["hatchet", () => hatchetCheck(resolved)],
    ["playwright", () => playwrightCheck(resolved)],
  ];
  return all.filter(([name]) => !only || only.includes(name))
    .map(([, make]) => make());
}

/** A probe's outcome from the problems it found (none: healthy). */
function outcomeOf(problems: string[], fields: Fields): ProbeOutcome {
  return {
    ok: problems.length === 0,
    reason: problems.join("; ") || undefined,
    fields,
  };
}

/** Runs one step of a probe; a failure adds its message to `problems`. */
async function collect(
  problems: string[],
  step: () => Promise<unknown>,
): Promise<void> {
  try {
    await step();
  } catch (error) {
    problems.push(errorMessage(error));
  }
}

/** What is wrong with a service's firewall rule, if it has one and ssh allows looking. */
async function ruleProblem(
  deps: Deps,
  view: PassView,
  spec: FirewallRuleSpec | undefined,
): Promise<string | null> {
  if (!spec || !view.healthy("ssh")) return null;
  const { problem } = await doctor.probeFirewallRule(deps, spec);
  return problem ? `${problem.problem}: ${spec.name}` : null;
}

function sshCheck(deps: Deps): SupervisedCheck {
  return {
    name: "ssh",
    probe: async () => {
      const v = await doctor.probeSsh(deps);
      return {
        ok: true,
        fields: { ps_version: v.ps_version, hostname: v.hostname },
      };
    },
    remediations: [],
  };
}

function alohaCheck(deps: Deps, side: doctor.AlohaSide): SupervisedCheck {
  const endpoint = doctor.alohaEndpoint(deps.config, side);
  const spec = doctor.firewallSpecOf(deps.config, side);
  return {
    name: side === "server" ? "aloha_server" : "aloha_client",
    probe: async (view) => {
      const problems: string[] = [];
      const problem = await ruleProblem(deps, view, spec);
      if (problem) problems.push(problem);
      await collect(problems, () => doctor.probeAloha(deps, side));
      return outcomeOf(problems, {
        url: endpoint.url,
        via: endpoint.via,
        rule: spec?.name,
      });
    },
    remediations: [
      ...firewallRemediation(deps, spec),
      alohaStart(deps, { side, port: endpoint.port }),
    ],
  };
}

function hatchetCheck(deps: Deps): SupervisedCheck {
  return {
    name: "hatchet",
    probe: async () => {
      const found = await doctor.probeHatchet(deps, { retryDelaysMs: [] });
      return {
        ok: found.problem === undefined,
        reason: found.problem,
        fields: { url: deps.config.hatchet.healthUrl },
      };
    },
    remediations: [],
  };
}

/**
 * Connects when a ws path is set; without one, whether the port listens
 * (through ssh), else nothing can be probed.
 */
function playwrightCheck(deps: Deps): SupervisedCheck {
  const { config, ssh } = deps;
  const spec = doctor.firewallSpecOf(config, "playwright");
  const target = doctor.playwrightTarget(deps);
  return {
    name: "playwright",
    probe: async (view) => {
      const problems: string[] = [];
      const problem = await ruleProblem(deps, view, spec);
      if (problem) problems.push(problem);
      const port = config.playwright.port;
      let probe: string;
      if (doctor.playwrightConfigured(target)) {
        probe = "connect";
        await collect(problems, () => doctor.probePlaywright(deps, target));
      } else if (view.healthy("ssh")) {
        probe = "port_listening";
        const timeoutMs = config.limits.stepMs;
        if (!await portListening(ssh, port, { timeoutMs })) {
          problems.push(`nothing listens on port ${port}`);
        }
      } else {
        probe = "none";
        problems.push(
          "cannot probe: WIN_AUTOMATION_PLAYWRIGHT_WS_PATH is not set and ssh is unhealthy",
        );
      }
      return outcomeOf(problems, {
        port,
        via: config.playwright.via,
        rule: spec?.name,
        probe,
      });
    },
    remediations: [...firewallRemediation(deps, spec), playwrightStart(deps)],
  };
}
