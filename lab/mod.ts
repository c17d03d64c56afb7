/**
 * The lab from TypeScript: integration tests bring it up in-process with
 * {@linkcode labUp} and point the CLI at it with the returned environment.
 * `scripts/lab` (lab/main.ts) is the same from a shell.
 * @module
 */
import { type AlohaKnobs, knobsPath } from "./aloha/mod.ts";
import { isAlive, writeJson } from "./linux/mod.ts";

export { isAlive };
import { hostDir, labDir, labPaths } from "./components/mod.ts";
import { pendingRestart } from "./windows/mod.ts";
import type { JournalEntry } from "./powershell/mod.ts";
import {
  type SessionJournalEntry,
  sessionsJournalPath,
} from "./session/mod.ts";

export {
  type Component,
  COMPONENTS,
  computerName,
  envExports,
  type ExtraServer,
  FIRST_HOST,
  fleetConfig,
  fleetConfigPath,
  fleetEnv,
  hostDir,
  hostEnv,
  hostName,
  hostNames,
  hostPaths,
  hostPorts,
  LAB_GROUP,
  labDir,
  type LabEnv,
  labEnv,
  type LabPaths,
  labPaths,
  type LabPorts,
  labPorts,
  MAX_HOSTS,
  PLAYWRIGHT_VERSION,
  playwrightPid,
  sshOptionsFromEnv,
  startExtraServer,
} from "./components/mod.ts";
export { HATCHET_VERSION } from "./hatchet/mod.ts";
export { descendants, listeningPorts } from "./linux/mod.ts";
export {
  type ComponentStatus,
  labDown,
  labRestart,
  labStatus,
  labUp,
  type LabUpOptions,
  labUpSshd,
  startHostSshd,
  stopHostSshd,
} from "./_up.ts";
export { ALOHA_TASKS } from "./aloha/mod.ts";
export {
  getTask,
  LOCKED_ROOT,
  pendingRestart,
  plantAcl,
  readWindowsKnobs,
  rightsOf,
  stopPowerProgram,
  writeWindowsKnobs,
} from "./windows/mod.ts";
export type { AlohaKnobs, JournalEntry, SessionJournalEntry };

/**
 * Which host's files to read: a lab directory (a plain lab's, by default), or
 * `{ host: "win-02" }` for one host of a lab of several.
 */
export type HostSelector = string | { host: string };

function selectDir(where: HostSelector): string {
  return typeof where === "string" ? where : hostDir(where.host, labPaths());
}

/** Every journaled `powershell` invocation of a host, oldest first. */
export async function readJournal(
  where: HostSelector = labDir(),
): Promise<JournalEntry[]> {
  const dir = selectDir(where);
  const text = await Deno.readTextFile(`${dir}/journal.jsonl`).catch(() => "");
  return text.split("\n").filter((line) => line !== "").map((line) =>
    JSON.parse(line)
  );
}

/** Every line of a host's `sessions.jsonl` (ssh sessions), oldest first. */
export async function readSessions(
  where: HostSelector = labDir(),
): Promise<SessionJournalEntry[]> {
  const dir = selectDir(where);
  const text = await Deno.readTextFile(sessionsJournalPath(dir)).catch(() =>
    ""
  );
  return text.split("\n").filter((line) => line !== "").map((line) =>
    JSON.parse(line)
  );
}

/** Sets the Aloha knobs (`<lab>/state/aloha_knobs.json`); read on every request. */
export async function writeKnobs(
  knobs: AlohaKnobs,
  dir: string = labDir(),
): Promise<void> {
  await writeJson(knobsPath(dir), knobs);
}

/**
 * Waits until the emulated Windows has no restart pending (its power program
 * finished: booted, sshd up again) or `timeoutMs` passes; returns whether it
 * finished.
 */
export async function waitForRestart(
  dir: string = labDir(),
  timeoutMs = 60_000,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const { pending, pid } = await pendingRestart(dir);
    if (!pending || pid === undefined || !isAlive(pid)) return true;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return false;
}
