import type { Parsed } from "../lib/cli/mod.ts";
import type { Cx } from "./_io.ts";
import { encodeLine } from "../lib/log/mod.ts";
import { buildInfo } from "../lib/version/mod.ts";

/** `win-automation version`: `version=<semver> commit=<sha> deno=<v>`. */
export default function versionCommand(
  { io, state }: Cx,
  _opts: Parsed<Record<never, never>>,
  _words: string[],
): void {
  state.op = "version";
  io.stdout(encodeLine({ ...buildInfo() }));
}
