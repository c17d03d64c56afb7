/**
 * Where integration tests run: against a real Windows VM when
 * `WIN_AUTOMATION_INTEGRATION=1` (its `WIN_AUTOMATION_*` env must be set), else
 * against the local lab, which the tests start themselves.
 * @module
 */
// deno-lint-ignore-file no-console
import { labDir, labUp } from "../lab/mod.ts";

/** Whether the tests target a real VM. */
export const REAL_VM = Deno.env.get("WIN_AUTOMATION_INTEGRATION") === "1";

let cached: Record<string, string> | undefined;

/** The env that points the CLI at the target (starting the lab if needed). */
export async function targetEnv(): Promise<Record<string, string>> {
  if (cached) return cached;
  if (REAL_VM) {
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(Deno.env.toObject())) {
      if (k.startsWith("WIN_AUTOMATION_")) env[k] = v;
    }
    cached = env;
  } else {
    cached = await labUp();
  }
  return cached;
}

/** Test options for lab-only tests: ignored (and said so) against a real VM. */
export function labOnly(name: string): { name: string; ignore: boolean } {
  if (REAL_VM) console.error(`skipping lab-only test on a real VM: ${name}`);
  return { name, ignore: REAL_VM };
}

/**
 * Runs `fn` with one lab state file (`<lab>/state/<name>`) changed by
 * `change`, and puts the file back afterwards.
 */
export async function withLabState<S, T>(
  name: string,
  change: (state: S) => S,
  fn: (state: S) => Promise<T>,
): Promise<T> {
  const file = `${labDir()}/state/${name}`;
  const saved = await Deno.readTextFile(file).catch(() => "{}");
  const next = change(JSON.parse(saved) as S);
  await Deno.writeTextFile(file, JSON.stringify(next));
  try {
    return await fn(next);
  } finally {
    await Deno.writeTextFile(file, saved);
  }
}
