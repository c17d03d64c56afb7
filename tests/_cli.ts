/**
 * Helpers that run the CLI: in-process through `run()` (fast, same error
 * mapping as the binary) or as a real subprocess with the shipped permissions.
 * @module
 */
import { run } from "../main.ts";
import type { Io } from "../commands/mod.ts";
import { CLI_PERMISSIONS } from "../scripts/permissions.ts";

/** What a CLI run left. */
export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in-process with the given env snapshot. */
export async function runInProcess(
  args: string[],
  env: Record<string, string | undefined> = {},
): Promise<CliResult> {
  let stdout = "";
  let stderr = "";
  const io: Io = {
    stdout: (t) => stdout += t + "\n",
    stdoutRaw: (t) => stdout += t,
    stderr: (t) => stderr += t + "\n",
    stderrRaw: (t) => stderr += t,
    getEnv: (name) =>
      ({ HOME: "/nonexistent-home", ...env } as Record<
        string,
        string | undefined
      >)[name],
  };
  const code = await run(args, io);
  return { code, stdout, stderr };
}

const ROOT = new URL("..", import.meta.url).pathname;

/** The deno binary running these tests. */
export const DENO = Deno.execPath();

/**
 * The CLI as a subprocess exactly as shipped: `deno run` with the CLI's
 * permission set (never `-A`), with `env` as its whole environment (plus PATH
 * and HOME), stdout and stderr piped.
 */
export function cliCommand(
  args: string[],
  env: Record<string, string> = {},
  stdin = false,
  entry = `${ROOT}main.ts`,
): Deno.Command {
  return new Deno.Command(DENO, {
    args: ["run", ...CLI_PERMISSIONS, "--quiet", entry, ...args],
    clearEnv: true,
    env: {
      PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
      HOME: Deno.env.get("HOME") ?? "/root",
      ...(Deno.env.get("DENO_DIR")
        ? { DENO_DIR: Deno.env.get("DENO_DIR")! }
        : {}),
      NO_COLOR: "1",
      ...env,
    },
    stdin: stdin ? "piped" : "null",
    stdout: "piped",
    stderr: "piped",
  });
}

/** Runs the CLI as a subprocess ({@linkcode cliCommand}) to its end. */
export async function runCli(
  args: string[],
  env: Record<string, string> = {},
  options: {
    stdin?: string;
    /** The entry module. @default the sources' main.ts */
    entry?: string;
  } = {},
): Promise<CliResult> {
  const child = cliCommand(
    args,
    env,
    options.stdin !== undefined,
    options.entry,
  ).spawn();
  if (options.stdin !== undefined) {
    const w = child.stdin.getWriter();
    await w.write(new TextEncoder().encode(options.stdin));
    await w.close();
  }
  const out = await child.output();
  const dec = new TextDecoder();
  return {
    code: out.code,
    stdout: dec.decode(out.stdout),
    stderr: dec.decode(out.stderr),
  };
}

/** True when a text looks like a stack trace. */
export function hasStackTrace(text: string): boolean {
  return /^\s+at\s.+:\d+:\d+\)?$/m.test(text) || /error: Uncaught/i.test(text);
}
