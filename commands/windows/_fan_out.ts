import type { Parsed } from "../../lib/cli/mod.ts";
import { selectTargets } from "../../lib/config/mod.ts";
import { EXIT_USAGE, exitCodeOf, UsageError } from "../../lib/errors/mod.ts";
import type { JobArtifacts } from "../../lib/artifacts/mod.ts";
import type { TargetOutcome } from "../../lib/fleet/mod.ts";
import type { AppContext } from "../_context.ts";
import type { Cx } from "../_io.ts";
import { oneTargetChoice } from "../_flags.ts";
import { withContextOf } from "../_with_context.ts";
import type { execFlags } from "./mod.ts";
import { recordedExec } from "./_recorded_exec.ts";

/** `--forks` when not given: Ansible's default. */
export const DEFAULT_FORKS = 5;

/** What one target of a fan-out ended with. */
interface TargetRun {
  outcome: TargetOutcome;
  runId?: string;
  art?: JobArtifacts;
  error?: string;
  stdout: string;
  stderr: string;
  truncated: boolean;
}

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

/**
 * `windows exec --targets P`: the command on each target the pattern names,
 * at most `--forks` at a time, each as the run a single `windows exec` is
 * (recorded, started once, re-attached after a drop; its run id is its job
 * id, so `windows attach --target T --run R` works). stdout gets one line
 * per target as it ends, then the summary (or, with `--json`, one array);
 * the exit code is lib/fleet's. The commands' own output is never printed
 * interleaved: `--out-dir` keeps it per target.
 */
export async function execFanOut(
  { io, state, globals }: Cx,
  opts: Parsed<typeof execFlags>,
  words: string[],
): Promise<void> {
  oneTargetChoice(opts);
  const clash = clashOf(opts);
  if (clash) {
    throw new UsageError(
      `usage error: --targets cannot be combined with ${clash}`,
    );
  }
  const withContext = withContextOf(io, state, globals);
  await withContext("windows.exec", async (ctx) => {
    const fleet = await import("../../lib/fleet/mod.ts");
    const names = selectTargets(ctx.config, opts.targets!);
    const outDir = opts.outDir;
    const fs = await import("../../lib/fs/mod.ts");
    if (outDir !== undefined) {
      await fs.ensurePrivateDir(outDir, { field: "--out-dir" });
    }
    const command = words.join(" ");
    const timeoutMs = opts.timeout ?? ctx.config.limits.commandMs;
    const log = ctx.logger.scope("ssh", "windows.exec");
    log.info("fan-out started", {
      targets: names.join(","),
      forks: opts.forks ?? DEFAULT_FORKS,
    });
    const runOne = async (target: string): Promise<TargetRun> => {
      const started = performance.now();
      const ms = () => Math.round(performance.now() - started);
      let art: JobArtifacts | undefined;
      let run: TargetRun;
      try {
        const done = await recordedExec(ctx, {
          command,
          timeoutMs,
          target,
          onRoot: (a) => art = a,
        });
        // No idempotent check here: the gate never skips.
        if (done.state !== "ran") throw new Error("the run was skipped");
        const { result } = done.value;
        run = {
          outcome: {
            target,
            state: result.exitCode === 0 ? "completed" : "failed",
            exit_code: result.exitCode,
            duration_ms: ms(),
          },
          runId: result.runId,
          art,
          stdout: result.stdout,
          stderr: result.stderr,
          truncated: result.truncated,
        };
      } catch (error) {
        // The operator's setup (artifacts.out_dir): every target would fail alike.
        if (exitCodeOf(error) === EXIT_USAGE) throw error;
        const o = fleet.outcomeOfError(target, error, ms());
        run = {
          outcome: o.outcome,
          runId: o.runId ?? art?.jobId,
          art,
          error: o.error,
          stdout: "",
          stderr: "",
          truncated: false,
        };
      }
      const row = rowOf(ctx, run);
      if (outDir !== undefined) await writeTarget(ctx, fs, outDir, run, row);
      const fields = fleet.outcomeFields(run.outcome, {
        run_id: run.runId,
        truncated: run.truncated || undefined,
        error: run.error,
      });
      if (run.outcome.state === "completed") {
        log.info("target ended", { ...fields, artifact_root: run.art?.root });
      } else {log.warn("target ended", {
          ...fields,
          artifact_root: run.art?.root,
        });}
      if (!opts.json) ctx.out.emit(fields);
      return run;
    };
    const runs = await fleet.mapLimited(
      names,
      opts.forks ?? DEFAULT_FORKS,
      runOne,
    );
    const summary = fleet.summarize(runs.map((r) => r.outcome));
    if (opts.json) io.stdout(JSON.stringify(runs.map((r) => rowOf(ctx, r))));
    else io.stdout(fleet.summaryLine(summary));
    state.exitCode = fleet.fleetExitCode(summary);
  });
}

/**
 * One target's object in `--json` and in `<out-dir>/<target>.json`: every
 * key always present (null when not known), the output redacted.
 */
function rowOf(ctx: AppContext, run: TargetRun) {
  return ctx.logger.redactor.redactJson({
    target: run.outcome.target,
    state: run.outcome.state,
    exit_code: run.outcome.exit_code ?? null,
    duration_ms: run.outcome.duration_ms ?? null,
    run_id: run.runId ?? null,
    job_id: run.art?.jobId ?? null,
    artifact_root: run.art?.root ?? null,
    error: run.error ?? null,
    truncated: run.truncated,
    stdout: run.stdout,
    stderr: run.stderr,
  });
}

/**
 * Writes `<dir>/<target>.stdout`, `.stderr` (redacted, as the command
 * printed them) and `.json` (the row without the output), each atomically.
 * Target names are `[a-z0-9-]`: safe file names.
 */
async function writeTarget(
  ctx: AppContext,
  fs: typeof import("../../lib/fs/mod.ts"),
  dir: string,
  run: TargetRun,
  row: ReturnType<typeof rowOf>,
): Promise<void> {
  const base = `${dir}/${run.outcome.target}`;
  const redact = (text: string) => ctx.logger.redactor.redact(text);
  await fs.writeFileAtomic(`${base}.stdout`, redact(run.stdout));
  await fs.writeFileAtomic(`${base}.stderr`, redact(run.stderr));
  const { stdout: _o, stderr: _e, ...meta } = row;
  await fs.writeFileAtomic(`${base}.json`, JSON.stringify(meta) + "\n");
}
