import type { Parsed } from "../../lib/cli/mod.ts";
import { selectTargets } from "../../lib/config/mod.ts";
import type { Cx } from "../_io.ts";
import { checkFanOutFlags, runFanOut } from "../_fan_out.ts";
import { withContextOf } from "../_with_context.ts";
import type { execFlags } from "./mod.ts";
import { recordedExec } from "./_recorded_exec.ts";

/** The flags a fan-out cannot honour, and why. */
function clashOf(opts: Parsed<typeof execFlags>): string | undefined {
  if (opts.detach) return "--detach";
  if (opts.follow) return "--follow (each target's output goes to --out-dir)";
  if (opts.raw) return "--raw (use --out-dir for each target's output)";
  if (opts.rebootIfRequired) return "--reboot-if-required";
  if (opts.idempotent || opts.idempotentCheck !== undefined) {
    return "--idempotent";
  }
  return undefined;
}

/** Checks `windows exec`'s fan-out flags (see {@linkcode checkFanOutFlags}). */
export function checkExecFanOut(opts: Parsed<typeof execFlags>): void {
  checkFanOutFlags(opts, {
    only: [["--out-dir", opts.outDir]],
    clash: clashOf(opts),
  });
}

/**
 * `windows exec --targets P`: the command on each target the pattern names,
 * at most `--forks` at a time, each as the run a single `windows exec` is
 * (recorded, started once, re-attached after a drop; its run id is its job
 * id, so `windows attach --target T --run R` works). The commands' own
 * output is never printed interleaved: `--out-dir` keeps it per target
 * (`<t>.stdout`, `<t>.stderr`, `<t>.json`), `--json` carries it.
 */
export async function execFanOut(
  { io, state, globals }: Cx,
  opts: Parsed<typeof execFlags>,
  words: string[],
): Promise<void> {
  checkExecFanOut(opts);
  await withContextOf(io, state, globals)("windows.exec", async (ctx) => {
    const targets = selectTargets(ctx.config, opts.targets!);
    const fs = await import("../../lib/fs/mod.ts");
    const outDir = opts.outDir;
    if (outDir !== undefined) {
      await fs.ensurePrivateDir(outDir, { field: "--out-dir" });
    }
    const command = words.join(" ");
    const timeoutMs = opts.timeout ?? ctx.config.limits.commandMs;
    const redact = (text: string) => ctx.logger.redactor.redact(text);
    await runFanOut(ctx, state, {
      targets,
      forks: opts.forks,
      json: opts.json,
      component: "ssh",
      work: async (target, note) => {
        note.line.run_id = undefined;
        note.row = {
          job_id: null,
          artifact_root: null,
          truncated: false,
          stdout: "",
          stderr: "",
        };
        const done = await recordedExec(ctx, {
          command,
          timeoutMs,
          target,
          onRoot: (art) => {
            note.line.run_id = art.jobId;
            note.row.job_id = art.jobId;
            note.row.artifact_root = art.root;
          },
        });
        // No idempotent check here: the gate never skips.
        if (done.state !== "ran") throw new Error("the run was skipped");
        const { result } = done.value;
        note.row.truncated = result.truncated;
        note.row.stdout = result.stdout;
        note.row.stderr = result.stderr;
        if (result.truncated) note.line.truncated = true;
        return {
          state: result.exitCode === 0 ? "completed" : "failed",
          exit_code: result.exitCode,
        };
      },
      // Target names are [a-z0-9-]: safe file names. Each file atomically.
      onEnd: outDir === undefined ? undefined : async (row) => {
        const { stdout, stderr, ...meta } = row;
        const base = `${outDir}/${row.target}`;
        await fs.writeFileAtomic(`${base}.stdout`, redact(String(stdout)));
        await fs.writeFileAtomic(`${base}.stderr`, redact(String(stderr)));
        await fs.writeFileAtomic(`${base}.json`, JSON.stringify(meta) + "\n");
      },
    });
  });
}
