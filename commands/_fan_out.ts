import { booleanFlag, valueFlag } from "../lib/cli/mod.ts";
import { EXIT_USAGE, exitCodeOf, UsageError } from "../lib/errors/mod.ts";
import type { TargetOutcome } from "../lib/fleet/mod.ts";
import type { Component, Fields } from "../lib/log/mod.ts";
import type { AppContext } from "./_context.ts";
import type { RunState } from "./_io.ts";
import { intArg, oneTargetChoice, targetsFlag } from "./_flags.ts";

/** `--forks` when not given: Ansible's default. */
export const DEFAULT_FORKS = 5;

/** The flags every direct fan-out has: `--targets`, `--forks`, `--json`. */
export function fanOutFlags() {
  return {
    targets: targetsFlag(
      "run on several targets, one result line each and a summary",
    ),
    forks: valueFlag(
      "--forks <n>",
      `with --targets: at most n targets at a time (default ${DEFAULT_FORKS})`,
      intArg(1, 100),
    ),
    json: booleanFlag(
      "--json",
      "with --targets: print one JSON array of per-target results instead of lines",
    ),
  };
}

/**
 * Checks a command's fan-out flags before anything runs: `--target` with
 * `--targets`, a fan-out-only flag without `--targets`, and `clash` (a flag
 * the fan-out cannot honour, with why) are usage errors (exit 2).
 */
export function checkFanOutFlags(
  opts: { target?: string; targets?: string; forks?: number; json?: boolean },
  options: { only?: [string, unknown][]; clash?: string } = {},
): void {
  oneTargetChoice(opts);
  if (opts.targets === undefined) {
    const only = ([
      ["--forks", opts.forks],
      ["--json", opts.json || undefined],
      ...(options.only ?? []),
    ] as [string, unknown][]).find(([, v]) => v !== undefined);
    if (only) throw new UsageError(`usage error: ${only[0]} needs --targets`);
  } else if (options.clash) {
    throw new UsageError(
      `usage error: --targets cannot be combined with ${options.clash}`,
    );
  }
}

/** What a target's work tells the fan-out as it learns it. */
export interface TargetNote {
  /** Fields its line adds (a run id, a job id), in order. */
  line: Fields;
  /** Keys its `--json` object adds (its output). */
  row: Record<string, unknown>;
}

/** How a target's work ended, when it did not throw. */
export interface TargetEnd {
  state: "completed" | "failed";
  exit_code?: number;
}

/** Options for {@linkcode runFanOut}. */
export interface FanOutOptions {
  /** The targets, in order. */
  targets: string[];
  /** At most this many at a time (`--forks`). @default DEFAULT_FORKS */
  forks?: number;
  /** One JSON array at the end instead of lines. */
  json?: boolean;
  /** The log lines' component. */
  component: Component;
  /**
   * One target's work: fills `note` as it learns (so a throw still reports
   * it) and returns how it ended. A throw is that target's outcome
   * (lib/fleet's `outcomeOfError`), except a usage or config error (exit
   * 2), which stops the fan-out: every target would fail alike.
   */
  work: (target: string, note: TargetNote) => Promise<TargetEnd>;
  /** Told each target's object as it ends (an out-dir). @default undefined */
  onEnd?: (row: Record<string, unknown>) => Promise<void>;
}

/**
 * A direct fan-out: `work` on each target, at most `forks` at a time; one
 * line per target on stdout as it ends (lib/fleet's `outcomeFields`, then
 * the note's fields), then the summary line; or with `json` one array of
 * per-target objects (`target`, `state`, `exit_code`, `duration_ms`, the
 * note's line fields and `error`, null when unknown, then its row keys),
 * redacted. The exit code is lib/fleet's `fleetExitCode`.
 */
export async function runFanOut(
  ctx: AppContext,
  state: RunState,
  options: FanOutOptions,
): Promise<void> {
  const { targets, forks = DEFAULT_FORKS, json, component, work, onEnd } =
    options;
  const fleet = await import("../lib/fleet/mod.ts");
  const log = ctx.logger.scope(component, ctx.op);
  log.info("fan-out started", { targets: targets.join(","), forks });
  const one = async (target: string) => {
    const started = performance.now();
    const ms = () => Math.round(performance.now() - started);
    const note: TargetNote = { line: {}, row: {} };
    let outcome: TargetOutcome;
    try {
      const end = await work(target, note);
      outcome = { target, ...end, duration_ms: ms() };
    } catch (error) {
      if (exitCodeOf(error) === EXIT_USAGE) throw error;
      const o = fleet.outcomeOfError(target, error, ms());
      outcome = o.outcome;
      if (o.runId !== undefined) note.line.run_id ??= o.runId;
      note.line.error = o.error;
    }
    const fields = fleet.outcomeFields(outcome, note.line);
    const row = ctx.logger.redactor.redactJson({
      ...Object.fromEntries(
        Object.entries(fields).map(([k, v]) => [k, v ?? null]),
      ),
      exit_code: outcome.exit_code ?? null,
      error: note.line.error ?? null,
      ...note.row,
    });
    await onEnd?.(row);
    if (outcome.state === "completed") log.info("target ended", fields);
    else log.warn("target ended", fields);
    if (!json) ctx.out.emit(fields);
    return { outcome, row };
  };
  const ended = await fleet.mapLimited(targets, forks, one);
  const summary = fleet.summarize(ended.map((e) => e.outcome));
  if (json) ctx.io.stdout(JSON.stringify(ended.map((e) => e.row)));
  else ctx.io.stdout(fleet.summaryLine(summary));
  state.exitCode = fleet.fleetExitCode(summary);
}
