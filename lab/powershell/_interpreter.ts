/**
 * Runs user-command text with Windows PowerShell 5.1's semantics for the
 * subset in lab/README.md, yielding typed records. Every statement is
 * checked before the first runs: one unsupported statement throws
 * {@linkcode Unsupported} with nothing done.
 * @module
 */
import { DEFAULT_WINDOWS_KNOBS, Unsupported } from "../windows/mod.ts";
import {
  type ErrorRecordData,
  type PsRecord,
  Terminating,
} from "./_records.ts";
import type { ShellContext, Step, StepResult } from "./_shell_io.ts";
import { parseScriptText, type Pipeline, type Statement } from "./_tokenize.ts";
import { compileCommand, type Env, sinkFor } from "./_user_commands.ts";

/** How user-command text ended. */
export interface Outcome {
  /** `exit n` ran (in a script file: the value `$LASTEXITCODE` gets). */
  exit: number | null;
  /** `$?` after the last statement that ran. */
  status: boolean;
  /** `$LASTEXITCODE` at the end (null: never set). */
  lastExitCode: number | null;
  /** A terminating error ended it. */
  terminating: ErrorRecordData | null;
}

/** Options of {@linkcode runUserScript}. */
export interface RunUserScriptOptions {
  ctx: ShellContext;
  /** Where records go. */
  emit: (record: PsRecord) => Promise<void>;
  /**
   * What a native program's stderr becomes: ErrorRecords (`NativeCommandError`)
   * when the streams are merged (`*>&1`), else raw text on the process's stderr.
   */
  nativeStderr: "records" | ((text: string) => Promise<void>);
  /** `$LASTEXITCODE` before the text runs. @default null */
  lastExitCode?: number | null;
}

/** Runs the text; throws {@linkcode Unsupported} before running anything. */
export function runUserScript(
  text: string,
  options: RunUserScriptOptions,
): Promise<Outcome> {
  return compileUserScript(text, options)();
}

/**
 * Checks the whole text (throws {@linkcode Unsupported}) and returns what
 * runs it.
 */
export function compileUserScript(
  text: string,
  options: RunUserScriptOptions,
): () => Promise<Outcome> {
  const env: Env = {
    ctx: { ...options.ctx, knobs: options.ctx.knobs ?? DEFAULT_WINDOWS_KNOBS },
    emit: options.emit,
    state: { lastExitCode: options.lastExitCode ?? null, status: true },
    nativeStderr: options.nativeStderr,
  };
  const steps = compileAll(parseScriptText(text), env);
  return async () => {
    try {
      const result = await steps();
      return {
        exit: result.exit ?? null,
        status: env.state.status,
        lastExitCode: env.state.lastExitCode,
        terminating: null,
      };
    } catch (error) {
      if (!(error instanceof Terminating)) throw error;
      await env.emit(error.record);
      return {
        exit: null,
        status: false,
        lastExitCode: env.state.lastExitCode,
        terminating: error.record,
      };
    }
  };
}

function compileAll(pipelines: Pipeline[], env: Env): Step {
  const steps = pipelines.map((p) => compilePipeline(p, env));
  return async () => {
    for (const step of steps) {
      const result = await step();
      if (result.exit !== undefined) return result;
    }
    return {};
  };
}

function compilePipeline(pipeline: Pipeline, env: Env): Step {
  try {
    return compileParts(pipeline, env);
  } catch (error) {
    if (!(error instanceof Unsupported) || pipeline.commands.length < 2) {
      throw error;
    }
    throw new Unsupported(pipeline.source);
  }
}

function compileParts(pipeline: Pipeline, env: Env): Step {
  const { commands, redirect } = pipeline;
  const position = {
    line: pipeline.line,
    column: pipeline.column,
    text: pipeline.source.split("\n")[0]!,
  };
  const placed: Env = {
    ...env,
    emit: (record) =>
      env.emit(
        record.kind === "error" && !record.position
          ? { ...record, position }
          : record,
      ),
  };
  const [first, ...rest] = commands;
  if (!first || rest.length > 1) throw new Unsupported(pipeline.source);
  const sink = rest[0] ? sinkFor(rest[0], placed) : redirect
    ? sinkFor(
      {
        args: [
          [{ text: "Out-File", quoted: false }],
          [{ text: redirect.path, quoted: true }],
          ...(redirect.append ? [[{ text: "-Append", quoted: false }]] : []),
        ],
        source: pipeline.source,
      },
      placed,
    )
    : null;
  if (sink && first.block) throw new Unsupported(pipeline.source);
  const captured: string[] = [];
  const upstream: Env = sink
    ? {
      ...placed,
      emit: async (record) => {
        if (record.kind === "output") captured.push(record.text);
        else await placed.emit(record);
      },
    }
    : placed;
  const step = first.block
    ? compileBlock(first, upstream)
    : compileCommand(first, upstream);
  return async () => {
    captured.length = 0;
    const result = await step();
    if (result.exit !== undefined) return result;
    let final: StepResult = result;
    if (sink) final = await sink(captured);
    if (final.nativeExit !== undefined) {
      env.state.lastExitCode = final.nativeExit;
      env.state.status = final.nativeExit === 0;
    } else {
      env.state.status = !final.failed;
    }
    return final.exit !== undefined ? { exit: final.exit } : {};
  };
}

/**
 * `& { ... }`: runs the block in the caller's scope. `exit` passes through to
 * the script or process; errors written inside do not make the caller's `$?`
 * False (about_Automatic_Variables, `$?`).
 */
function compileBlock(statement: Statement, env: Env): Step {
  const inner = compileAll(statement.block ?? [], env);
  return async () => {
    const result = await inner();
    return result.exit !== undefined ? { exit: result.exit } : {};
  };
}
