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
  checkHostCount,
  computerName,
  extraHosts,
  FIRST_HOST,
  fleetEnv,
  hostCountPath,
  hostNames,
  hostPaths,
  hostPorts,
  savedHostCount,
} from "./components/mod.ts";
import { writeJson } from "./linux/mod.ts";
import {
  hatchetBinaries,
  hatchetPid,
  startHatchet,
  stopHatchet,
} from "./hatchet/mod.ts";
import { stopPowerProgram, stopProcesses } from "./windows/mod.ts";

/** One component's state, as `scripts/lab status` prints it. */
export interface ComponentStatus {
  /** The host it runs on, in a lab of several hosts (else absent). */
  host?: string;
  component: Component;
  up: boolean;
  pid: number | null;
  port: number;
}

/** What {@linkcode labUp} brings up. */
export interface LabUpOptions {
  /**
   * How many emulated Windows hosts, `win-01` … `win-0N` (1 to 9). One is the
   * plain lab; more add `WIN_AUTOMATION_CONFIG` (the fleet config) to the
   * environment. A plain `up` stops hosts a previous `up --hosts` started.
   * @default 1
   */
  hosts?: number;
  /** The lab's paths. @default labPaths() */
  paths?: LabPaths;
}

/**
 * Brings the lab up: files, keys and config, sshd, then the Aloha server and
 * client started as scheduled tasks (`schtasks /Run` over ssh), Hatchet (its
 * binaries are built first, outside the lab's lock, when missing), the test
 * pages, and the Playwright server (installed with `playwright install`). Whatever
 * already runs and listens is left alone. Returns the lab's environment.
 * With `hosts` above 1, every host gets its own sshd and Aloha pair; Hatchet,
 * the pages and Playwright (on `win-01`) are started once.
 */
export async function labUp(
  arg: LabPaths | LabUpOptions = {},
): Promise<LabEnv> {
  const options: LabUpOptions = "dir" in arg ? { paths: arg as LabPaths } : arg;
  const { hosts = 1, paths = labPaths() } = options;
  checkHostCount(hosts);
  const ports = await labPorts(paths);
  const names = hostNames(hosts);
  const others = names.slice(1);
  const otherPorts = await Promise.all(
    others.map((name) => hostPorts(name, paths)),
  );
  const hatchetBin = await hatchetBinaries();
  await withLock(paths.upLock, async () => {
    for (const name of await extraHosts(paths)) {
      if (!others.includes(name)) await stopHost(hostPaths(name, paths));
    }
    await writeJson(hostCountPath(paths), { hosts });
    await ensureFiles(
      paths,
      ports,
      hosts === 1 ? {} : { computerName: computerName(FIRST_HOST) },
    );
    await startSshd(paths, ports);
    for (const [i, name] of others.entries()) {
      const own = hostPaths(name, paths);
      await ensureFiles(own, otherPorts[i]!, {
        computerName: computerName(name),
      });
      await startSshd(own, otherPorts[i]!);
    }
    await Promise.all([
      startAloha(paths, ports, "aloha-server"),
      startAloha(paths, ports, "aloha-client"),
      ...others.flatMap((name, i) => [
        startAloha(hostPaths(name, paths), otherPorts[i]!, "aloha-server"),
        startAloha(hostPaths(name, paths), otherPorts[i]!, "aloha-client"),
      ]),
      startHatchet(paths, ports, hatchetBin),
      startPages(paths, ports),
      startPlaywright(paths, ports),
    ]);
  }, { timeoutMs: 120_000 });
  return await fleetEnv(hosts, paths);
}

/** Stops one extra host: its power program, processes, execs and sshd. */
async function stopHost(paths: LabPaths): Promise<void> {
  await stopPowerProgram(paths.dir);
  await Promise.all([
    stopProcesses(paths.dir, () => true, { graceMs: 2_000 }),
    stopExecs(paths),
  ]);
  await stopSshd(paths);
}

/**
 * Stops one host's sshd and every session under it (the host becomes
 * unreachable; its Aloha processes, outside any session, keep running).
 */
export async function stopHostSshd(
  host: string,
  paths: LabPaths = labPaths(),
): Promise<void> {
  await stopSshd(hostPaths(host, paths));
}

/** Starts one host's sshd again (after {@linkcode stopHostSshd}). */
export async function startHostSshd(
  host: string,
  paths: LabPaths = labPaths(),
): Promise<void> {
  await startSshd(hostPaths(host, paths), await hostPorts(host, paths));
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

/**
 * The state of each component. In a lab of several hosts (the last `up`
 * said so), each host's sshd and Aloha pair are listed with `host`, the
 * shared ones (Hatchet, pages) and Playwright (on `win-01`) once.
 */
export async function labStatus(
  paths: LabPaths = labPaths(),
): Promise<ComponentStatus[]> {
  const hosts = await savedHostCount(paths);
  const out = await hostStatus(paths, await labPorts(paths), COMPONENTS);
  if (hosts === 1) return out;
  for (const s of out) {
    if (s.component !== "hatchet" && s.component !== "pages") {
      s.host = FIRST_HOST;
    }
  }
  for (const name of hostNames(hosts).slice(1)) {
    const own = await hostStatus(
      hostPaths(name, paths),
      await hostPorts(name, paths),
      ["sshd", "aloha-server", "aloha-client"],
    );
    out.push(...own.map((s) => ({ ...s, host: name })));
  }
  return out;
}

async function hostStatus(
  paths: LabPaths,
  ports: LabPorts,
  components: readonly Component[],
): Promise<ComponentStatus[]> {
  const listening = listeningPorts();
  const out: ComponentStatus[] = [];
  for (const component of components) {
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
    for (const name of await extraHosts(paths)) {
      await stopHost(hostPaths(name, paths));
    }
  });
}

/** Stops one component and brings the lab up again. */
export async function labRestart(
  component: Component,
  paths: LabPaths = labPaths(),
): Promise<LabEnv> {
  await Deno.mkdir(paths.dir, { recursive: true });
  await withLock(paths.upLock, () => stopComponent(paths, component));
  return await labUp({ paths, hosts: await savedHostCount(paths) });
}
