/**
 * The lab from TypeScript: integration tests bring it up in-process with
 * {@linkcode labUp} and point the CLI at it with the returned environment.
 * `scripts/lab` (tests/lab/lab.ts) is the same from a shell.
 * @module
 */
import { type AlohaKnobs, knobsPath } from "./_aloha_knobs.ts";
import { writeJson } from "./_json_file.ts";
import { labDir } from "./_lab_paths.ts";
import type { JournalEntry } from "./powershell.ts";
import {
  type SessionJournalEntry,
  sessionsJournalPath,
} from "./ssh_session.ts";

export {
  type Component,
  COMPONENTS,
  envExports,
  labDir,
  type LabEnv,
  labEnv,
  type LabPaths,
  labPaths,
  type LabPorts,
  labPorts,
} from "./_lab_paths.ts";
export { HATCHET_VERSION } from "./_lab_hatchet.ts";
export {
  type ExtraServer,
  PLAYWRIGHT_VERSION,
  playwrightPid,
  startExtraServer,
} from "./_lab_playwright.ts";
export { descendants, isAlive, listeningPorts } from "./_proc.ts";
export {
  type ComponentStatus,
  labDown,
  labRestart,
  labStatus,
  labUp,
  labUpSshd,
} from "./_lab_up.ts";
export { ALOHA_TASKS } from "./_lab_aloha.ts";
export { LOCKED_ROOT, plantAcl, rightsOf } from "./_acl.ts";
export { getTask } from "./_tasks.ts";
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
