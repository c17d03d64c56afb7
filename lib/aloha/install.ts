import { ConfigError } from "../errors/mod.ts";
import type { Logger } from "../log/mod.ts";
import type { SshClient } from "../ssh/mod.ts";
import { type Delay, delay } from "../retry/mod.ts";
import {
  portListening,
  runJsonScript,
  runScheduledTask,
  TASK_NAMES,
} from "../windows/mod.ts";

/**
 * A Windows logon name, optionally with a NetBIOS domain (`DOMAIN\\user` or
 * `.\\user`): at most 20 characters, none of `" / \\ [ ] : ; | = , + * ? < >`
 * (Microsoft Learn, "User Account Naming Conventions"), and no white space
 * here so it stays one schtasks argument.
 */
const WINDOWS_USER =
  /^(?:(?:\.|[A-Za-z0-9][A-Za-z0-9._-]{0,14})\\)?[^\s"/\\[\]:;|=,+*?<>]{1,20}$/;

/** Options for {@linkcode installAlohaTasks}. */
export interface InstallAlohaOptions {
  /** PowerShell that starts the Aloha server (`aloha.server_start_cmd`). */
  serverCmd: string;
  /** PowerShell that starts the Aloha client (`aloha.client_start_cmd`). */
  clientCmd: string;
  /** The Windows user whose desktop the client drives (`aloha.desktop_user`). */
  desktopUser: string;
  /** Time limit per remote step in ms. */
  timeoutMs: number;
  /** Windows ports to wait for after the start: server's and client's. */
  ports: { server: number; client: number };
  /** How long to wait for both ports to listen. @default 30000 */
  waitMs?: number;
  /** Receives a line per step. @default undefined */
  logger?: Logger;
  /** Sleeps between port polls. @default a real timer */
  sleep?: Delay;
  /** The clock in ms. @default Date.now */
  now?: () => number;
}

/** What {@linkcode installAlohaTasks} did. */
export interface InstallAlohaResult {
  /** Tasks registered anew (or re-registered because they differed). */
  changed: string[];
  /** `schtasks /Run` state per task: started, running or missing. */
  tasks: Record<string, string>;
  /** Whether each port listened within the wait. */
  listening: { server: boolean; client: boolean };
}

/**
 * Registers the Aloha server and client as scheduled tasks and runs them.
 * A task's processes live outside any SSH session (Win32-OpenSSH kills a
 * session's processes when it ends), and the client's task runs in the
 * desktop user's interactive session, where it can see the desktop. Converges:
 * a second run changes nothing.
 */
export async function installAlohaTasks(
  ssh: SshClient,
  options: InstallAlohaOptions,
): Promise<InstallAlohaResult> {
  const {
    serverCmd,
    clientCmd,
    desktopUser,
    timeoutMs,
    ports,
    waitMs = 30_000,
    logger,
    sleep = delay,
    now = Date.now,
  } = options;
  if (serverCmd.trim() === "") {
    throw new ConfigError(
      "aloha.server_start_cmd",
      "must be set: it is what the WinAutomation-AlohaServer task runs",
    );
  }
  if (clientCmd.trim() === "") {
    throw new ConfigError(
      "aloha.client_start_cmd",
      "must be set: it is what the WinAutomation-AlohaClient task runs",
    );
  }
  if (!WINDOWS_USER.test(desktopUser)) {
    throw new ConfigError(
      "aloha.desktop_user",
      desktopUser === ""
        ? "must be set: the Windows user whose desktop the Aloha client drives (--desktop-user)"
        : `is not a Windows user name ("user" or "DOMAIN\\user"): "${
          desktopUser.slice(0, 64)
        }"`,
    );
  }
  const answer = await runJsonScript<
    "aloha_tasks",
    { state: string; changed: string[] }
  >(ssh, "aloha_tasks", {
    server_cmd: serverCmd,
    client_cmd: clientCmd,
    user: desktopUser,
  }, { timeoutMs });
  logger?.scope("aloha", "aloha.install").info("tasks registered", {
    changed: answer.changed.join(",") || "none",
  });
  const tasks: Record<string, string> = {};
  for (const name of [TASK_NAMES.alohaServer, TASK_NAMES.alohaClient]) {
    const run = await runScheduledTask(ssh, name, { timeoutMs });
    tasks[name] = run.state;
  }
  const listening = { server: false, client: false };
  const deadline = now() + waitMs;
  for (;;) {
    for (const which of ["server", "client"] as const) {
      if (!listening[which]) {
        listening[which] = await portListening(ssh, ports[which], {
          timeoutMs,
        });
      }
    }
    if ((listening.server && listening.client) || now() >= deadline) break;
    await sleep(500);
  }
  return { changed: answer.changed, tasks, listening };
}
