import type { Fields } from "../log/mod.ts";
import type { ResolvedConfig, Via } from "../config/mod.ts";
import { CLIENT_VERSION, serverAddress } from "../playwright/mod.ts";
import { pinnedVersion } from "../version/mod.ts";
import { ConfigError, errorMessage } from "../errors/mod.ts";
import {
  cordonState,
  TARGET_LABEL_PREFIX,
  type WorkerInfo,
  workersServing,
} from "../hatchet/mod.ts";
import {
  aclCheck,
  aclFixCommand,
  aclOffenders,
  CHECKED_FOLDERS,
  defaultShellName,
  desktopLocked,
  firewallFixCommand,
  type FirewallRuleSpec,
  TASK_NAMES,
} from "../windows/mod.ts";
import { type CheckOutcome, type CheckResult, runCheck } from "./check.ts";
import {
  alohaEndpoint,
  type AlohaSide,
  firewallSpecs,
  playwrightConfigured,
  playwrightTarget,
  probeAloha,
  type ProbeDeps,
  probeFirewallRule,
  probeHatchet,
  probePlaywright,
  probeSsh,
} from "./probes.ts";

/** What the doctor needs. */
export interface DoctorDeps extends ProbeDeps {
  /** Called with each result as soon as it is known. @default undefined */
  onResult?: (result: CheckResult) => void;
  /**
   * The target checked, for a config that names targets: every line
   * carries `target=`, and the `worker` check (which needs
   * `listWorkers`) follows the others. @default undefined (today's lines)
   */
  target?: string;
  /**
   * Hatchet's line, already checked once for several targets: this run
   * neither checks nor prints it again, and its `worker` check goes by it.
   * @default undefined (checked here)
   */
  hatchetResult?: CheckResult;
  /** Hatchet's workers, for the `worker` check. @default undefined */
  listWorkers?: () => Promise<WorkerInfo[]>;
}

/** What doctor's single firewall line says when no rule is needed. */
export const FIREWALL_NOT_NEEDED = "not needed: services reached through ssh";

/**
 * Runs the checks in order: SSH and PowerShell, Aloha server, Aloha client,
 * firewall rules (one `not needed` line when every service is reached
 * through ssh; a `warn` per rule in direct mode), desktop lock, the ACLs of
 * the tool's Windows folders (`windows_acl`, one line per folder),
 * Hatchet-lite, the Playwright server. Windows-side checks are
 * reported as errors without being run when SSH is down.
 */
export async function runDoctor(deps: DoctorDeps): Promise<CheckResult[]> {
  const { onResult, target, hatchetResult, listWorkers, ...probeDeps } = deps;
  const results: CheckResult[] = [];
  const push = (r: CheckResult) => {
    if (target !== undefined) r.fields = { target, ...r.fields };
    results.push(r);
    onResult?.(r);
    return r;
  };
  const sshFix = sshFixOf(deps.config);
  const sshResult = push(await sshCheck(probeDeps, sshFix));
  const run: Run = { ...probeDeps, sshFix, sshResult };
  push(await alohaCheck(run, "server"));
  push(await alohaCheck(run, "client"));
  const specs = firewallSpecs(run.config);
  if (specs.length === 0) push(await firewallNotNeeded());
  for (const spec of specs) push(await firewallCheck(run, spec));
  push(await desktopCheck(run));
  for (const folder of CHECKED_FOLDERS) push(await aclCheckOf(run, folder));
  const hatchet = hatchetResult ?? push(await hatchetCheck(run));
  push(await playwrightCheck(run));
  if (target !== undefined) {
    push(await workerCheck({ target, hatchet, listWorkers }));
  }
  return results;
}

/** What every check after the ssh check sees: the deps and how ssh went. */
interface Run extends ProbeDeps {
  /** The command that shows whether ssh and PowerShell answer. */
  sshFix: string;
  /** The ssh check's result. */
  sshResult: CheckResult;
}

function sshFixOf(config: ResolvedConfig): string {
  const w = config.windows;
  return `ssh -p ${w.sshPort} ${w.sshUser}@${w.sshHost} powershell -NoProfile -Command '$PSVersionTable.PSVersion'`;
}

