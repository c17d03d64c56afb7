import type { Parsed } from "../../lib/cli/mod.ts";
import type { JobLogLine } from "../../lib/hatchet/mod.ts";
import type { Cx } from "../_io.ts";
import type { logsFlags } from "./mod.ts";
import { openForJob } from "./_jobs.ts";

/**
 * `win-automation jobs logs`: a job's output lines, read back from its
 * Hatchet task log; with `--follow`, as they arrive until the job ends.
 */
export default async function jobsLogsCommand(
  { io, state, globals }: Cx,
  opts: Parsed<typeof logsFlags>,
  _words: string[],
): Promise<void> {
  const { id, ctx, ops, hatchet } = await openForJob(
    { io, state, globals },
    { op: "jobs.logs", id: opts.id },
  );
  const { followJobLog, hatchetLogApi, JobLogReader } = await import(
    "../../lib/hatchet/mod.ts"
  );
  const reader = new JobLogReader(
    hatchetLogApi(hatchet, ctx.config.hatchet.httpUrl),
    id,
  );
  let count = 0;
  const print = (lines: JobLogLine[]) => {
    for (const l of lines) {
      count++;
      if (opts.json) {
        ctx.io.stdout(ctx.logger.redact(JSON.stringify({
          attempt: l.attempt,
          stream: l.stream,
          line: l.text,
          at: l.at,
        })));
      } else {
        ctx.out.emit({ attempt: l.attempt, stream: l.stream, line: l.text });
      }
    }
  };
  let status;
  if (opts.follow) {
    status = await followJobLog({
      jobId: id,
      reader,
      status: (job) => ops.status(job),
      onLines: print,
      timeoutMs: opts.timeout ?? ctx.config.limits.jobMs,
    });
  } else {
    const lines = await reader.read();
    if (lines) print(lines);
    status = await ops.status(id);
  }
  const end = { job_id: id, state: status.state, lines: count };
  if (opts.json) ctx.io.stdout(JSON.stringify(end));
  else ctx.out.emit(end);
  if (status.state === "not_found") state.exitCode = 1;
  else if (opts.follow && status.state !== "completed") state.exitCode = 1;
}
