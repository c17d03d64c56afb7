import { type Delay, delay } from "../retry/mod.ts";
import type { AlohaClient } from "../aloha/mod.ts";
import type { ResolvedConfig } from "../config/mod.ts";
import { errorMessage, OperationalError } from "../errors/mod.ts";
import { hatchetHealth } from "../hatchet/mod.ts";
import type { Logger } from "../log/mod.ts";
import { playwrightHealth, targetOf } from "../playwright/mod.ts";
import type { SshClient } from "../ssh/mod.ts";
import {
  ensureFirewallRule,
  firewallProblem,
  firewallRule,
  portListening,
  remoteVersion,
  repairFirewallRule,
  requiredFirewallRules,
  runScheduledTask,
  TASK_NAMES,
} from "../windows/mod.ts";
import type {
  PassView,
  ProbeOutcome,
  Remediation,
  RemediationOutcome,
  SupervisedCheck,
} from "./check.ts";

/** The scheduled task that runs the Playwright server on Windows. */
export const PLAYWRIGHT_TASK = "WinAutomation-Playwright";

/** What the checks need. */
export interface CheckDeps {
  config: ResolvedConfig;
  ssh: SshClient;
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
}

function portOf(url: string): number {
  const u = new URL(url);
  return u.port ? Number(u.port) : u.protocol === "https:" ? 443 : 80;
}

const SKIP_NO_SSH: RemediationOutcome = {
  state: "skipped",
  msg: "not remediated: ssh unhealthy",
};

/**
 * The five supervised checks in their fixed order: SSH reachability, Aloha
 * server, Aloha client, Hatchet-lite health, Playwright server. Windows-side
 * probes and every remediation need SSH; when the ssh check failed they are
 * left out (probes) or skipped (remediations).
 */