/** Options for {@linkcode notChecked}. */
interface NotCheckedOptions {
  /** The line's fields. @default undefined */
  fields?: Fields;
  /** The service is reached through ssh (said in the line). @default false */
  throughSsh?: boolean;
}

/** A Windows-side check cannot run while ssh fails: its line says so. */
function notChecked(
  run: Run,
  options: NotCheckedOptions = {},
): CheckOutcome | undefined {
  const { fields, throughSsh = false } = options;
  if (run.sshResult.state !== "error") return undefined;
  return {
    state: "error",
    msg: throughSsh
      ? "not checked: ssh failed (reached through ssh)"
      : "not checked: ssh failed",
    fix: run.sshFix,
    exitCode: run.sshResult.exitCode,
    ...(fields ? { fields } : {}),
  };
}

/**
 * A service reached through ssh cannot be checked while ssh fails: its
 * line says so (with the ssh fix) instead of retrying the forward.
 */
function sshDown(
  run: Run,
  fields: Fields & { via: Via },
): CheckOutcome | undefined {
  return fields.via === "ssh"
    ? notChecked(run, { fields, throughSsh: true })
    : undefined;
}

function sshCheck(deps: ProbeDeps, sshFix: string): Promise<CheckResult> {
  return runCheck(
    { check: "ssh", component: "ssh", fix: sshFix },
    async () => {
      const v = await probeSsh(deps);
      return {
        state: "ok",
        msg: "ssh and powershell answer",
        fields: {
          ps_version: v.ps_version,
          hostname: v.hostname,
          os: v.os_caption,
          os_build: v.os_build,
          default_shell: defaultShellName(v.default_shell),
          last_boot: v.last_boot,
        },
      };
    },
  );
}

function alohaFix(config: ResolvedConfig, task: string): string {
  return config.aloha.serverStartCmd && config.aloha.clientStartCmd &&
      config.aloha.desktopUser
    ? `win-automation aloha install   # registers and runs ${task}`
    : "set aloha.server_start_cmd, aloha.client_start_cmd and aloha.desktop_user, then: win-automation aloha install";
}

function alohaCheck(run: Run, side: AlohaSide): Promise<CheckResult> {
  const { url, via } = alohaEndpoint(run.config, side);
  const task = side === "server"
    ? TASK_NAMES.alohaServer
    : TASK_NAMES.alohaClient;
  return runCheck({
    check: `aloha_${side}`,
    component: "aloha",
    fix: alohaFix(run.config, task),
  }, async () => {
    const skipped = sshDown(run, { url, via });
    if (skipped) return skipped;
    const { httpStatus } = await probeAloha(run, side);
    return {
      state: "ok",
      msg: side === "server"
        ? "aloha server healthy"
        : "aloha client reachable",
      fields: {
        url,
        via,
        ...(httpStatus === undefined ? {} : { http_status: httpStatus }),
      },
    };
  });
}

function firewallNotNeeded(): Promise<CheckResult> {
  return runCheck(
    { check: "firewall", component: "ssh", fix: "" },
    () =>
      Promise.resolve({
        state: "ok",
        msg: FIREWALL_NOT_NEEDED,
        fields: { aloha_via: "ssh", playwright_via: "ssh" },
      }),
  );
}

/**
 * One rule of direct mode: an error with the exact fix when it is wrong,
 * else a warning that the service is exposed on the network.
 */
function firewallCheck(run: Run, spec: FirewallRuleSpec): Promise<CheckResult> {
  const { name, port, allowFrom } = spec;
  const fix = firewallFixCommand(name, port, allowFrom);
  return runCheck(
    { check: "firewall", component: "ssh", fix },
    async () => {
      const skipped = notChecked(run, { fields: { rule: name, port } });
      if (skipped) return skipped;
      const { problem } = await probeFirewallRule(run, spec);
      if (problem) {
        return {
          state: "error",
          msg: problem.problem,
          fix: problem.fix,
          fields: {
            rule: name,
            port,
            remediation: "supervisor run --once",
          },
        };
      }
      return {
        state: "warn",
        msg:
          "direct mode: the service is exposed on the network (firewall rule limited to windows.allow_from)",
        fix: `set ${
          name.startsWith("Playwright") ? "playwright.via" : "aloha.via"
        }=ssh to reach it through ssh instead`,
        fields: {
          rule: name,
          port,
          via: "direct",
          allow_from: allowFrom.join(","),
        },
      };
    },
  );
}

