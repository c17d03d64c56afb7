import {
  DEFAULT_WINDOWS_KNOBS,
  EDGE_PATH,
  effectiveAcl,
  encodeUtf16leBase64,
  endTask,
  ensureLockedRoot,
  getTask,
  LOCKED_ROOT,
  machineName,
  mapWindowsPath,
  OS_FACTS,
  POWERSHELL_PATH,
  putTask,
  rightsText,
  ROOT,
  runTask,
  setAcl,
  sidName,
  taskPid,
} from "../windows/mod.ts";
import { execKind, killKind } from "./_exec_kinds.ts";
import { lastBoot, rebootKind } from "./_reboot_kind.ts";
import {
  runFollowKind,
  runGcKind,
  runListKind,
  runStartKind,
} from "./_run_kinds.ts";
import { shippedFile } from "./_file_commands.ts";
import { listeningPorts, readJson } from "../linux/mod.ts";
import { logFollow } from "./_log_follow.ts";
import {
  firewallAddKind,
  firewallRepairKind,
  firewallRuleKind,
} from "./_firewall_kinds.ts";
import { playwrightInstall, playwrightPrereq } from "./playwright_kinds.ts";
import type { ParsedScript } from "./_script.ts";
import type { ShellContext } from "./_shell_io.ts";

const ARTIFACT_DIR = "C:\\ProgramData\\win-automation\\artifacts";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type Input = Record<string, string | number | boolean | string[]>;
type Kind = (
  input: Input,
  ctx: ShellContext,
  body: string,
) => Promise<number>;

/**
 * Runs one parsed script against lab state; returns the code its body leaves
 * in `$global:WaExit`. Output lines go to `ctx.io` (`[Console]::Out`).
 */
export function runScript(
  script: ParsedScript,
  ctx: ShellContext,
): Promise<number> {
  const body = script.script?.slice(script.script.indexOf("\n") + 1) ?? "";
  return KINDS[script.kind]!(script.input, ctx, body);
}

async function print(ctx: ShellContext, value: unknown): Promise<number> {
  await ctx.io.out(JSON.stringify(value) + "\n");
  return 0;
}

function state(ctx: ShellContext, name: string): string {
  return `${ctx.labDir}/state/${name}.json`;
}

