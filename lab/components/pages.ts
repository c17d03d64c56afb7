import { type LabPaths, type LabPorts, repoRoot } from "./paths.ts";
import {
  isAlive,
  listeningPorts,
  pidFromFile,
  spawnDetached,
  terminate,
  waitUntil,
} from "../linux/mod.ts";

/** The pages server's pid, if it runs (checked against its command line). */
export function pagesPid(paths: LabPaths): number | null {
  return pidFromFile(paths.pagesPid, "pages_server.ts");
}

/** Starts the lab's test pages on loopback unless they run and listen. */
export async function startPages(
  paths: LabPaths,
  ports: LabPorts,
): Promise<void> {
  const listening = () => listeningPorts().has(ports.pages);
  if (pagesPid(paths) !== null && await waitUntil(listening, 5_000)) return;
  if (listening()) {
    throw new Error(
      `Cannot start the lab pages: port ${ports.pages} is taken by another process (remove ${paths.ports} to pick new ports)`,
    );
  }
  const pid = await spawnDetached(Deno.execPath(), [
    "run",
    "--allow-net=127.0.0.1",
    "--no-prompt",
    "--no-config",
    `${repoRoot()}/lab/components/pages_server.ts`,
    "--port",
    String(ports.pages),
  ], { stdoutPath: paths.pagesLog, stderrPath: paths.pagesLog });
  await Deno.writeTextFile(paths.pagesPid, String(pid));
  if (
    !await waitUntil(() => listening() || !isAlive(pid), 20_000) ||
    !isAlive(pid)
  ) {
    throw new Error(`Cannot start the lab pages: see ${paths.pagesLog}`);
  }
}

/** Stops the pages server. */
export async function stopPages(paths: LabPaths): Promise<void> {
  const pid = pagesPid(paths);
  if (pid !== null) await terminate([pid], 2_000);
  await Deno.remove(paths.pagesPid).catch(() => {});
}