function desktopCheck(run: Run): Promise<CheckResult> {
  return runCheck({
    check: "desktop",
    component: "ssh",
    fix: "log on at the VM console to unlock the desktop",
  }, async () => {
    const skipped = notChecked(run);
    if (skipped) return skipped;
    const locked = await desktopLocked(run.ssh, {
      timeoutMs: run.config.limits.stepMs,
    });
    return locked
      ? {
        state: "warn",
        msg: "desktop locked: GUI tasks will be blocked",
        fix: "log on at the VM console to unlock the desktop",
        fields: { desktop: "locked" },
      }
      : {
        state: "ok",
        msg: "desktop unlocked",
        fields: { desktop: "unlocked" },
      };
  });
}

/** One of the tool's Windows folders: locked to SYSTEM and Administrators. */
function aclCheckOf(
  run: Run,
  folder: { path: string; protectedAcl: boolean },
): Promise<CheckResult> {
  const { path, protectedAcl } = folder;
  const fix = aclFixCommand(path);
  return runCheck(
    { check: "windows_acl", component: "ssh", fix },
    async () => {
      const skipped = notChecked(run, { fields: { path } });
      if (skipped) return skipped;
      const report = await aclCheck(run.ssh, path, {
        timeoutMs: run.config.limits.stepMs,
      });
      if (!report.exists) {
        return {
          state: "ok",
          msg: "folder does not exist yet (created locked on first use)",
          fields: { path },
        };
      }
      const offenders = aclOffenders(report, { protectedAcl });
      if (offenders.length > 0) {
        return {
          state: "error",
          msg: "others than SYSTEM and Administrators may change this folder",
          fix,
          fields: {
            path,
            owner: report.owner ?? "",
            offenders: offenders.join(","),
          },
        };
      }
      return {
        state: "ok",
        msg: "folder locked to SYSTEM and Administrators",
        fields: { path, owner: report.owner ?? "" },
      };
    },
  );
}

/** What the `worker` check needs. */
interface WorkerCheckDeps {
  target: string;
  /** Hatchet's line: when it failed, the workers are not asked. */
  hatchet: CheckResult;
  listWorkers?: () => Promise<WorkerInfo[]>;
}

/**
 * An active worker (a heartbeat in the engine's last 5 s, not paused)
 * carries this target's label: else its jobs wait `hatchet.schedule_timeout`
 * and end undeliverable. The fix starts the target's worker unit.
 */
function workerCheck(deps: WorkerCheckDeps): Promise<CheckResult> {
  const { target, hatchet, listWorkers } = deps;
  const label = `${TARGET_LABEL_PREFIX}${target}`;
  const fix = `systemctl enable --now win-automation-worker@${target}`;
  return runCheck(
    { check: "worker", component: "hatchet", fix, always: { label } },
    async () => {
      if (hatchet.state === "error" || !listWorkers) {
        return {
          state: "error",
          msg: "not checked: hatchet failed",
          fix: hatchet.fix ?? fix,
          exitCode: hatchet.exitCode || 3,
        };
      }
      let workers: WorkerInfo[];
      try {
        workers = await listWorkers();
      } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
        // No token: the workers cannot be asked; say how to give one.
        return {
          state: "error",
          msg: "cannot list Hatchet's workers",
          err: errorMessage(error),
          fix:
            "set WIN_AUTOMATION_HATCHET_TOKEN (a secret: under systemd, the hatchet_token credential)",
          exitCode: 2,
        };
      }
      return workerOutcome(workers, target);
    },
  );
}

