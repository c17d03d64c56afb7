/**
 * Helpers for the Playwright integration tests.
 * @module
 */
import { resolve } from "node:path";
import { type CliResult, runCli } from "./_cli.ts";

/** The artifact root of a job: `<out_dir>/<job_id>`, absolute. */
export function jobRoot(env: Record<string, string>, jobId: string): string {
  return resolve(env.WIN_AUTOMATION_ARTIFACT_OUT ?? "./artifacts", jobId);
}

/**
 * The page Playwright tests open: the lab's test page, or on a real VM
 * `WIN_AUTOMATION_TEST_PAGE_URL` (default `https://example.com/`, the
 * roadmap's).
 */
export function pageUrl(env: Record<string, string>): string {
  return env.WIN_LAB_PAGE_URL ?? env.WIN_AUTOMATION_TEST_PAGE_URL ??
    "https://example.com/";
}

/**
 * Enqueues a `playwright.run` job of the test page with `flags` (a worker must
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
    pageUrl(env),
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

/**
 * A fresh ws path that passes the tool's rule (32-256 of `[A-Za-z0-9_-]`, at
 * least 16 distinct): `prefix` and 43 base64url characters of 32 random
 * bytes.
 */
export function strongWsPath(prefix = "ws-"): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  const b64 = btoa(String.fromCharCode(...bytes)).replaceAll("+", "-")
    .replaceAll("/", "_").replace(/=+$/, "");
  return `${prefix}${b64}`;
}
