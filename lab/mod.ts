/**
 * The lab from TypeScript: integration tests bring it up in-process with
 * {@linkcode labUp} and point the CLI at it with the returned environment.
 * `scripts/lab` (lab/main.ts) is the same from a shell.
 * @module
 */
import { type AlohaKnobs, knobsPath } from "./aloha/mod.ts";
import { isAlive, writeJson } from "./linux/mod.ts";

export { isAlive };
import { labDir } from "./components/mod.ts";
import { pendingRestart } from "./windows/mod.ts";
import type { JournalEntry } from "./powershell/mod.ts";
import {
  type SessionJournalEntry,
  sessionsJournalPath,
} from "./session/mod.ts";

export {
  type Component,
  COMPONENTS,
  envExports,
  type ExtraServer,
  labDir,
  type LabEnv,
  labEnv,
  type LabPaths,
  labPaths,
  type LabPorts,
  labPorts,
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
  labUpSshd,
} from "./_up.ts";
export { ALOHA_TASKS } from "./aloha/mod.ts";
export {
  getTask,
  listProcesses,
  LOCKED_ROOT,
  pendingRestart,
  plantAcl,
  readWindowsKnobs,
  rightsOf,
  stopPowerProgram,
  writeWindowsKnobs,
} from "./windows/mod.ts";
export type { AlohaKnobs, JournalEntry, SessionJournalEntry };

/** Every journaled `powershell` invocation, oldest first. */
export async function readJournal(
  dir: string = labDir(),
): Promise<JournalEntry[]> {
  const text = await Deno.readTextFile(`${dir}/journal.jsonl`).catch(() => "");
  return text.split("\n").filter((line) => line !== "").map((line) =>
    JSON.parse(line)
  );
}

/** Every line of `<lab>/sessions.jsonl` (ssh sessions), oldest first. */
export async function readSessions(
  dir: string = labDir(),
): Promise<SessionJournalEntry[]> {
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