/**
 * What the `worker` check says of Hatchet's workers for `target`: ok with
 * the active ones carrying `target.<name>`, else an error (exit 1) with the
 * worker unit's fix, counting the paused and inactive ones. A cordoned (or
 * partly cordoned) target is a warning with `cordoned=yes|partial` and the
 * way back (`targets uncordon`): its jobs wait, which maintenance wants.
 */
export function workerOutcome(
  workers: readonly WorkerInfo[],
  target: string,
): CheckOutcome {
  const fix = `systemctl enable --now win-automation-worker@${target}`;
  const serving = workersServing(workers, target);
  const active = serving.filter((w) => w.status === "ACTIVE");
  if (active.length === 0) {
    const others = ["PAUSED", "INACTIVE"].map((status) => {
      const n = serving.filter((w) => w.status === status).length;
      return n > 0 ? `${n} ${status.toLowerCase()}` : "";
    }).filter((x) => x !== "");
    return {
      state: "error",
      msg: `no active worker serves this target${
        others.length > 0 ? ` (${others.join(", ")})` : ""
      }: its jobs would end undeliverable`,
      fix,
      fields: { workers: 0 },
    };
  }
  const fields = {
    workers: active.length,
    worker: active.map((w) => w.name).join(","),
    slots: active.reduce((n, w) => n + (w.slots?.limit ?? 0), 0),
  };
  const cordoned = cordonState(workers, target);
  if (cordoned !== "no") {
    return {
      state: "warn",
      msg: cordoned === "yes"
        ? "the target is cordoned: its new jobs wait (queued) until it is uncordoned, and end undeliverable past hatchet.schedule_timeout"
        : "the target is partly cordoned: some of its workers take its jobs, some do not",
      fix: cordoned === "yes"
        ? `win-automation targets uncordon ${target}`
        : `win-automation targets cordon ${target} (or uncordon ${target})`,
      fields: { ...fields, cordoned },
    };
  }
  return { state: "ok", msg: "an active worker serves this target", fields };
}

/** Hatchet-lite: live and ready, or exit 3. */
export function hatchetCheck(deps: ProbeDeps): Promise<CheckResult> {
  const sdkVersion = pinnedVersion("@hatchet-dev/typescript-sdk");
  return runCheck({
    check: "hatchet",
    component: "hatchet",
    fix:
      "scripts/lab up (lab) or start hatchet-lite; see docs/CONTEXT.md#hatchet-lite",
  }, async () => {
    const found = await probeHatchet(deps);
    const fields = {
      url: deps.config.hatchet.healthUrl,
      live: found.live,
      ready: found.ready,
      hatchet_sdk_version: sdkVersion,
    };
    if (found.problem) {
      return { state: "error", msg: found.problem, fields, exitCode: 3 };
    }
    return { state: "ok", msg: "hatchet-lite live and ready", fields };
  });
}

/**
 * The Playwright server: connects with the pinned client. Not configured
 * (no ws path) is a warning; unreachable or a version mismatch is exit 3.
 */
function playwrightCheck(run: Run): Promise<CheckResult> {
  const via = run.config.playwright.via;
  const target = playwrightTarget(run);
  const fix =
    "win-automation playwright install   # on the Windows side: see docs/CONTEXT.md#playwright";
  const fields = {
    server: serverAddress(target),
    via,
    client_version: CLIENT_VERSION,
  };
  return runCheck(
    { check: "playwright", component: "playwright", fix, always: fields },
    async () => {
      if (!playwrightConfigured(target)) {
        return {
          state: "warn",
          msg:
            "playwright not configured: WIN_AUTOMATION_PLAYWRIGHT_WS_PATH is not set",
          fix:
            "set WIN_AUTOMATION_PLAYWRIGHT_WS_PATH (a secret), then: win-automation playwright install",
          fields,
        };
      }
      const skipped = sshDown(run, { via });
      if (skipped) return skipped;
      const health = await probePlaywright(run, target);
      return {
        state: "ok",
        msg: "playwright server answers",
        fields: {
          ...fields,
          version: health.version,
          browser_version: health.browserVersion,
        },
      };
    },
  );
}