export function supervisedChecks(deps: CheckDeps): SupervisedCheck[] {
  const {
    config,
    ssh,
    aloha,
    logger,
    startWaitMs = 30_000,
    pollMs = 500,
    sleep = delay,
    now = Date.now,
  } = deps;
  const opts = { timeoutMs: config.timeoutMs };
  // Rules exist only for services reached directly (aloha.via,
  // playwright.via = direct); through ssh there is none to check or create.
  const rules = new Map(requiredFirewallRules(config).map((r) => [r[0], r]));
  const ruleFor = (prefix: string, port: number) =>
    rules.get(`${prefix}-${port}`);
  const serverPort = portOf(config.aloha.serverUrl);
  const clientPort = portOf(config.aloha.clientUrl);
  const serverRule = ruleFor("Aloha", serverPort);
  const clientRule = ruleFor("Aloha", clientPort);
  const playwrightRule = ruleFor("Playwright", config.playwright.port);
  const allowFrom = config.windows.allowFrom;

  /** What is wrong with a firewall rule, if ssh allows looking. */
  const ruleProblem = async (
    view: PassView,
    rule: [string, number] | undefined,
  ): Promise<string | null> => {
    if (!rule || !view.healthy("ssh")) return null;
    const [name, port] = rule;
    const found = firewallProblem(
      name,
      port,
      allowFrom,
      await firewallRule(ssh, name, opts),
    );
    return found ? `${found.problem}: ${name}` : null;
  };

  const firewall = (
    rule: [string, number] | undefined,
  ): Remediation[] =>
    rule === undefined ? [] : [{
      name: "firewall",
      run: async (view) => {
        if (!view.healthy("ssh")) return SKIP_NO_SSH;
        const [name, port] = rule;
        const state = await firewallRule(ssh, name, opts);
        const fields = { rule: name, port };
        if (!state.exists) {
          await ensureFirewallRule(ssh, { name, port, allowFrom }, opts);
          return { state: "changed", msg: "firewall rule created", fields };
        }
        if (!firewallProblem(name, port, allowFrom, state)) {
          return { state: "unchanged", msg: "firewall rule present", fields };
        }
        const repaired = await repairFirewallRule(
          ssh,
          { name, port, allowFrom },
          opts,
        );
        return repaired.changed.length > 0
          ? {
            state: "changed",
            msg: `firewall rule repaired: ${repaired.changed.join(", ")}`,
            fields,
          }
          : { state: "unchanged", msg: "firewall rule present", fields };
      },
    }];

  /** Waits, bounded, for a Windows port to listen after a start. */
  const waitListening = async (port: number, what: string) => {
    const deadline = now() + startWaitMs;
    while (!await portListening(ssh, port, opts)) {
      if (now() >= deadline) {
        throw new OperationalError(
          `Cannot start ${what}: port ${port} did not listen within ${startWaitMs} ms`,
        );
      }
      await sleep(pollMs);
    }
  };

  const alohaStart = (
    which: "server" | "client",
    port: number,
  ): Remediation => ({
    name: "start",
    run: async (view) => {
      if (!view.healthy("ssh")) return SKIP_NO_SSH;
      const what = `aloha ${which}`;
      const fields = { port };
      if (await portListening(ssh, port, opts)) {
        return { state: "unchanged", msg: `${what} port listening`, fields };
      }
      const task = which === "server"
        ? TASK_NAMES.alohaServer
        : TASK_NAMES.alohaClient;
      logger?.scope("supervisor", "supervisor").debug(`starting ${what}`, {
        ...fields,
        task,
      });
      const run = await runScheduledTask(ssh, task, opts);
      if (run.state === "missing") {
        throw new OperationalError(
          `Cannot start ${what}: scheduled task ${task} is missing (register it with: win-automation aloha install --desktop-user <user>)`,
        );
      }
      await waitListening(port, what);
      return { state: "changed", msg: `${what} started`, fields };
    },
  });

  const alohaProbe = (
    which: "server" | "client",
    rule: [string, number] | undefined,
  ) =>
  async (view: PassView): Promise<ProbeOutcome> => {
    const problems: string[] = [];
    const problem = await ruleProblem(view, rule);
    if (problem) problems.push(problem);
    try {
      if (which === "server") await aloha.serverHealth();
      else await aloha.clientReachable();
    } catch (error) {
      problems.push(errorMessage(error));
    }
    return {
      ok: problems.length === 0,
      reason: problems.join("; ") || undefined,
      fields: {
        url: which === "server"
          ? config.aloha.serverUrl
          : config.aloha.clientUrl,
        via: config.aloha.via,
        rule: rule?.[0],
      },
    };
  };

  // Through ssh, the probe's WebSocket (and the ws path in it) goes to the
  // server on the Windows side through sshd, whose host key is checked:
  // never to whatever listens on a local port.
  const target = targetOf(config, ssh);
  const playwrightProbe = async (view: PassView): Promise<ProbeOutcome> => {
    const problems: string[] = [];
    const problem = await ruleProblem(view, playwrightRule);
    if (problem) problems.push(problem);
    const port = config.playwright.port;
    let probe: string;
    if (target.wsPath !== "") {
      probe = "connect";
      try {
        await playwrightHealth(target, { timeoutMs: config.timeoutMs });
      } catch (error) {
        problems.push(errorMessage(error));
      }
    } else if (view.healthy("ssh")) {
      probe = "port_listening";
      if (!await portListening(ssh, port, opts)) {
        problems.push(`nothing listens on port ${port}`);
      }
    } else {
      probe = "none";
      problems.push(
        "cannot probe: WIN_AUTOMATION_PLAYWRIGHT_WS_PATH is not set and ssh is unhealthy",
      );
    }
    return {
      ok: problems.length === 0,
      reason: problems.join("; ") || undefined,
      fields: {
        port,
        via: config.playwright.via,
        rule: playwrightRule?.[0],
        probe,
      },
    };
  };

  const playwrightTask: Remediation = {
    name: "schtasks_run",
    run: async (view) => {
      if (!view.healthy("ssh")) return SKIP_NO_SSH;
      const port = config.playwright.port;
      const fields = { task: PLAYWRIGHT_TASK, port };
      const answer = await runScheduledTask(ssh, PLAYWRIGHT_TASK, opts);
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
      await waitListening(port, "the Playwright server");
      return { state: "changed", msg: "task started", fields };
    },
  };

  return [
    {
      name: "ssh",
      probe: async () => {
        const v = await remoteVersion(ssh, opts);
        return {
          ok: true,
          fields: { ps_version: v.ps_version, hostname: v.hostname },
        };
      },
      remediations: [],
    },
    {
      name: "aloha_server",
      probe: alohaProbe("server", serverRule),
      remediations: [
        ...firewall(serverRule),
        alohaStart("server", serverPort),
      ],
    },
    {
      name: "aloha_client",
      probe: alohaProbe("client", clientRule),
      remediations: [
        ...firewall(clientRule),
        alohaStart("client", clientPort),
      ],
    },
    {
      name: "hatchet",
      probe: async () => {
        const health = await hatchetHealth(config.hatchet.healthUrl, {
          timeoutMs: config.timeoutMs,
          http: { retryDelaysMs: [] },
        });
        const ok = health.live && health.ready;
        return {
          ok,
          reason: ok
            ? undefined
            : health.live
            ? "hatchet-lite live but not ready"
            : "hatchet-lite not live",
          fields: { url: config.hatchet.healthUrl },
        };
      },
      remediations: [],
    },
    {
      name: "playwright",
      probe: playwrightProbe,
      remediations: [...firewall(playwrightRule), playwrightTask],
    },
  ];
}
