// deno-lint-ignore-file no-console
/**
 * `scripts/lab up|down|status|env|restart <component>`: starts, stops and
 * describes the local stand-in for the Windows VM. See lab/README.md.
 * @module
 */
import {
  type Component,
  COMPONENTS,
  envExports,
  fleetEnv,
  labDown,
  labPaths,
  labRestart,
  labStatus,
  labUp,
} from "./mod.ts";

const USAGE =
  `usage: scripts/lab up [--hosts N]|down|status|env [--hosts N]|restart <${
    COMPONENTS.join("|")
  }>`;

async function printStatus(): Promise<number> {
  const statuses = await labStatus();
  for (const s of statuses) {
    const state = s.up ? "up" : "down";
    const host = s.host === undefined ? "" : `host=${s.host} `;
    console.log(
      `${host}component=${s.component} state=${state} pid=${
        s.pid ?? "-"
      } port=${s.port}`,
    );
  }
  return statuses.every((s) => s.up) ? 0 : 1;
}

/**
 * The host count of `up` and `env`: 1 without `--hosts`, else its value
 * (1 to 9); undefined when the arguments are not `[--hosts N]`.
 */
function hostsFlag(rest: string[]): number | undefined {
  if (rest.length === 0) return 1;
  const [flag, value] = rest;
  if (rest.length !== 2 || flag !== "--hosts" || !/^[1-9]$/.test(value!)) {
    return undefined;
  }
  return Number(value);
}

/** Runs one subcommand; returns the exit code. */
export async function main(args: string[]): Promise<number> {
  const [command, component] = args;
  const hosts = hostsFlag(args.slice(1));
  switch (args.length <= 3 ? command : undefined) {
    case "up":
      if (hosts === undefined) break;
      await labUp({ hosts });
      return printStatus();
    case "down":
      if (args.length !== 1) break;
      await labDown();
      return 0;
    case "status":
      if (args.length !== 1) break;
      return printStatus();
    case "env":
      if (hosts === undefined) break;
      console.log(envExports(await fleetEnv(hosts), labPaths()).trimEnd());
      return 0;
    case "restart":
      if (args.length !== 2 || !COMPONENTS.includes(component as Component)) {
        break;
      }
      await labRestart(component as Component);
      return printStatus();
  }
  console.error(USAGE);
  return 2;
}

if (import.meta.main) {
  try {
    Deno.exit(await main(Deno.args));
  } catch (error) {
    console.error(
      `lab: ${error instanceof Error ? error.message : String(error)}`,
    );
    Deno.exit(1);
  }
}
