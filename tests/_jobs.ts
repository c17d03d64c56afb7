/**
 * In-process job helpers for load and fault tests: the library's own
 * JobOps (the code path of `jobs enqueue`/`jobs status`), with the lab env.
 * @module
 */
import { loadConfig } from "../lib/config/mod.ts";
import {
  connectHatchet,
  JobOps,
  type JobStatus,
  TERMINAL_STATES,
} from "../lib/hatchet/mod.ts";
import { Logger } from "../lib/log/mod.ts";

/** The `job_id=` of a `jobs enqueue` payload line; throws when there is none. */
export function jobIdOf(stdout: string): string {
  const id = stdout.match(/job_id=([^ \n]+)/)?.[1];
  if (!id) throw new Error(`no job_id in ${JSON.stringify(stdout)}`);
  return id;
}

/** Opens JobOps against the target described by `env`. */
export async function jobOps(env: Record<string, string>): Promise<JobOps> {
  const config = await loadConfig({ env });
  const logger = new Logger({ silent: true });
  const hatchet = await connectHatchet(config, logger, "test");
  return new JobOps(hatchet, { endpoint: config.hatchet.grpcAddress });
}

/** Enqueues `count` windows.exec jobs running `cmd(i)`; returns their ids. */
export async function enqueueMany(
  ops: JobOps,
  count: number,
  cmd: (i: number) => string,
): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i += 20) {
    const batch = await Promise.all(
      Array.from(
        { length: Math.min(20, count - i) },
        (_, k) =>
          ops.enqueue("windows.exec", {
            cmd: cmd(i + k),
            trace_id: `load${i + k}`,
            idempotency_key: `auto-${crypto.randomUUID()}`,
          }),
      ),
    );
    ids.push(...batch.map((b) => b.job_id));
  }
  return ids;
}

/** Polls until every job is terminal (or `timeoutMs` passes); returns the last statuses. */
export async function waitAllTerminal(
  ops: JobOps,
  ids: string[],
  timeoutMs: number,
): Promise<Map<string, JobStatus>> {
  const deadline = Date.now() + timeoutMs;
  const last = new Map<string, JobStatus>();
  let pending = [...ids];
  while (pending.length > 0 && Date.now() < deadline) {
    const next: string[] = [];
    for (let i = 0; i < pending.length; i += 20) {
      const statuses = await Promise.all(
        pending.slice(i, i + 20).map((id) =>
          ops.status(id).catch(() => undefined)
        ),
      );
      statuses.forEach((s, k) => {
        const id = pending[i + k]!;
        if (s) last.set(id, s);
        if (!s || !TERMINAL_STATES.has(s.state as never)) next.push(id);
      });
    }
    pending = next;
    if (pending.length) await new Promise((r) => setTimeout(r, 1000));
  }
  return last;
}
