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
  labDown,
  labEnv,
  labPaths,
  labRestart,
  labStatus,
  labUp,
} from "./mod.ts";

const USAGE = `usage: scripts/lab up|down|status|env|restart <${
  COMPONENTS.join("|")
}>`;

async function printStatus(): Promise<number> {
  const statuses = await labStatus();
  for (const s of statuses) {
    const state = s.up ? "up" : "down";
    console.log(
      `component=${s.component} state=${state} pid=${
        s.pid ?? "-"
      } port=${s.port}`,
    );
  }
  return statuses.every((s) => s.up) ? 0 : 1;
}

/** Runs one subcommand; returns the exit code. */
export async function main(args: string[]): Promise<number> {
  const [command, component] = args;
  switch (args.length <= 2 ? command : undefined) {
    case "up":
      if (component !== undefined) break;
      await labUp();
      return printStatus();
    case "down":
      if (component !== undefined) break;
      await labDown();
      return 0;
    case "status":
      if (component !== undefined) break;
      return printStatus();
    case "env":
      if (component !== undefined) break;
      console.log(envExports(await labEnv(), labPaths()).trimEnd());
      return 0;
    case "restart":
      if (!COMPONENTS.includes(component as Component)) break;
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
