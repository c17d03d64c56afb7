/** The part of `Deno.env` the scrub needs. */
export interface EnvAccess {
  toObject(): Record<string, string>;
  delete(name: string): void;
}

/** What {@linkcode scrubDebugEnv} did. */
export interface DebugEnvResult {
  /** Variables removed from the environment. */
  removed: string[];
  /** Variables that cannot be removed in time: the caller must refuse to run. */
  refused: string[];
}

/**
 * Variables that make a dependency print its own traces, which bypass our
 * redaction, removed before any of them loads:
 * - `DEBUG` and every `DEBUG_*` (any case): the `debug` package (in the
 *   Hatchet SDK's HTTP stack and inside playwright-core) prints whatever its
 *   callers pass, request options with `Authorization: Bearer <token>` and
 *   `pw:*` lines with the ws endpoint among them; `DEBUG_*` are its output
 *   options, and playwright-core copies the same lines into `DEBUG_FILE`.
 * - `GRPC_TRACE`, `GRPC_VERBOSITY` and grpc-js's own `GRPC_NODE_TRACE`,
 *   `GRPC_NODE_VERBOSITY`: connection and call traces of the worker's gRPC.
 * - `PWDEBUG` (Playwright's debug mode) and `PWDEBUGIMPL` (errors with
 *   Playwright's internal stack traces).
 * - `NODE_OPTIONS`: Deno runs no `--require` hook from it, but a library
 *   that starts Node would hand it on; nothing here needs it.
 */
function removable(name: string): boolean {
  return /^debug(_.*)?$/i.test(name) ||
    /^GRPC_(NODE_)?(TRACE|VERBOSITY)$/.test(name) ||
    name === "PWDEBUG" || name === "PWDEBUGIMPL" || name === "NODE_OPTIONS";
}

/**
 * `NODE_DEBUG`: Deno's Node compatibility layer reads it once, before the
 * first line of the program runs, and its `http`, `http2`, `net` and `tls`
 * traces print request headers (the Hatchet token). Removing it afterwards
 * changes nothing, so a set `NODE_DEBUG` is refused instead.
 */
const UNREMOVABLE = ["NODE_DEBUG"];

/**
 * Removes the debug variables of dependencies from the process environment
 * (call it before the Hatchet SDK or playwright-core loads) and names those
 * that are set but cannot be removed in time. `--debug` is the way to debug:
 * its lines pass the redactor.
 */
export function scrubDebugEnv(env: EnvAccess): DebugEnvResult {
  const removed: string[] = [];
  const refused: string[] = [];
  for (const [name, value] of Object.entries(env.toObject())) {
    if (UNREMOVABLE.includes(name)) {
      if (value !== "") refused.push(name);
    } else if (removable(name)) {
      env.delete(name);
      removed.push(name);
    }
  }
  return { removed: removed.sort(), refused };
}
