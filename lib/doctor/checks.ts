import type { Fields } from "../log/mod.ts";
import type { AlohaClient } from "../aloha/mod.ts";
import type { ResolvedConfig } from "../config/mod.ts";
import type { SshClient } from "../ssh/mod.ts";
import { hatchetHealth } from "../hatchet/mod.ts";
import {
  CLIENT_VERSION,
  playwrightHealth,
  serverAddress,
  targetOf,
} from "../playwright/mod.ts";
import { pinnedVersion } from "../version/mod.ts";
import {
  aclCheck,
  aclFixCommand,
  aclOffenders,
  CHECKED_FOLDERS,
  defaultShellName,
  desktopLocked,
  firewallFixCommand,
  firewallProblem,
  firewallRule,
  remoteVersion,
  requiredFirewallRules,
  TASK_NAMES,
} from "../windows/mod.ts";
import { type CheckOutcome, type CheckResult, runCheck } from "./check.ts";

/** What the doctor needs. */
export interface DoctorDeps {
  config: ResolvedConfig;
  ssh: SshClient;
  aloha: AlohaClient;
  /** Called with each result as soon as it is known. @default undefined */
  onResult?: (result: CheckResult) => void;
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
  const { config, ssh, aloha, onResult } = deps;
  const t = config.limits.stepMs;
  const results: CheckResult[] = [];
  const push = (r: CheckResult) => {
    results.push(r);
    onResult?.(r);
    return r;
  };
  const w = config.windows;
  const sshFix =
    `ssh -p ${w.sshPort} ${w.sshUser}@${w.sshHost} powershell -NoProfile -Command '$PSVersionTable.PSVersion'`;