const KINDS: Record<string, Kind> = {
  exec: execKind,
  kill: async (input, ctx) => print(ctx, await killKind(input, ctx)),
  reboot: rebootKind,
  run_start: runStartKind,
  run_follow: runFollowKind,
  run_list: runListKind,
  run_gc: runGcKind,
  version: async (_input, ctx) => {
    const knobs = ctx.knobs ?? DEFAULT_WINDOWS_KNOBS;
    const facts = OS_FACTS[knobs.os];
    return print(ctx, {
      ps_version: facts.psVersion,
      hostname: machineName(),
      os_caption: facts.caption,
      os_build: facts.build,
      last_boot: await lastBoot(ctx.labDir),
      default_shell: knobs.default_shell === "powershell"
        ? POWERSHELL_PATH
        : "",
      winget: facts.winget,
      edge: shippedFile(knobs, EDGE_PATH),
    });
  },
  aloha_tasks: async (input, ctx) => {
    // The body registers each task with Register-ScheduledTask -Force unless
    // its action, logon type and user already match, and stops a running
    // task it re-registers (Stop-ScheduledTask), so the new action runs on
    // the next start.
    const changed: string[] = [];
    const tasks = [
      ["WinAutomation-AlohaServer", input.server_cmd, "AtStartup", "S4U"],
      ["WinAutomation-AlohaClient", input.client_cmd, "AtLogOn", "Interactive"],
    ] as const;
    for (const [name, command, trigger, logonType] of tasks) {
      const running = await taskPid(ctx.labDir, name) !== null;
      const put = await putTask(ctx.labDir, {
        name,
        execute: "powershell.exe",
        arguments:
          `-NoProfile -NonInteractive -WindowStyle Hidden -EncodedCommand ${
            encodeUtf16leBase64(String(command))
          }`,
        working_dir: "",
        trigger,
        user: String(input.user),
        logon_type: logonType,
      });
      if (put) {
        changed.push(name);
        if (running) await endTask(ctx.labDir, name);
      }
    }
    return print(ctx, { state: "registered", changed });
  },
  firewall_rule: (input, ctx) => firewallRuleKind(input, ctx),
  firewall_add: (input, ctx) => firewallAddKind(input, ctx),
  firewall_repair: (input, ctx) => firewallRepairKind(input, ctx),
  task_run: async (input, ctx) => {
    const name = String(input.name);
    if (!await getTask(ctx.labDir, name)) {
      return print(ctx, { state: "missing" });
    }
    if (await taskPid(ctx.labDir, name) !== null) {
      return print(ctx, { state: "running" });
    }
    const error = await runTask(ctx.labDir, name);
    if (error) {
      await ctx.io.err(`schtasks /Run exited 1: ${error}\n`);
      return 1;
    }
    return print(ctx, { state: "started" });
  },
  port_listening: (input, ctx) =>
    print(ctx, { listening: listeningPorts().has(Number(input.port)) }),
  desktop: async (_input, ctx) => {
    const data = await readJson(state(ctx, "desktop"), { locked: false });
    return print(ctx, { state: data.locked ? "locked" : "unlocked" });
  },
  task_exists: async (input, ctx) => {
    const data = await readJson<{ tasks: { name: string }[] }>(
      state(ctx, "tasks"),
      {
        tasks: [],
      },
    );
    return print(ctx, {
      exists: data.tasks.some((t) => t.name === input.name),
    });
  },
  file_size: async (input, ctx) => {
    const path = mapWindowsPath(ctx.labDir, String(input.path));
    // Get-Item of a folder is a DirectoryInfo, whose Length is $null
    // (windows-facts.md, "Cmdlets used by the scripts").
    const info = await Deno.stat(path).catch(() => null);
    if (!info) {
      return print(ctx, { exists: false, directory: false, size: null });
    }
    if (info.isDirectory) {
      return print(ctx, { exists: true, directory: true, size: null });
    }
    return print(ctx, { exists: true, directory: false, size: info.size });
  },
  playwright_prereq: playwrightPrereq,
  playwright_install: playwrightInstall,
  log_follow: (input, ctx) =>
    logFollow({
      path: mapWindowsPath(ctx.labDir, String(input.path)),
      offset: Number(input.offset),
      marker: String(input.marker),
      timeoutMs: Number(input.timeout_ms),
      write: (bytes) => ctx.raw!.stdout(bytes),
    }),
  artifact_dir: async (input, ctx) => {
    const id = String(input.job_id);
    if (!UUID.test(id)) {
      await ctx.io.err("job_id is not a UUID\n");
      return 2;
    }
    await ensureLockedRoot(ctx.labDir);
    await Deno.mkdir(mapWindowsPath(ctx.labDir, `${ARTIFACT_DIR}\\${id}`), {
      recursive: true,
    });
    return print(ctx, { state: "ready" });
  },
  root_lock: async (_input, ctx) => {
    // ROOT_GUARD, then: right when protected, owned by Administrators and
    // holding exactly FullControl (CI|OI) for SYSTEM and Administrators;
    // else replaced by that descriptor (Directory.SetAccessControl).
    await ensureLockedRoot(ctx.labDir);
    const acl = await effectiveAcl(ctx.labDir, ROOT);
    const right = acl !== null && acl.protected &&
      acl.owner === LOCKED_ROOT.owner && acl.rules.length === 2 &&
      new Set(
          acl.rules.filter((r) =>
            !r.inherited && r.rights === 0x1f01ff && r.inheritance === 3 &&
            r.propagation === 0 &&
            ["S-1-5-18", "S-1-5-32-544"].includes(r.sid)
          ).map((r) => r.sid),
        ).size === 2;
    if (!right) await setAcl(ctx.labDir, ROOT, LOCKED_ROOT);
    return print(ctx, { state: "locked", changed: right ? [] : ["acl"] });
  },
  acl_check: async (input, ctx) => {
    // Get-Acl of the path: its owner, protection, and the Allow rules
    // (explicit and inherited) with a write-type right (mask 0x500D0156) for
    // anyone but SYSTEM and Administrators.
    const acl = await effectiveAcl(ctx.labDir, String(input.path));
    if (!acl) {
      return print(ctx, {
        exists: false,
        owner: null,
        owner_sid: null,
        protected: false,
        writers: [],
      });
    }
    const writers = acl.rules.filter((r) =>
      !["S-1-5-18", "S-1-5-32-544"].includes(r.sid) &&
      (r.rights & 0x500d0156) !== 0
    ).map((r) => ({
      identity: sidName(r.sid),
      sid: r.sid,
      rights: rightsText(r.rights),
      inherited: r.inherited,
    }));
    return print(ctx, {
      exists: true,
      owner: sidName(acl.owner),
      owner_sid: acl.owner,
      protected: acl.protected,
      writers,
    });
  },
};
