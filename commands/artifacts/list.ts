import type { Parsed } from "../../lib/cli/mod.ts";
import type { Cx } from "../_io.ts";
import { contextOf } from "../_with_context.ts";
import type { listFlags } from "./mod.ts";

/** `win-automation artifacts list`: a job's manifest. */
export default async function artifactsListCommand(
  { io, state, globals }: Cx,
  opts: Parsed<typeof listFlags>,
  _words: string[],
): Promise<void> {
  const withContext = contextOf(io, state, globals);
  const { checkArtifactJobId, jobRootOf, listArtifacts } = await import(
    "../../lib/artifacts/mod.ts"
  );
  const id = checkArtifactJobId(opts.job);
  const ctx = await withContext("artifacts.list");
  const outDir = ctx.config.artifacts.outDir;
  const listing = await listArtifacts(outDir, id);
  if (!listing) {
    const root = jobRootOf(outDir, id);
    ctx.logger.scope("cli", "artifacts.list").error("no manifest", {
      job_id: id,
      state: "not_found",
      root,
    });
    if (opts.json) {
      io.stdout(JSON.stringify({
        job_id: id,
        root,
        artifacts: [],
        state: "not_found",
      }));
    } else ctx.out.emit({ state: "not_found", job_id: id, root });
    state.exitCode = 1;
    return;
  }
  const m = listing.manifest;
  if (opts.json) {
    io.stdout(JSON.stringify({
      job_id: m.job_id,
      root: listing.root,
      artifacts: m.artifacts,
      state: m.state,
      trace_id: m.trace_id,
      created_at: m.created_at,
      mirror: m.mirror?.state ?? null,
    }));
    return;
  }
  ctx.out.emit({
    state: m.state,
    job_id: m.job_id,
    trace_id: m.trace_id,
    created_at: m.created_at,
    root: listing.root,
    artifacts: m.artifacts.length,
    mirror: m.mirror?.state,
  });
  for (const a of m.artifacts) {
    ctx.out.emit({
      type: a.type,
      path: a.path,
      size_bytes: a.size_bytes,
      sha256: a.sha256,
    });
  }
}
