/**
 * Helpers for the Playwright integration tests.
 * @module
 */
import { type CliResult, runCli } from "./_cli.ts";

/**
 * Enqueues a `playwright.run` job of the lab page with `flags` (a worker must
 * run) and watches it to its end.
 */
export async function playwrightJob(
  env: Record<string, string>,
  flags: string[],
): Promise<{ id: string; enqueue: CliResult; done: CliResult }> {
  const enqueue = await runCli([
    "jobs",
    "enqueue",
    "--type",
    "playwright.run",
    "--url",
    env.WIN_LAB_PAGE_URL!,
    ...flags,
  ], env);
  const id = enqueue.stdout.match(/job_id=([0-9a-f-]{36})/)?.[1];
  if (!id) throw new Error(`no job_id: ${enqueue.stdout}${enqueue.stderr}`);
  const done = await runCli(
    ["jobs", "status", "--id", id, "--watch", "--timeout", "2m"],
    env,
  );
  return { id, enqueue, done };
}
