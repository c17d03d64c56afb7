import {
  cmdline,
  isAlive,
  listeningPorts,
  terminate,
  withLock,
} from "./linux/mod.ts";
import { alohaPort, alohaRecord, startAloha, stopAloha } from "./aloha/mod.ts";
import {
  closeControlMasters,
  type Component,
  COMPONENTS,
  ensureFiles,
  type LabEnv,
  labEnv,
  type LabPaths,
  labPaths,
  type LabPorts,
  labPorts,
  pagesPid,
  playwrightPid,
  sshdPid,
  startPages,
  startPlaywright,
  startSshd,
  stopPages,
  stopPlaywright,
  stopSshd,
} from "./components/mod.ts";
import {
  hatchetBinaries,
  hatchetPid,
  startHatchet,
  stopHatchet,
} from "./hatchet/mod.ts";
import { stopPowerProgram, stopProcesses } from "./windows/mod.ts";

/** One component's state, as `scripts/lab status` prints it. */
export interface ComponentStatus {
  component: Component;
  up: boolean;
  pid: number | null;
  port: number;
}

/**
 * Brings the lab up: files, keys and config, sshd, then the Aloha server and
 * client started as scheduled tasks (`schtasks /Run` over ssh), Hatchet (its
 * binaries are built first, outside the lab's lock, when missing), the test
 * pages, and the Playwright server (installed with `playwright install`). Whatever
 * already runs and listens is left alone. Returns the lab's environment.
 */
export async function labUp(paths: LabPaths = labPaths()): Promise<LabEnv> {
  const ports = await labPorts(paths);
  const hatchetBin = await hatchetBinaries();
  await withLock(paths.upLock, async () => {
    await ensureFiles(paths, ports);
    await startSshd(paths, ports);
    await Promise.all([
      startAloha(paths, ports, "aloha-server"),
      startAloha(paths, ports, "aloha-client"),
      startHatchet(paths, ports, hatchetBin),
      startPages(paths, ports),
      startPlaywright(paths, ports),
    ]);
  }, { timeoutMs: 120_000 });
  return await labEnv(paths);
}

/**
 * Brings up only what an ssh session needs: files, keys, config and sshd (no
 * Aloha, Hatchet, pages or Playwright). For tests of the session model.
 */
export async function labUpSshd(
  paths: LabPaths = labPaths(),
): Promise<{ paths: LabPaths; ports: LabPorts }> {
  const ports = await labPorts(paths);
  await withLock(paths.upLock, async () => {
    await ensureFiles(paths, ports);
    await startSshd(paths, ports);
  }, { timeoutMs: 120_000 });
  return { paths, ports };
}

/** The state of each component. */
export async function labStatus(
  paths: LabPaths = labPaths(),
): Promise<ComponentStatus[]> {
  const ports = await labPorts(paths);
  const listening = listeningPorts();
  const out: ComponentStatus[] = [];
  for (const component of COMPONENTS) {
    let port: number;
    let pid: number | null;
    if (component === "sshd") {
      port = ports.ssh;
      pid = sshdPid(paths);
    } else if (component === "hatchet") {
      port = ports.hatchet_http;
      pid = hatchetPid(paths);
    } else if (component === "playwright") {
      port = ports.playwright;
      pid = await playwrightPid(paths);
    } else if (component === "pages") {
      port = ports.pages;
      pid = pagesPid(paths);
    } else {
      port = alohaPort(ports, component);
      pid = (await alohaRecord(paths, component))?.pid ?? null;
    }
    out.push({ component, up: pid !== null && listening.has(port), pid, port });
  }
  return out;
}

async function stopExecs(paths: LabPaths): Promise<void> {
  const pids: number[] = [];
  const entries = await Array.fromAsync(Deno.readDir(paths.runDir)).catch(
    () => [],
  );
  for (const entry of entries) {
    const file = `${paths.runDir}/${entry.name}`;
    const pid = Number((await Deno.readTextFile(file).catch(() => "")).trim());
    if (isAlive(pid) && cmdline(pid).includes("powershell")) pids.push(pid);
    await Deno.remove(file).catch(() => {});
  }
  await terminate(pids, 2_000);
}

async function stopComponent(
  paths: LabPaths,
  component: Component,
): Promise<void> {
  if (component === "sshd") {
    await closeControlMasters(paths);
    await stopSshd(paths);
  } else if (component === "hatchet") {
    await stopHatchet(paths);
  } else if (component === "playwright") {
    await stopPlaywright(paths);
  } else if (component === "pages") {
    await stopPages(paths);
  } else {
    await stopAloha(paths, component);
  }
}

/**
 * Stops everything the lab started, by its records only: processes started
 * through `Start-Process`, running `exec` scripts, ssh control masters under
 * the client state, sshd with its sessions, and hatchet-lite (its pid file).
 */
export async function labDown(paths: LabPaths = labPaths()): Promise<void> {
  await Deno.mkdir(paths.dir, { recursive: true });
  await withLock(paths.upLock, async () => {
    // First, so a pending restart cannot start sshd again behind our back.
    await stopPowerProgram(paths.dir);
    await closeControlMasters(paths);
    await Promise.all([
      stopProcesses(paths.dir, () => true, { graceMs: 2_000 }),
      stopExecs(paths),
      stopHatchet(paths),
      stopPages(paths),
    ]);
    await stopSshd(paths);
  });
}

/** Stops one component and brings the lab up again. */
export async function labRestart(
  component: Component,
  paths: LabPaths = labPaths(),
): Promise<LabEnv> {
  await Deno.mkdir(paths.dir, { recursive: true });
  await withLock(paths.upLock, () => stopComponent(paths, component));
  return await labUp(paths);
}
