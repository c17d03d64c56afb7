import type { AppContext, ContextOptions } from "./_context.ts";
import type { Globals, Io, RunState } from "./_io.ts";

/** The op, or the context options without the config path (`--config` gives it). */
export type ContextRequest = string | Omit<ContextOptions, "configPath">;

/**
 * Runs a command's body with its context: config loaded, logger, result
 * lines and clients ready.
 */
export type WithContext = <T>(
  request: ContextRequest,
  body: (ctx: AppContext) => T | Promise<T>,
) => Promise<T>;

/**
 * Opens a command's context. The context module (config, ssh, Aloha) is
 * imported only when a command runs, so `--help` and usage errors stay fast.
 */
export function contextOf(
  io: Io,
  state: RunState,
  globals: Globals,
): (request: ContextRequest) => Promise<AppContext> {
  return async (request) => {
    const { createContext } = await import("./_context.ts");
    return await createContext(io, state, {
      configPath: globals().config,
      target: globals().target,
      ...(typeof request === "string" ? { op: request } : request),
    });
  };
}

/** The {@linkcode WithContext} of a command tree (see {@linkcode contextOf}). */
export function withContextOf(
  io: Io,
  state: RunState,
  globals: Globals,
): WithContext {
  const open = contextOf(io, state, globals);
  return async (request, body) => await body(await open(request));
}
