import { dirname } from "node:path";
import { readJson, withLock, writeJson } from "./_json_file.ts";
import { logFollow } from "./_log_follow.ts";
import {
  addFirewallRule,
  playwrightInstall,
  playwrightPrereq,
} from "./_playwright_kinds.ts";
import {
  cmdline,
  isAlive,
  leadsGroup,
  listeningPorts,
  signal,
} from "./_proc.ts";
import type { ParsedScript } from "./_script.ts";
import { type ShellContext, sleep } from "./_shell_io.ts";
import { getTask, runTask, taskPid } from "./_tasks.ts";
import { HOSTNAME, PS_VERSION, runUserCommands } from "./_user_commands.ts";
import { mapWindowsPath } from "./_win_path.ts";

const RUN_DIR = "C:\\ProgramData\\win-automation\\run";
const ARTIFACT_DIR = "C:\\ProgramData\\win-automation\\artifacts";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface FirewallFile {
  rules: { name: string; port: number; enabled: boolean }[];
}

type Input = Record<string, string | number | boolean>;
type Kind = (input: Input, ctx: ShellContext) => Promise<number>;

/** Runs one parsed script against lab state; returns its exit code. */
export function runScript(
  script: ParsedScript,
  ctx: ShellContext,
): Promise<number> {
  return KINDS[script.kind]!(script.input, ctx);
}

async function print(ctx: ShellContext, value: unknown): Promise<number> {
  await ctx.io.out(JSON.stringify(value) + "\n");
  return 0;
}

function pidFile(ctx: ShellContext, runId: string): string {
  return mapWindowsPath(ctx.labDir, `${RUN_DIR}\\${runId}.pid`);
}

function cancelFile(ctx: ShellContext, runId: string): string {
  return mapWindowsPath(ctx.labDir, `${RUN_DIR}\\${runId}.cancelled`);
}

function state(ctx: ShellContext, name: string): string {
  return `${ctx.labDir}/state/${name}.json`;
}

const KINDS: Record<string, Kind> = {
  exec: async (input, ctx) => {
    const file = pidFile(ctx, String(input.run_id));
    const cancelled = cancelFile(ctx, String(input.run_id));
    await Deno.mkdir(dirname(file), { recursive: true });
    await Deno.writeTextFile(file, `${Deno.pid}\r\n`);
    if (await Deno.stat(cancelled).then(() => true, () => false)) {
      await Deno.remove(file).catch(() => {});
      await Deno.remove(cancelled).catch(() => {});
      await ctx.io.err("cancelled before it started\n");
      return 130;
    }
    try {
      return await runUserCommands(String(input.command), ctx);
    } finally {
      await Deno.remove(file).catch(() => {});
    }
  },
  kill: async (input, ctx) => {
    const file = pidFile(ctx, String(input.run_id));
    const cancelled = cancelFile(ctx, String(input.run_id));
    await Deno.mkdir(dirname(file), { recursive: true });
    await Deno.writeTextFile(cancelled, "cancelled\r\n");
    const text = await Deno.readTextFile(file).catch(() => null);
    const pid = Number(text?.trim());
    const running = text !== null && isAlive(pid) &&
      cmdline(pid).includes("powershell");
    await Deno.remove(file).catch(() => {});
    if (!running) return print(ctx, { state: "not_running" });
    if (leadsGroup(pid)) signal(-pid, "SIGKILL");
    signal(pid, "SIGKILL");
    for (let i = 0; i < 50 && isAlive(pid); i++) await sleep(20);
    await Deno.remove(cancelled).catch(() => {});
    return print(ctx, { state: "killed" });
  },
  version: (_input, ctx) =>
    print(ctx, { ps_version: PS_VERSION, hostname: HOSTNAME }),
  firewall_rule: async (input, ctx) => {
    const data = await readJson<FirewallFile>(state(ctx, "firewall"), {
      rules: [],
    });
    const rule = data.rules.find((r) => r.name === input.name);
    return print(ctx, {
      exists: !!rule,
      enabled: rule?.enabled ?? false,
      ports: rule ? String(rule.port) : "",
    });
  },
  firewall_add: async (input, ctx) => {
    const created = await addFirewallRule(
      ctx.labDir,
      String(input.name),
      Number(input.port),
    );
    return print(ctx, { state: created ? "created" : "unchanged" });
  },
  firewall_repair: async (input, ctx) => {
    const file = state(ctx, "firewall");
    const answer = await withLock(`${file}.lock`, async () => {
      const data = await readJson<FirewallFile>(file, { rules: [] });
      const rule = data.rules.find((r) => r.name === input.name);
      if (!rule) return { state: "missing", changed: [] };
      const changed: string[] = [];
      if (!rule.enabled) (rule.enabled = true, changed.push("enabled"));
      if (String(rule.port) !== String(input.port)) {
        rule.port = Number(input.port);
        changed.push("port");
      }
      if (changed.length > 0) await writeJson(file, data);
      return { state: "present", changed };
    });
    return print(ctx, answer);
  },
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
      await ctx.io.err(`${error}\nschtasks /Run exited 1\n`);
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
    const info = await Deno.stat(path).catch(() => null);
    const exists = info?.isFile ?? false;
    return print(ctx, { exists, size: exists ? info!.size : 0 });
  },
  playwright_prereq: playwrightPrereq,
  playwright_install: playwrightInstall,
  log_follow: (input, ctx) =>
    logFollow({
      path: mapWindowsPath(ctx.labDir, String(input.path)),
      offset: Number(input.offset),
      marker: String(input.marker),
      timeoutMs: Number(input.timeout_ms),
    }),
  artifact_dir: async (input, ctx) => {
    const id = String(input.job_id);
    if (!UUID.test(id)) {
      await ctx.io.err("job_id is not a UUID\n");
      return 2;
    }
    await Deno.mkdir(mapWindowsPath(ctx.labDir, `${ARTIFACT_DIR}\\${id}`), {
      recursive: true,
    });
    return print(ctx, { state: "ready" });
  },
};
