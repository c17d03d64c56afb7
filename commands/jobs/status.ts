import type { Parsed } from "../../lib/cli/mod.ts";
import type { Cx } from "../_io.ts";
import type { statusFlags } from "./mod.ts";
import { openForJob, printStatus } from "./_jobs.ts";

/** States whose job never ran on a worker: nothing to read back. */
const NEVER_RAN = new Set(["not_found", "queued", "undeliverable"]);

/**
 * `win-automation jobs status`: a job's state, once or until it ends, with
 * its result read from Hatchet (exit code, duration, where its artifacts
 * are); `--output`/`--stderr` print only the ended job's stdout or stderr.
 */
export default async function jobsStatusCommand(
  { io, state, globals }: Cx,
  opts: Parsed<typeof statusFlags>,
  _words: string[],
): Promise<void> {
  const stream = opts.output ? "stdout" : opts.stderr ? "stderr" : undefined;
  if (stream !== undefined && (opts.json || (opts.output && opts.stderr))) {
    const { UsageError } = await import("../../lib/errors/mod.ts");
    throw new UsageError(
      "usage error: --output and --stderr print raw text: give one of them, without --json",
    );
  }
  const { id, ctx, ops, hatchet } = await openForJob({ io, state, globals }, {
    op: "jobs.status",
    id: opts.id,
  });
  const status = opts.watch
    ? await ops.watch(id, {
      timeoutMs: opts.timeout ?? ctx.config.limits.jobMs,
      onChange: (s) =>
        ctx.logger.scope("hatchet", "jobs.status").info("job state", {
          job_id: id,
          state: s.state,
        }),
    })
    : await ops.status(id);
  const { hatchetResultApi, readJobResult, TERMINAL_STATES } = await import(
    "../../lib/hatchet/mod.ts"
  );
  const result = NEVER_RAN.has(status.state) ? undefined : await readJobResult(
    hatchetResultApi(hatchet, {
      grpc: ctx.config.hatchet.grpcAddress,
      http: ctx.config.hatchet.httpUrl,
    }),
    status,
  );
  // Undeliverable is final and a failure to run, watched or not.
  if (status.state === "not_found" || status.state === "undeliverable") {
    state.exitCode = 1;
  } else if (opts.watch && status.state !== "completed") state.exitCode = 1;

  if (stream === undefined) {
    printStatus(ctx, {
      ...status,
      exit_code: result?.exit_code ?? null,
      duration_ms: result?.duration_ms ?? null,
      artifact_host: result?.artifact_host ?? null,
      artifact_root: result?.artifact_root ?? null,
    }, opts.json);
    return;
  }
  const log = ctx.logger.scope("hatchet", "jobs.status");
  if (!(TERMINAL_STATES as ReadonlySet<string>).has(status.state)) {
    // Not ended (or unknown): its output is not whole yet; nothing printed.
    if (status.state !== "not_found") {
      const { OperationalError } = await import("../../lib/errors/mod.ts");
      throw new OperationalError(
        `Cannot print the ${stream} of job ${id}: it has not ended (state=${status.state}); wait with --watch, or follow it with: win-automation jobs logs --id ${id} --follow`,
        { fields: { job_id: id, state: status.state } },
      );
    }
    log.error("no such job", { job_id: id, state: status.state });
    return;
  }
  const text = result?.[stream] ?? { text: "", truncated: false };
  io.stdoutRaw(ctx.logger.redact(text.text));
  if (text.truncated) {
    log.warn(`${stream} truncated`, {
      job_id: id,
      [`${stream}_truncated`]: true,
      source: result?.source,
    });
  }
}