  const sshResult = push(
    await runCheck(
      { check: "ssh", component: "ssh", fix: sshFix },
      async () => {
        const v = await remoteVersion(ssh, { timeoutMs: t });
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
    ),
  );

  const alohaFix = (task: string) =>
    config.aloha.serverStartCmd && config.aloha.clientStartCmd &&
      config.aloha.desktopUser
      ? `win-automation aloha install   # registers and runs ${task}`
      : "set aloha.server_start_cmd, aloha.client_start_cmd and aloha.desktop_user, then: win-automation aloha install";
  /** A Windows-side check cannot run while ssh fails: its line says so. */
  const notChecked = (fields?: Fields): CheckOutcome | undefined =>
    sshResult.state === "error"
      ? {
        state: "error",
        msg: "not checked: ssh failed",
        fix: sshFix,
        exitCode: sshResult.exitCode,
        ...(fields ? { fields } : {}),
      }
      : undefined;
  /**
   * A service reached through ssh cannot be checked while ssh fails: its
   * line says so (with the ssh fix) instead of retrying the forward.
   */
  const sshDown = (via: string) =>
    via === "ssh" && sshResult.state === "error"
      ? {
        state: "error" as const,
        msg: "not checked: ssh failed (reached through ssh)",
        fix: sshFix,
        exitCode: sshResult.exitCode,
        fields: { via },
      }
      : undefined;
  const serverFix = alohaFix(TASK_NAMES.alohaServer);
  push(
    await runCheck({
      check: "aloha_server",
      component: "aloha",
      fix: serverFix,
    }, async () => {
      const skipped = sshDown(config.aloha.via);
      if (skipped) {
        return {
          ...skipped,
          fields: { url: config.aloha.serverUrl, via: config.aloha.via },
        };
      }
      await aloha.serverHealth();
      return {
        state: "ok",
        msg: "aloha server healthy",
        fields: { url: config.aloha.serverUrl, via: config.aloha.via },
      };
    }),
  );

  const clientFix = alohaFix(TASK_NAMES.alohaClient);
  push(
    await runCheck({
      check: "aloha_client",
      component: "aloha",
      fix: clientFix,
    }, async () => {
      const skipped = sshDown(config.aloha.via);
      if (skipped) {
        return {
          ...skipped,
          fields: { url: config.aloha.clientUrl, via: config.aloha.via },
        };
      }
      const status = await aloha.clientReachable();
      return {
        state: "ok",
        msg: "aloha client reachable",
        fields: {
          url: config.aloha.clientUrl,
          via: config.aloha.via,
          http_status: status,
        },
      };
    }),
  );

  const rules = requiredFirewallRules(config);
  if (rules.length === 0) {
    push(
      await runCheck(
        { check: "firewall", component: "ssh", fix: "" },
        () =>
          Promise.resolve({
            state: "ok",
            msg: FIREWALL_NOT_NEEDED,
            fields: { aloha_via: "ssh", playwright_via: "ssh" },
          }),
      ),
    );
  }
  const allowFrom = config.windows.allowFrom;
  for (const [name, port] of rules) {
    const fix = firewallFixCommand(name, port, allowFrom);
    push(
      await runCheck(
        { check: "firewall", component: "ssh", fix },
        async () => {
          const skipped = notChecked({ rule: name, port });
          if (skipped) return skipped;
          const rule = await firewallRule(ssh, name, { timeoutMs: t });
          const problem = firewallProblem(name, port, allowFrom, rule);
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
      ),
    );
  }

  push(
    await runCheck({
      check: "desktop",
      component: "ssh",
      fix: "log on at the VM console to unlock the desktop",
    }, async () => {
      const skipped = notChecked();
      if (skipped) return skipped;
      const locked = await desktopLocked(ssh, { timeoutMs: t });
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
    }),
  );
  for (const { path, protectedAcl } of CHECKED_FOLDERS) {
    const fix = aclFixCommand(path);
    push(
      await runCheck(
        { check: "windows_acl", component: "ssh", fix },
        async () => {
          const skipped = notChecked({ path });
          if (skipped) return skipped;
          const report = await aclCheck(ssh, path, { timeoutMs: t });
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
              msg:
                "others than SYSTEM and Administrators may change this folder",
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
      ),
    );
  }
  const sdkVersion = pinnedVersion("@hatchet-dev/typescript-sdk");
  push(
    await runCheck({
      check: "hatchet",
      component: "hatchet",
      fix:
        "scripts/lab up (lab) or start hatchet-lite; see docs/CONTEXT.md#hatchet-lite",
    }, async () => {
      const health = await hatchetHealth(config.hatchet.healthUrl, {
        timeoutMs: t,
      });
      const fields = {
        url: config.hatchet.healthUrl,
        live: health.live,
        ready: health.ready,
        hatchet_sdk_version: sdkVersion,
      };
      if (!health.live) {
        return {
          state: "error",
          msg: "hatchet-lite not live",
          fields,
          exitCode: 3,
        };
      }
      if (!health.ready) {
        return {
          state: "error",
          msg: "hatchet-lite live but not ready",
          fields,
          exitCode: 3,
        };
      }
      return { state: "ok", msg: "hatchet-lite live and ready", fields };
    }),
  );
  push(await playwrightCheck(config, ssh, sshDown(config.playwright.via)));
  return results;
}

/**
 * The Playwright server: connects with the pinned client. Not configured
 * (no ws path) is a warning; unreachable or a version mismatch is exit 3.
 */
function playwrightCheck(
  config: ResolvedConfig,
  ssh: SshClient,
  sshDown?: CheckOutcome,
): Promise<CheckResult> {
  const target = targetOf(config, ssh);
  const fix =
    "win-automation playwright install   # on the Windows side: see docs/CONTEXT.md#playwright";
  const fields = {
    server: serverAddress(target),
    via: config.playwright.via,
    client_version: CLIENT_VERSION,
  };
  return runCheck(
    { check: "playwright", component: "playwright", fix, always: fields },
    async () => {
      if (sshDown && target.wsPath !== "") return sshDown;
      if (target.wsPath === "") {
        return {
          state: "warn",
          msg:
            "playwright not configured: WIN_AUTOMATION_PLAYWRIGHT_WS_PATH is not set",
          fix:
            "set WIN_AUTOMATION_PLAYWRIGHT_WS_PATH (a secret), then: win-automation playwright install",
          fields,
        };
      }
      const health = await playwrightHealth(target, {
        timeoutMs: config.limits.playwrightConnectMs,
      });
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
